"""Pages under /projects/<pk>/decisions/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

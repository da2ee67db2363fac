"""Pages under /projects/<pk>/people/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Pages under /projects/<pk>/participation/: who is heard in meetings."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

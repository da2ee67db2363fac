"""Pages under /my-data/: a person downloads everything held about them, or asks to be erased."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

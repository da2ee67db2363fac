"""Pages under /projects/<pk>/privacy/: erasure of a roster person, requests to be erased."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Pages under /projects/<pk>/ledger/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Costs and burden pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def budget(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

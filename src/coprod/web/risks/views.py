"""Risk register pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def risk_list(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

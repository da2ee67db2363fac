"""The app's URLs plus two reference views behind the same middleware.

- ``/bare/``: the least a Django view can do. The session and the user are never loaded.
- ``/bare/signed-in/``: the least a page for a signed-in user can do: it loads the session and the
  user (the two queries every login-required page pays), and nothing else.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def bare_signed_in(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(b"signed out", content_type="text/plain", status=403)
    return HttpResponse(b"ok " + request.user.get_username().encode(), content_type="text/plain")


urlpatterns = [
    path("bare/", bare, name="bench_bare"),
    path("bare/signed-in/", bare_signed_in, name="bench_bare_signed_in"),
    path("", include("coprod.web.urls")),
]

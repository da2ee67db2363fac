"""The decision aid as a guided sequence (placeholder until the pages are built)."""

from django.http import Http404


def aid_aims(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def aid_aim_edit(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def aid_context(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def aid_alternatives(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def aid_alternative_edit(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def aid_stages(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def aid_review(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def assessment_list(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


"""People in a project, invitations, and the record of changes (placeholder)."""

from django.http import Http404


def member_list(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def member_edit(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def change_log(request, pk, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


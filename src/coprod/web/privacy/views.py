"""Project pages under /projects/<pk>/privacy/, for the project's leads: the requests to be erased
and carrying them out, and, for one roster person, downloading what is held about them (a subject
access request) or erasing them directly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coprod.web.privacy import selectors, services
from coprod.web.privacy.export import person_zip
from coprod.web.privacy.forms import ConfirmErasureForm
from coprod.web.privacy.models import ErasureRequest
from coprod.web.privacy.permissions import privacy_permissions
from coprod.web.projects.models import Project, Stakeholder
from coprod.web.projects.view_helpers import project_for, render_project


def privacy_project(request: HttpRequest, pk: int, permission: str) -> Project:
    """The project, if the user may do this: 404 for outsiders, 403 for other members."""
    project = project_for(request, pk)
    if not privacy_permissions(request.user, project)[permission]:
        raise PermissionDenied
    return project


def zip_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _stakeholder(project: Project, stakeholder_id: int) -> Stakeholder:
    try:
        return Stakeholder.objects.select_related("project", "user").get(
            project=project, pk=stakeholder_id
        )
    except Stakeholder.DoesNotExist:
        raise Http404 from None


@login_required
@require_safe
def erasure_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Open requests to be erased, erasures done, and the roster with its two actions."""
    project = privacy_project(request, pk, "privacy.manage_erasure")
    return render_project(
        request,
        "privacy/requests.html",
        project,
        {
            "open_requests": selectors.open_requests(project=project),
            "done_requests": selectors.done_requests(project=project),
            "roster": selectors.roster(project=project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def erasure_carry_out(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """A lead reads what will be erased, confirms, and carries out a person's request."""
    project = privacy_project(request, pk, "privacy.manage_erasure")
    erasure = (
        ErasureRequest.objects.filter(project=project, pk=request_id, done_at__isnull=True)
        .select_related("user")
        .first()
    )
    if erasure is None or erasure.user is None:
        raise Http404
    return _confirm_and_erase(
        request,
        project,
        lambda: services.erasure_request_carry_out(request=erasure, by=request.user),
        {"erasure": erasure, "person": str(erasure.user), "stakeholder": None},
    )


@login_required
@require_safe
def stakeholder_data(request: HttpRequest, pk: int, stakeholder_id: int) -> HttpResponse:
    """Everything held about one roster person in this project, as a ZIP."""
    project = privacy_project(request, pk, "privacy.download_person")
    stakeholder = _stakeholder(project, stakeholder_id)
    data = selectors.stakeholder_data(stakeholder=stakeholder)
    now = timezone.now()
    content = person_zip(who=data.who, tables=data.tables, generated=now)
    stem = slugify(stakeholder.name)[:40] or "person"
    return zip_response(content, f"coprod-{stem}-{now.date().isoformat()}.zip")


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_erase(request: HttpRequest, pk: int, stakeholder_id: int) -> HttpResponse:
    """A lead erases one roster person directly, after reading what that does and confirming."""
    project = privacy_project(request, pk, "privacy.manage_erasure")
    stakeholder = _stakeholder(project, stakeholder_id)
    if stakeholder.erased_at is not None:
        messages.info(request, _("This person has already been erased."))
        return redirect("erasure_list", project.pk)
    return _confirm_and_erase(
        request,
        project,
        lambda: services.stakeholder_erase(stakeholder=stakeholder, by=request.user),
        {"erasure": None, "person": stakeholder.name, "stakeholder": stakeholder},
    )


def _confirm_and_erase(
    request: HttpRequest,
    project: Project,
    erase: Callable[[], ErasureRequest],
    context: dict[str, Any],
) -> HttpResponse:
    """The confirmation page of an erasure; once confirmed, the erasure, and back to the list."""
    form = ConfirmErasureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = erase()
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(
                    request,
                    _("Done. The person is now shown as “%(label)s”.") % {"label": done.erased_as},
                )
                return redirect("erasure_list", project.pk)
        status = 400
    return render_project(
        request, "privacy/erase_confirm.html", project, {"form": form, **context}, status=status
    )

"""What every ledger page shares: the project and the permission asked, the pages' own menu."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from coprod.web.ledger.permissions import LEDGER_PERMISSIONS, ledger_permissions
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import project_for, render_project

# (url name, label, permission needed to see it)
LEDGER_MENU = [
    ("contribution_list", _("Contributions"), "ledger.view_ledger"),
    ("contribution_submit", _("Say something"), "ledger.submit_own"),
    ("contribution_record", _("Record a contribution"), "ledger.record"),
    ("you_said_we_did_mine", _("What became of yours"), "ledger.submit_own"),
    ("you_said_we_did_project", _("You said, we did"), "ledger.view_project_report"),
    ("ledger_settings", _("Feedback settings"), "ledger.change_settings"),
]
UNDER = {
    "contribution_edit": "contribution_list",
    "contribution_dispose": "contribution_list",
    "you_said_we_did": "you_said_we_did_project",
}


def ledger_project(request: HttpRequest, pk: int, permission: str) -> Project:
    """The project, if the user may do this with its ledger: 404 for outsiders, 403 for members
    whose role does not allow it."""
    project = project_for(request, pk)
    require(request, project, permission)
    return project


def require(request: HttpRequest, project: Project, permission: str) -> None:
    if not ledger_permissions(request.user, project)[permission]:
        raise PermissionDenied


def ledger_can(request: HttpRequest, project: Project) -> dict[str, bool]:
    allowed = ledger_permissions(request.user, project)
    return {name.removeprefix("ledger."): allowed[name] for name in LEDGER_PERMISSIONS}


def ledger_menu(request: HttpRequest, project: Project) -> list[dict[str, Any]]:
    current = request.resolver_match.url_name if request.resolver_match else None
    current = UNDER.get(current or "", current)
    allowed = ledger_permissions(request.user, project)
    return [
        {"url": reverse(name, args=[project.pk]), "label": label, "current": name == current}
        for name, label, permission in LEDGER_MENU
        if allowed[permission]
    ]


def render_ledger(
    request: HttpRequest,
    template: str,
    project: Project,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    full = {
        "ledger_can": ledger_can(request, project),
        "ledger_menu": ledger_menu(request, project),
        **(context or {}),
    }
    return render_project(request, template, project, full, status=status)


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_stem(project: Project, suffix: str) -> str:
    return f"{slugify(project.title)[:60] or 'project'}-{suffix}"

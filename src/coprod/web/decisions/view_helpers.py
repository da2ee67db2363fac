"""What every decisions page shares: the project and the permission asked, the pages' own menu."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coprod.web.costs.views import DOCX
from coprod.web.costs.views import download as costs_download
from coprod.web.costs.views import file_stem as file_stem
from coprod.web.decisions.permissions import DECISION_PERMISSIONS, decision_permissions
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import project_for, render_project

# (url name, label, permission needed to see it)
DECISIONS_MENU = [
    ("decision_list", _("Decision log"), "decisions.view_log"),
    ("agreement", _("Who may publish what"), "decisions.view_agreement"),
    ("terms_list", _("Terms of reference"), "decisions.view_own_terms"),
]
# Pages that belong under an entry of the menu above.
UNDER = {
    "decision_add": "decision_list",
    "decision_detail": "decision_list",
    "decision_edit": "decision_list",
    "agreement_line_edit": "agreement",
    "terms_edit": "terms_list",
}
# Every page of the app, for the project menu to mark its entry as current on any of them.
URL_NAMES = frozenset({name for name, _label, _perm in DECISIONS_MENU} | set(UNDER))


def decisions_project(request: HttpRequest, pk: int, permission: str) -> Project:
    """The project, if the user may do this here: 404 for outsiders, 403 for members whose role
    does not allow it."""
    project = project_for(request, pk)
    require(request, project, permission)
    return project


def require(request: HttpRequest, project: Project, permission: str) -> None:
    if not decision_permissions(request.user, project)[permission]:
        raise PermissionDenied


def decisions_can(request: HttpRequest, project: Project) -> dict[str, bool]:
    allowed = decision_permissions(request.user, project)
    return {name.removeprefix("decisions."): allowed[name] for name in DECISION_PERMISSIONS}


def decisions_menu(request: HttpRequest, project: Project) -> list[dict[str, Any]]:
    current = request.resolver_match.url_name if request.resolver_match else None
    current = UNDER.get(current or "", current)
    allowed = decision_permissions(request.user, project)
    return [
        {"url": reverse(name, args=[project.pk]), "label": label, "current": name == current}
        for name, label, permission in DECISIONS_MENU
        if allowed[permission]
    ]


def render_decisions(
    request: HttpRequest,
    template: str,
    project: Project,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    full = {
        "decisions_can": decisions_can(request, project),
        "decisions_menu": decisions_menu(request, project),
        **(context or {}),
    }
    return render_project(request, template, project, full, status=status)


def download(content: bytes, filename: str) -> HttpResponse:
    """A Word document to download (the costs app's download, with the Word type)."""
    return costs_download(content, DOCX, filename)


def refused(form: Any, error: ValidationError) -> None:
    """The services' objections on the form, beside the field each names."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)

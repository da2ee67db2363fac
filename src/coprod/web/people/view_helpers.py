"""What every roster and activity page shares: the project and the permission asked, the menu."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from coprod.web.people.permissions import PEOPLE_PERMISSIONS, people_permissions
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import project_for, render_project

# (url name, label, permission needed to see it)
PEOPLE_MENU = [
    ("stakeholder_list", _("Roster"), "people.view_roster"),
    ("activity_list", _("Activities"), "people.view_activities"),
    ("stakeholder_import", _("Import a roster"), "people.change_roster"),
]
# Pages that belong under an entry of the menu above.
UNDER = {
    "stakeholder_add": "stakeholder_list",
    "stakeholder_edit": "stakeholder_list",
    "activity_add": "activity_list",
    "activity_edit": "activity_list",
    "activity_detail": "activity_list",
    "stakeholder_import_sheet": "stakeholder_import",
    "stakeholder_import_mapping": "stakeholder_import",
    "stakeholder_import_preview": "stakeholder_import",
}


def people_project(request: HttpRequest, pk: int, permission: str) -> Project:
    """The project, if the user may do this with its roster: 404 for outsiders, 403 for members
    whose role does not allow it."""
    project = project_for(request, pk)
    require(request, project, permission)
    return project


def require(request: HttpRequest, project: Project, permission: str) -> None:
    if not people_permissions(request.user, project)[permission]:
        raise PermissionDenied


def people_can(request: HttpRequest, project: Project) -> dict[str, bool]:
    allowed = people_permissions(request.user, project)
    return {name.removeprefix("people."): allowed[name] for name in PEOPLE_PERMISSIONS}


def people_menu(request: HttpRequest, project: Project) -> list[dict[str, Any]]:
    current = request.resolver_match.url_name if request.resolver_match else None
    current = UNDER.get(current or "", current)
    allowed = people_permissions(request.user, project)
    return [
        {"url": reverse(name, args=[project.pk]), "label": label, "current": name == current}
        for name, label, permission in PEOPLE_MENU
        if allowed[permission]
    ]


def url_if_exists(name: str, *args: Any) -> str | None:
    """The URL of a page another part of Coprod provides, or None while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def render_people(
    request: HttpRequest,
    template: str,
    project: Project,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    full = {
        "people_can": people_can(request, project),
        "people_menu": people_menu(request, project),
        **(context or {}),
    }
    return render_project(request, template, project, full, status=status)

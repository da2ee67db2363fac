"""What every project page shares: finding the project, asking permission, the project menu."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coprod.web.projects import selectors
from coprod.web.projects.models import Project, Role
from coprod.web.projects.permissions import permissions_for, role_in

# (url name, label, permission needed to see it in the menu, the pages it covers)
MENU = [
    ("project_dashboard", _("Overview"), "projects.view_project", ()),
    ("aid_aims", _("Decision aid"), "projects.change_plan", ("coprod.web.projects.aid",)),
    ("assessment_list", _("Assessments"), "projects.view_project", ()),
    ("stakeholder_list", _("Stakeholders"), "projects.view_project", ("stakeholder_", "activity_")),
    ("contribution_list", _("Contributions"), "projects.view_project", ("coprod.web.ledger",)),
    ("decision_list", _("Decisions"), "projects.view_project", ("coprod.web.decisions",)),
    (
        "participation_overview",
        _("Who is heard"),
        "projects.view_project",
        ("coprod.web.participation",),
    ),
    ("risk_list", _("Risks"), "projects.view_project", ("coprod.web.risks",)),
    ("budget", _("Costs"), "projects.view_project", ("coprod.web.costs",)),
    ("project_plan_edit", _("Governance"), "projects.change_plan", ()),
    ("project_partner_view", _("Partner view"), "projects.view_partner_view", ()),
    (
        "member_list",
        _("Accounts and roles"),
        "projects.view_project",
        ("member_", "coprod.web.privacy"),
    ),
    ("change_log", _("Changes"), "projects.view_changes", ()),
]
AID_PAGES = {
    "aid_aims",
    "aid_context",
    "aid_alternatives",
    "aid_stages",
    "aid_review",
    "aid_aim_edit",
    "aid_alternative_edit",
}


@cache
def _url_names(module: str) -> frozenset[str]:
    """The names of every page an app's urls module serves."""
    from importlib import import_module

    return frozenset(
        pattern.name for pattern in import_module(f"{module}.urls").urlpatterns if pattern.name
    )


def _covers(current: str, covers: tuple[str, ...]) -> bool:
    for cover in covers:
        if cover == "coprod.web.projects.aid":
            if current in AID_PAGES:
                return True
        elif cover.startswith("coprod.web."):
            if current in _url_names(cover):
                return True
        elif current.startswith(cover):
            return True
    return False


def project_for(
    request: HttpRequest,
    pk: int,
    permission: str = "projects.view_project",
    *,
    with_plan: bool = False,
) -> Project:
    """The project, if the user may do this with it.

    Someone with no role in the project gets 404, exactly as for a project that does not exist;
    a member without this permission gets 403.
    """
    project = selectors.project_get(user=request.user, pk=pk, with_plan=with_plan)
    if not permissions_for(request.user, project)[permission]:
        raise PermissionDenied
    return project


def project_menu(request: HttpRequest, project: Project) -> list[dict[str, Any]]:
    current = request.resolver_match.url_name if request.resolver_match else None
    allowed = permissions_for(request.user, project)
    items = []
    for name, label, permission, covers in MENU:
        if not allowed[permission]:
            continue
        is_current = current == name or (current is not None and _covers(current, covers))
        items.append(
            {"url": reverse(name, args=[project.pk]), "label": label, "current": is_current}
        )
    return items


def render_project(
    request: HttpRequest,
    template: str,
    project: Project,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    role = role_in(request.user, project)
    allowed = permissions_for(request.user, project)
    full = {
        "project": project,
        "role": role,
        "role_label": Role(role).label if role else "",
        "project_menu": project_menu(request, project),
        "can": {
            "change_plan": allowed["projects.change_plan"],
            "export_plan": allowed["projects.export_plan"],
            "personal_data": allowed["projects.view_personal_data"],
            "manage_members": allowed["projects.manage_members"],
            "replace_plan": allowed["projects.replace_plan"],
            "view_changes": allowed["projects.view_changes"],
        },
        **(context or {}),
    }
    return render(request, template, full, status=status)


@dataclass(frozen=True)
class Section:
    """A part of a project with its own permissions and its own menu (costs, the ledger, …).

    Its pages ask for the project and a permission of the part, and render with the part's
    permissions as ``<name>_can`` and its menu as ``<name>_menu``.
    """

    name: str  # "costs": the prefix of its permissions and of its template variables
    permissions: Callable[[Any, Project], dict[str, bool]]
    menu: Sequence[tuple[str, Any, str]]  # (url name, label, permission needed to see it)
    under: Mapping[str, str] = field(default_factory=dict)  # page -> the menu entry it sits under

    def project(self, request: HttpRequest, pk: int, permission: str) -> Project:
        """The project, if the user may do this with this part of it: 404 for outsiders, 403 for
        members whose role does not allow it."""
        project = project_for(request, pk)
        self.require(request, project, permission)
        return project

    def require(self, request: HttpRequest, project: Project, permission: str) -> None:
        if not self.permissions(request.user, project)[permission]:
            raise PermissionDenied

    def can(self, request: HttpRequest, project: Project) -> dict[str, bool]:
        allowed = self.permissions(request.user, project)
        return {name.removeprefix(f"{self.name}."): value for name, value in allowed.items()}

    def menu_items(self, request: HttpRequest, project: Project) -> list[dict[str, Any]]:
        current = request.resolver_match.url_name if request.resolver_match else None
        current = self.under.get(current or "", current)
        allowed = self.permissions(request.user, project)
        return [
            {"url": reverse(name, args=[project.pk]), "label": label, "current": name == current}
            for name, label, permission in self.menu
            if allowed[permission]
        ]

    def render(
        self,
        request: HttpRequest,
        template: str,
        project: Project,
        context: dict[str, Any] | None = None,
        *,
        status: int = 200,
    ) -> HttpResponse:
        full = {
            f"{self.name}_can": self.can(request, project),
            f"{self.name}_menu": self.menu_items(request, project),
            **(context or {}),
        }
        return render_project(request, template, project, full, status=status)

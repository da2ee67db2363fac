"""What every costs page shares: the project and the permission asked, the pages' own menu."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coprod.web.costs.permissions import COSTS_PERMISSIONS, costs_permissions
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import project_for, render_project

# (url name, label, permission needed to see it)
COSTS_MENU = [
    ("budget", _("Budget"), "costs.view_budget"),
    ("costs_actuals", _("Time and spending"), "costs.view_budget"),
    ("costs_burden", _("Who bears the time"), "costs.view_burden"),
    ("costs_rate_cards", _("Rate cards"), "costs.view_budget"),
    ("costs_team", _("Team"), "costs.view_people_data"),
    ("costs_import", _("Import a spreadsheet"), "costs.change_budget"),
]
# Pages that belong under an entry of the menu above.
UNDER = {
    "costs_line_edit": "budget",
    "costs_time_edit": "costs_actuals",
    "costs_expense_edit": "costs_actuals",
    "costs_payment_edit": "costs_actuals",
    "costs_member_edit": "costs_team",
    "costs_rate_add": "costs_rate_cards",
}


def costs_project(request: HttpRequest, pk: int, permission: str) -> Project:
    """The project, if the user may do this with its costs: 404 for outsiders, 403 for members
    whose role does not allow it."""
    project = project_for(request, pk)
    require(request, project, permission)
    return project


def require(request: HttpRequest, project: Project, permission: str) -> None:
    if not costs_permissions(request.user, project)[permission]:
        raise PermissionDenied


def find(rows: Any, pk: int) -> Any:
    for row in rows:
        if row.pk == pk:
            return row
    raise Http404


def costs_can(request: HttpRequest, project: Project) -> dict[str, bool]:
    allowed = costs_permissions(request.user, project)
    return {name.removeprefix("costs."): allowed[name] for name in COSTS_PERMISSIONS}


def costs_menu(request: HttpRequest, project: Project) -> list[dict[str, Any]]:
    current = request.resolver_match.url_name if request.resolver_match else None
    current = UNDER.get(current or "", current)
    allowed = costs_permissions(request.user, project)
    return [
        {"url": reverse(name, args=[project.pk]), "label": label, "current": name == current}
        for name, label, permission in COSTS_MENU
        if allowed[permission]
    ]


def render_costs(
    request: HttpRequest,
    template: str,
    project: Project,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    full = {
        "costs_can": costs_can(request, project),
        "costs_menu": costs_menu(request, project),
        **(context or {}),
    }
    return render_project(request, template, project, full, status=status)

"""Actuals: time logged by person and activity, expenses, payments, and the budget against them.

The comparison by kind, the days to payment and its median are the core's
(:func:`coprod.core.costs.budget_vs_actuals`, :attr:`coprod.core.costs.Payment.days_to_payment`).
The team sees every entry; a partner logs and sees their own; an observer sees the totals only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coprod.web.costs import selectors, services
from coprod.web.costs.forms import ExpenseForm, PaymentForm, TimeLogForm
from coprod.web.costs.models import Expense, TeamMember, TimeLog
from coprod.web.costs.permissions import costs_permissions, may_change_row, may_see_row
from coprod.web.costs.view_helpers import costs_project, find, render_costs, require
from coprod.web.projects.models import Project

ACTIONS = {
    "time": ("costs.log_own", TimeLogForm),
    "expense": ("costs.log_own", ExpenseForm),
    "payment": ("costs.change_actuals", PaymentForm),
}


def loggable_people(request: HttpRequest, project: Project, members: list[TeamMember]) -> list[Any]:
    """The people this user may log for: anyone, for the team; themselves, for a partner."""
    allowed = costs_permissions(request.user, project)
    if allowed["costs.change_actuals"]:
        return members
    if allowed["costs.log_own"]:
        return [member for member in members if member.user_id == request.user.pk]
    return []


def _form(
    action: str,
    request: HttpRequest,
    project: Project,
    view: selectors.ActualsView,
    data: Any = None,
    **kwargs: Any,
) -> Any:
    _permission, form_class = ACTIONS[action]
    people = loggable_people(request, project, view.members)
    extra: dict[str, Any] = {}
    if form_class is ExpenseForm:
        own_only = not costs_permissions(request.user, project)["costs.change_actuals"]
        extra["person_required"] = own_only
    return form_class(
        data,
        people=people,
        budget=view.budget.budget,
        catalogue=view.budget.catalogue,
        **extra,
        **kwargs,
    )


def _actuals_page(
    request: HttpRequest,
    project: Project,
    view: selectors.ActualsView,
    bound: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    allowed = costs_permissions(request.user, project)
    people = loggable_people(request, project, view.members)
    forms: dict[str, Any] = {}
    for action, (permission, _form_class) in ACTIONS.items():
        if allowed[permission] and people:
            forms[action] = bound.get(action) or _form(
                action, request, project, view, prefix=action
            )
    user = request.user

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {"row": row, "editable": may_change_row(user, project, row)}
            for row in selectors.visible_rows(items, user=user, project=project)
        ]

    payments = [
        {**entry, "days": selectors.core_payment(entry["row"]).days_to_payment}
        for entry in rows(view.payments)
    ]
    benefits = allowed["costs.view_people_data"] or any(
        m.user_id == user.pk and m.receives_benefits for m in view.members
    )
    return render_costs(
        request,
        "costs/actuals.html",
        project,
        {
            "view": view,
            "comparison": view.comparison,
            "currency": view.budget.currency,
            "budget_problems": view.budget.problems,
            "actual_problems": view.problems,
            "time_logs": rows(view.time_logs),
            "expenses": rows(view.expenses),
            "payments": payments,
            "forms": forms,
            "bad_forms": [form for form in bound.values() if form.errors],
            "sees_everyone": allowed["costs.view_people_data"],
            "may_log": allowed["costs.log_own"],
            "in_team": bool(people),
            "own_members": [m for m in view.members if m.user_id == user.pk],
            "benefits_letters": benefits,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def actuals(request: HttpRequest, pk: int) -> HttpResponse:
    """Budget against actuals by kind, and what was logged, spent and paid; POST logs one."""
    project = costs_project(request, pk, "costs.view_budget")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            require(request, project, "costs.log_own")
            action = "time"
        require(request, project, ACTIONS[action][0])
    view = selectors.actuals_view(project=project)
    if request.method == "GET":
        return _actuals_page(request, project, view)
    if not loggable_people(request, project, view.members):
        raise PermissionDenied
    form = _form(action, request, project, view, request.POST, prefix=action)
    if not form.is_valid():
        return _actuals_page(request, project, view, {action: form}, status=400)
    values = form.values()
    if action == "time":
        services.time_log_create(project=project, created_by=request.user, **values)
        messages.success(request, _("Time logged."))
    elif action == "expense":
        services.expense_create(project=project, created_by=request.user, **values)
        messages.success(request, _("Expense recorded."))
    else:
        services.payment_create(project=project, created_by=request.user, **values)
        messages.success(request, _("Payment recorded."))
    return redirect(reverse("costs_actuals", args=[project.pk]) + f"#{action}-heading")


# --- Changing one entry ---------------------------------------------------------------------------


def _row_initial(row: Any) -> dict[str, Any]:
    if isinstance(row, TimeLog):
        return {
            "person": str(row.person_id),
            "activity": row.activity,
            "date": row.date,
            "hours": row.hours,
            "role": row.role,
            "kind": row.kind,
            "rate_choice": f"{row.rate_card}:{row.rate}" if row.rate_card else "",
        }
    if isinstance(row, Expense):
        return {
            "person": str(row.person_id or ""),
            "description": row.description,
            "date": row.date,
            "amount": row.amount,
            "currency": row.currency,
            "kind": row.kind,
            "bearer": row.bearer,
        }
    return {
        "person": str(row.person_id),
        "activity": row.activity,
        "activity_date": row.activity_date,
        "offered": row.offered,
        "amount": row.amount,
        "currency": row.currency,
        "paid_on": row.paid_on,
    }


EDITS: dict[str, dict[str, Any]] = {
    "time": {
        "rows": "time_logs",
        "update": services.time_log_update,
        "delete": services.time_log_delete,
        "saved": gettext_lazy("Time log saved."),
        "deleted": gettext_lazy("Time log deleted."),
        "title": gettext_lazy("Change time logged"),
    },
    "expense": {
        "rows": "expenses",
        "update": services.expense_update,
        "delete": services.expense_delete,
        "saved": gettext_lazy("Expense saved."),
        "deleted": gettext_lazy("Expense deleted."),
        "title": gettext_lazy("Change an expense"),
    },
    "payment": {
        "rows": "payments",
        "update": services.payment_update,
        "delete": services.payment_delete,
        "saved": gettext_lazy("Payment saved."),
        "deleted": gettext_lazy("Payment deleted."),
        "title": gettext_lazy("Change a payment"),
    },
}


def _edit(request: HttpRequest, pk: int, row_id: int, action: str) -> HttpResponse:
    project = costs_project(request, pk, "costs.view_budget")
    view = selectors.actuals_view(project=project)
    spec = EDITS[action]
    row = find(getattr(view, spec["rows"]), row_id)
    if not may_see_row(request.user, project, row):
        raise Http404
    allowed = costs_permissions(request.user, project)
    editable = (
        allowed["costs.change_actuals"]
        if action == "payment"
        else may_change_row(request.user, project, row)
    )
    if not editable:
        raise PermissionDenied
    if request.method == "POST" and "delete" in request.POST:
        spec["delete"](row=row)
        messages.success(request, str(spec["deleted"]))
        return redirect("costs_actuals", project.pk)
    data = request.POST if request.method == "POST" else None
    form = _form(action, request, project, view, data, initial=_row_initial(row), prefix=action)
    if request.method == "POST" and form.is_valid():
        spec["update"](row=row, **form.values())
        messages.success(request, str(spec["saved"]))
        return redirect("costs_actuals", project.pk)
    return render_costs(
        request,
        "costs/row_edit.html",
        project,
        {
            "form": form,
            "row": row,
            "title": spec["title"],
            "action": action,
            "bad_forms": [form] if form.errors else [],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def time_edit(request: HttpRequest, pk: int, log_id: int) -> HttpResponse:
    return _edit(request, pk, log_id, "time")


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request: HttpRequest, pk: int, expense_id: int) -> HttpResponse:
    return _edit(request, pk, expense_id, "expense")


@login_required
@require_http_methods(["GET", "POST"])
def payment_edit(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    return _edit(request, pk, payment_id, "payment")

"""The costs tables for the project's record of changes (:mod:`coprod.web.projects.audit`).

To show them there, add :data:`TABLES` to its ``TABLES`` and :data:`DESCRIBE` to its ``DESCRIBE``.
Each table has a ``project`` column, as that module's reads expect. Rate cards belong to an
organisation, not a project: their history is in the admin. A team member's gender and ethnicity
are never in the history; ``demographics_revision`` records that they changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from coprod.web.costs.models import BudgetLine, Expense, Payment, TeamMember, TimeLog
from coprod.web.projects.audit import ADDED, CHANGED, REMOVED

TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("budget_line", BudgetLine),
    ("team_member", TeamMember),
    ("time_log", TimeLog),
    ("expense", Expense),
    ("payment", Payment),
)


def _short(text: Any, limit: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe(added: Any, changed: Any, removed: Any, field: str) -> Callable[[str, Any], str]:
    def describe(kind: str, row: Any) -> str:
        template = {ADDED: added, CHANGED: changed, REMOVED: removed}[kind]
        return str(template) % {"what": _short(row.get(field))}

    return describe


def _describe_member(kind: str, row: Any) -> str:
    name = _short(row.get("name"))
    if kind == CHANGED and "demographics_revision" in getattr(row, "changed", ()):
        if not row.get("demographics_consent"):
            return str(gettext_lazy("Erased the gender and ethnicity of %(name)s")) % {"name": name}
        return str(gettext_lazy("Changed the gender or ethnicity of %(name)s")) % {"name": name}
    return _describe(
        gettext_lazy("Added %(what)s to the team"),
        gettext_lazy("Changed the details of %(what)s in the team"),
        gettext_lazy("Removed %(what)s from the team"),
        "name",
    )(kind, row)


DESCRIBE: dict[str, Callable[[str, Any], str]] = {
    "budget_line": _describe(
        gettext_lazy("Added a budget line: ‘%(what)s’"),
        gettext_lazy("Changed the budget line ‘%(what)s’"),
        gettext_lazy("Removed the budget line ‘%(what)s’"),
        "description",
    ),
    "team_member": _describe_member,
    "time_log": _describe(
        gettext_lazy("Logged time: ‘%(what)s’"),
        gettext_lazy("Changed the time logged for ‘%(what)s’"),
        gettext_lazy("Removed the time logged for ‘%(what)s’"),
        "activity",
    ),
    "expense": _describe(
        gettext_lazy("Recorded an expense: ‘%(what)s’"),
        gettext_lazy("Changed the expense ‘%(what)s’"),
        gettext_lazy("Removed the expense ‘%(what)s’"),
        "description",
    ),
    "payment": _describe(
        gettext_lazy("Recorded a payment for an activity on %(what)s"),
        gettext_lazy("Changed a payment for an activity on %(what)s"),
        gettext_lazy("Removed a payment for an activity on %(what)s"),
        "activity_date",
    ),
}

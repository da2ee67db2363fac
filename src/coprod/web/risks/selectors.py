"""Reads of the risk register. Each runs a fixed number of queries, whatever the number of risks.

The register is the core's: the project's plan, with its risks read from the stored rows, goes to
:func:`coprod.core.risks.risk_register`, which adds the proposals not yet taken up and sorts
them. Reviews due and the heat map are the core's too. This module only reads rows and pairs each
entry of the core's register with the row it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404

from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.plan import Plan
from coprod.core.risks import RegisterEntry, heat_map, reviews_due, risk_register
from coprod.web.projects.models import Project
from coprod.web.projects.plan_mapping import plan_from_project
from coprod.web.projects.selectors import PLAN_RELATIONS
from coprod.web.risks import plan_io
from coprod.web.risks.display import RiskView, describe_all
from coprod.web.risks.models import ProjectRisk


@dataclass(frozen=True)
class Line:
    """An entry of the core's register, and the stored row it came from (``None`` for a proposal
    Coprod makes that nobody has stored yet)."""

    entry: RegisterEntry
    row: ProjectRisk | None

    @property
    def proposed(self) -> bool:
        return self.entry.risk.status == "proposed"


@dataclass(frozen=True)
class Register:
    plan: Plan
    catalogue: Catalogue
    lines: list[Line]  # in the core's order: highest score first

    @property
    def entries(self) -> list[RegisterEntry]:
        return [line.entry for line in self.lines]

    @property
    def proposals(self) -> list[Line]:
        """Every risk still to review: the stored proposals and those not stored yet."""
        return [line for line in self.lines if line.proposed]

    @property
    def unseeded(self) -> list[Line]:
        """Proposals the core makes that are not stored as rows yet."""
        return [line for line in self.lines if line.row is None]

    def lines_of(self, entries: Sequence[RegisterEntry]) -> list[Line]:
        """The lines of these entries of the register, in the order given."""
        by_entry = {id(line.entry): line for line in self.lines}
        return [by_entry[id(entry)] for entry in entries]


def register_load(project: Project) -> Project:
    """Read the plan and the risks into the project: one query per plan section and one for the
    risks, skipping what is read already."""
    prefetch_related_objects([project], *PLAN_RELATIONS)
    return project


def register_plan(project: Project) -> tuple[Plan, list[tuple[Any, ProjectRisk]]]:
    """The project's plan, with each risk paired with the row it came from."""
    register_load(project)
    pairs = plan_io.risks_and_rows(project)
    plan = plan_from_project(project).model_copy(update={"risks": [risk for risk, _ in pairs]})
    return plan, pairs


def register_for(project: Project, catalogue: Catalogue | None = None) -> Register:
    """The project's register as the core builds it, each entry paired with its row."""
    catalogue = catalogue or default_catalogue()
    plan, pairs = register_plan(project)
    rows = {id(risk): row for risk, row in pairs}
    entries = risk_register(plan, catalogue)
    lines = [Line(entry=entry, row=rows.get(id(entry.risk))) for entry in entries]
    return Register(plan=plan, catalogue=catalogue, lines=lines)


def due_for_review(register: Register, today: dt.date) -> list[Line]:
    """Live risks whose review date has come, the most overdue first (the core decides)."""
    return register.lines_of(reviews_due(register.entries, today))


def heat_counts(entries: Sequence[RegisterEntry]) -> list[list[int]]:
    """The core's heat map: ``counts[likelihood - 1][impact - 1]`` of live, rated risks."""
    return heat_map(entries)


def risk_get(*, project: Project, risk_id: int) -> ProjectRisk:
    """One risk of the project; 404 when the project has none with this id."""
    return get_object_or_404(ProjectRisk, pk=risk_id, project=project)


def risk_history(*, risk: ProjectRisk) -> list[Any]:
    """Every saved version of the risk, oldest first, with who saved it (one query)."""
    return list(
        ProjectRisk.history.filter(id=risk.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


@dataclass(frozen=True)
class DashboardSummary:
    """What the project's overview shows of the register. No one's name is in it, so it may be
    shown to every member (owners are people: the register shows them to the team only)."""

    open_count: int
    live_count: int
    to_review: int
    top: list[RiskView]
    due: list[RiskView]


def dashboard_summary(project: Project, today: dt.date, *, top: int = 3) -> DashboardSummary:
    """Open risks, the highest-scored live risks, reviews due and proposals still to review.

    A fixed number of queries: the plan sections and the risks, each once, and none when the
    overview has read them already.
    """
    register = register_for(project)
    catalogue = register.catalogue
    taken = [line for line in register.lines if not line.proposed]
    highest = [line for line in taken if line.entry.live and line.entry.rated][:top]
    return DashboardSummary(
        open_count=sum(1 for line in taken if line.entry.risk.status == "open"),
        live_count=sum(1 for line in taken if line.entry.live),
        to_review=len(register.proposals),
        top=describe_all(highest, catalogue, show_people=False, today=today),
        due=describe_all(
            due_for_review(register, today), catalogue, show_people=False, today=today
        ),
    )

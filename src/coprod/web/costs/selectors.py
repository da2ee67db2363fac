"""Reads. Each runs a fixed number of queries, whatever the number of lines, logs or people.

Rows are fetched once; every figure is then worked out by the core (:mod:`coprod.core.costs`) on
the rows fetched: prices, totals, budget against actuals, days to payment, burden shares. Nothing
here adds up money or hours itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from coprod.core import costs as core
from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.catalogue.model import RateCardEntry
from coprod.core.plan import CostLine
from coprod.core.sources import Document
from coprod.web.costs.labels import ATTRIBUTE_LABELS, group_label
from coprod.web.costs.models import (
    BudgetLine,
    Expense,
    Payment,
    Rate,
    RateCard,
    TeamMember,
    TimeLog,
)
from coprod.web.costs.permissions import costs_permissions, owns
from coprod.web.costs.plan_io import cost_lines
from coprod.web.projects.models import Organisation, Project

# --- Rate cards: the shipped ones, and the organisation's own -------------------------------------


def organisation_cards(*, organisation_id: int | None) -> list[RateCard]:
    """The organisation's own cards with their rates (two queries; none without organisation)."""
    if organisation_id is None:
        return []
    rates = Prefetch("rates", queryset=Rate.objects.order_by("rate_id", "valid_from", "id"))
    return list(
        RateCard.objects.filter(organisation_id=organisation_id)
        .select_related("organisation")
        .prefetch_related(rates)
    )


def organisation_document(organisation: Organisation) -> Document:
    return Document(
        id=f"organisation-{organisation.slug}",
        short=organisation.name,
        citation=_("%(organisation)s: its own rate cards, kept in Coprod")
        % {"organisation": organisation.name},
    )


def card_entry(card: RateCard, rates: Sequence[Rate] | None = None) -> RateCardEntry | None:
    """A stored card as the core's RateCardEntry; None while it has no rate.

    Raises pydantic's ValidationError where the core refuses the card (two amounts of one rate
    from the same date, say): the forms call this to check a new rate before it is saved.
    """
    rates = list(card.rates.all()) if rates is None else list(rates)
    if not rates:
        return None
    return RateCardEntry.model_validate(
        {
            "id": card.card_id,
            "label": card.label,
            "help": card.help,
            # The card's version is the date of its latest rate: it moves whenever a rate is added.
            "version": max(rate.valid_from for rate in rates).isoformat(),
            "currency": card.currency,
            "source": {
                "document": organisation_document(card.organisation).id,
                "locator": card.source,
            },
            "rates": [
                {
                    "id": rate.rate_id,
                    "label": rate.label,
                    "unit": rate.unit,
                    "amount": rate.amount,
                    "valid_from": rate.valid_from,
                    "note": rate.note or None,
                }
                for rate in rates
            ],
        }
    )


def catalogue_with(cards: Iterable[RateCard], base: Catalogue | None = None) -> Catalogue:
    """The shipped catalogue with the organisation's cards added, as the CLI's ``--catalogue``
    adds a folder's: a card with the id of a shipped card replaces it."""
    base = base or default_catalogue()
    entries = {}
    documents = dict(base.documents)
    for card in cards:
        entry = card_entry(card)
        if entry is None:
            continue
        entries[entry.id] = entry
        document = organisation_document(card.organisation)
        documents[document.id] = document
    if not entries:
        return base
    return dataclasses.replace(base, rate_cards={**base.rate_cards, **entries}, documents=documents)


def project_catalogue(*, project: Project) -> Catalogue:
    """The catalogue a project's budget is priced from."""
    return catalogue_with(organisation_cards(organisation_id=project.organisation_id))


# --- The budget -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetView:
    """A project's budget as the core prices it, or the problems that stop it."""

    rows: list[BudgetLine]
    lines: list[CostLine]
    catalogue: Catalogue
    budget: core.Budget | None
    problems: list[core.CostProblem]

    @property
    def currency(self) -> str:
        return self.budget.currency if self.budget else core.DEFAULT_CURRENCY

    def problems_of(self, index: int) -> list[core.CostProblem]:
        return [problem for problem in self.problems if problem.index == index]


def price(
    rows: list[BudgetLine], catalogue: Catalogue, lines: list[CostLine] | None = None
) -> BudgetView:
    lines = cost_lines(rows) if lines is None else lines
    try:
        priced: core.Budget | None = core.budget(lines, catalogue)
        problems: list[core.CostProblem] = []
    except core.BudgetError as error:
        priced, problems = None, error.problems
    return BudgetView(rows=rows, lines=lines, catalogue=catalogue, budget=priced, problems=problems)


def budget_rows(*, project: Project) -> list[BudgetLine]:
    return list(BudgetLine.objects.filter(project=project).order_by("position", "id"))


def budget_view(*, project: Project, catalogue: Catalogue | None = None) -> BudgetView:
    """The budget: one query for the lines, and two for the organisation's cards."""
    catalogue = catalogue or project_catalogue(project=project)
    return price(budget_rows(project=project), catalogue)


# --- Actuals --------------------------------------------------------------------------------------


def person_id(member_id: int) -> str:
    """How a team member is named to the core: by id, so that two people may share a name."""
    return str(member_id)


def core_time_log(row: TimeLog) -> core.TimeLog:
    return core.TimeLog(
        person=person_id(row.person_id),
        activity=row.activity,
        date=row.date,
        hours=row.hours,
        role=row.role or None,
        kind=row.kind,  # type: ignore[arg-type]
        rate_card=row.rate_card or None,
        rate=row.rate or None,
    )


def core_expense(row: Expense) -> core.Expense:
    return core.Expense(
        description=row.description,
        date=row.date,
        amount=row.amount,
        currency=row.currency,
        kind=row.kind,  # type: ignore[arg-type]
        bearer=row.bearer or None,
    )


def core_payment(row: Payment) -> core.Payment:
    return core.Payment(
        person=person_id(row.person_id),
        activity_date=row.activity_date,
        offered=row.offered,  # type: ignore[arg-type]
        amount=row.amount,
        paid_on=row.paid_on,
        currency=row.currency,
    )


def core_person(member: TeamMember) -> core.Person:
    """A member for the burden analysis: gender and ethnicity only where they consented."""
    consented = member.demographics_consent
    return core.Person(
        id=person_id(member.pk),
        career_stage=member.career_stage or None,  # type: ignore[arg-type]
        contract=member.contract or None,  # type: ignore[arg-type]
        gender=(member.gender.strip() or None) if consented else None,
        ethnicity=(member.ethnicity.strip() or None) if consented else None,
    )


def team_members(*, project: Project) -> list[TeamMember]:
    return list(TeamMember.objects.filter(project=project).order_by("position", "id"))


@dataclass(frozen=True)
class ActualsView:
    """What was logged, spent and paid, and the core's comparison with the budget."""

    budget: BudgetView
    members: list[TeamMember]
    time_logs: list[TimeLog]
    expenses: list[Expense]
    payments: list[Payment]
    comparison: core.BudgetVsActuals | None
    problems: list[core.CostProblem]

    def core_payments(self) -> list[tuple[Payment, core.Payment]]:
        return [(row, core_payment(row)) for row in self.payments]


def compare(
    planned: BudgetView,
    time_logs: Sequence[TimeLog],
    expenses: Sequence[Expense],
    payments: Sequence[Payment],
) -> tuple[core.BudgetVsActuals | None, list[core.CostProblem]]:
    """The core's budget against actuals; None with the problems where it cannot be made."""
    if planned.budget is None:
        return None, []
    try:
        return (
            core.budget_vs_actuals(
                planned.budget,
                time_logs=[core_time_log(row) for row in time_logs],
                expenses=[core_expense(row) for row in expenses],
                payments=[core_payment(row) for row in payments],
                catalogue=planned.catalogue,
            ),
            [],
        )
    except core.BudgetError as error:
        return None, error.problems


def actuals_view(*, project: Project, catalogue: Catalogue | None = None) -> ActualsView:
    """Budget, team, time logs, expenses and payments: a fixed number of queries."""
    planned = budget_view(project=project, catalogue=catalogue)
    members = team_members(project=project)
    by_id = {member.pk: member for member in members}
    time_logs = list(TimeLog.objects.filter(project=project).order_by("-date", "-id"))
    expenses = list(Expense.objects.filter(project=project).order_by("-date", "-id"))
    payments = list(Payment.objects.filter(project=project).order_by("-activity_date", "-id"))
    # Each row's person from the list already read, rather than a query per row.
    for row in (*time_logs, *expenses, *payments):
        if row.person_id is not None:
            row.person = by_id[row.person_id]
    comparison, problems = compare(planned, time_logs, expenses, payments)
    return ActualsView(
        budget=planned,
        members=members,
        time_logs=time_logs,
        expenses=expenses,
        payments=payments,
        comparison=comparison,
        problems=problems,
    )


def visible_rows(rows: Iterable[Any], *, user: Any, project: Project) -> list[Any]:
    """The rows this user may see: the team sees all; anyone else only their own."""
    if costs_permissions(user, project)["costs.view_people_data"]:
        return list(rows)
    return [row for row in rows if owns(user, row)]


# --- Burden ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BurdenView:
    attribute: str
    shares: list[core.GroupShare]

    @property
    def flagged(self) -> list[core.GroupShare]:
        return [share for share in self.shares if share.flagged]


def burden_attributes(*, user: Any, project: Project) -> tuple[str, ...]:
    """The attributes this user may see the burden by."""
    allowed = costs_permissions(user, project)
    if allowed["costs.view_demographic_shares"]:
        return core.BURDEN_ATTRIBUTES
    return ("career_stage", "contract")


def burden_of(
    members: Sequence[TeamMember],
    time_logs: Sequence[TimeLog],
    attributes: Iterable[str],
    *,
    viewer_is_lead: bool,
) -> list[BurdenView]:
    people = [core_person(member) for member in members]
    logs = [core_time_log(row) for row in time_logs]
    return [
        BurdenView(
            attribute=attribute,
            shares=core.burden_shares(
                people,
                logs,
                attribute,  # type: ignore[arg-type]
                viewer_is_lead=viewer_is_lead,
            ),
        )
        for attribute in attributes
    ]


def burden_view(
    *, project: Project, user: Any, attributes: Sequence[str] | None = None
) -> list[BurdenView]:
    """Who bears the time, by each attribute this user may see (or those of them asked for):
    two queries."""
    allowed = burden_attributes(user=user, project=project)
    wanted = [a for a in allowed if attributes is None or a in attributes]
    members = team_members(project=project)
    time_logs = list(TimeLog.objects.filter(project=project))
    return burden_of(
        members,
        time_logs,
        wanted,
        viewer_is_lead=costs_permissions(user, project)["costs.view_small_groups"],
    )


# --- The overview's summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardSummary:
    currency: str
    budget_total: Any  # Decimal, or None when the budget has problems
    spent: Any  # Decimal, or None when it cannot be compared
    outstanding: Any
    budget_problems: int
    line_count: int
    flagged: list[tuple[str, str]]  # (attribute, group) of each burden flag shown, in words
    people: int

    @property
    def any_flag(self) -> bool:
        return bool(self.flagged)


def dashboard_summary(project: Project, *, user: Any = None) -> DashboardSummary:
    """Budget total, spent so far, and any burden flag, for the project's overview.

    A fixed number of queries. Without ``user`` the flags are those anyone but the lead may see,
    by career stage and contract only; with ``user``, those that user may see.
    """
    view = actuals_view(project=project)
    if user is None:
        attributes: tuple[str, ...] = ("career_stage", "contract")
        viewer_is_lead = False
    else:
        attributes = burden_attributes(user=user, project=project)
        viewer_is_lead = costs_permissions(user, project)["costs.view_small_groups"]
    burden = burden_of(view.members, view.time_logs, attributes, viewer_is_lead=viewer_is_lead)
    comparison = view.comparison
    return DashboardSummary(
        currency=view.budget.currency,
        budget_total=view.budget.budget.total if view.budget.budget else None,
        spent=comparison.spent if comparison else None,
        outstanding=comparison.outstanding if comparison else None,
        budget_problems=len(view.budget.problems) + len(view.problems),
        line_count=len(view.budget.rows),
        flagged=[
            (str(ATTRIBUTE_LABELS[b.attribute]), str(group_label(share)))
            for b in burden
            for share in b.flagged
        ],
        people=len(view.members),
    )

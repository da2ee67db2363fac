"""Writes. Each runs in one transaction, so nothing is ever half-saved, and each leaves history.

Values are checked by the core's own types before they are saved (a CostLine, a TimeLog, an
Expense, a Payment, a RateCardEntry), so a row the core would refuse is never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from coprod.core import costs as core
from coprod.core.plan import CostLine
from coprod.web.costs.models import (
    BudgetLine,
    Expense,
    Payment,
    Rate,
    RateCard,
    TeamMember,
    TimeLog,
)
from coprod.web.costs.plan_io import budget_line_row
from coprod.web.costs.selectors import card_entry, core_expense, core_payment, core_time_log
from coprod.web.projects.models import Organisation, Project

# --- Budget lines ---------------------------------------------------------------------------------


def _line_fields(line: CostLine) -> dict[str, Any]:
    row = budget_line_row(Project(), line, 0)
    return {
        name: getattr(row, name)
        for name in (
            "kind",
            "description",
            "amount",
            "quantity",
            "unit",
            "rate_card",
            "rate",
            "date",
            "role",
            "currency",
            "bearer",
            "stage",
            "standards",
        )
    }


@transaction.atomic
def budget_line_create(*, project: Project, line: CostLine) -> BudgetLine:
    position = BudgetLine.objects.filter(project=project).count()
    row = budget_line_row(project, line, position)
    row.save()
    return row


@transaction.atomic
def budget_line_update(*, row: BudgetLine, line: CostLine) -> BudgetLine:
    for name, value in _line_fields(line).items():
        setattr(row, name, value)
    row.save()
    return row


@transaction.atomic
def budget_line_delete(*, row: BudgetLine) -> None:
    row.delete()


@transaction.atomic
def budget_lines_import(*, project: Project, lines: Sequence[CostLine]) -> list[BudgetLine]:
    """Add lines read from a spreadsheet after the budget's own, all or none."""
    start = BudgetLine.objects.filter(project=project).count()
    rows = []
    for offset, line in enumerate(lines):
        row = budget_line_row(project, line, start + offset)
        row.save()
        rows.append(row)
    return rows


# --- Rate cards -----------------------------------------------------------------------------------


@transaction.atomic
def rate_card_create(
    *,
    organisation: Organisation,
    card_id: str,
    label: str,
    help: str,
    source: str,
    currency: str,
) -> RateCard:
    core._currency(currency)
    return RateCard.objects.create(
        organisation=organisation,
        card_id=card_id,
        label=label,
        help=help,
        source=source,
        currency=currency,
    )


def check_rate(card: RateCard, rate: Rate) -> None:
    """Raises ValidationError where the core refuses the card with this rate added."""
    rates = [*card.rates.all(), rate]
    try:
        card_entry(card, rates)
    except PydanticError as error:
        messages = [str(item["msg"]).removeprefix("Value error, ") for item in error.errors()]
        raise ValidationError(messages) from None


@transaction.atomic
def rate_add(
    *,
    card: RateCard,
    rate_id: str,
    label: str,
    unit: str,
    amount: Decimal,
    valid_from: dt.date,
    note: str = "",
) -> Rate:
    """A new amount of a rate, from a date. Old amounts are never edited, so that budgets made
    before the change still add up."""
    rate = Rate(
        card=card,
        rate_id=rate_id,
        label=label,
        unit=unit,
        amount=amount,
        valid_from=valid_from,
        note=note,
    )
    check_rate(card, rate)
    rate.save()
    return rate


# --- The team -------------------------------------------------------------------------------------


class DemographicsWithoutConsent(ValidationError):
    """Gender or ethnicity given for someone who has not agreed to record them."""


DEMOGRAPHIC_FIELDS = ("gender", "ethnicity")
MEMBER_FIELDS = (
    "name",
    "user_id",
    "role",
    "career_stage",
    "contract",
    "receives_benefits",
    "demographics_consent",
    *DEMOGRAPHIC_FIELDS,
)


def _apply_member_fields(member: TeamMember, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"not team member fields: {sorted(unknown)}")
    consent = fields.get("demographics_consent", member.demographics_consent)
    if not consent:
        if any((fields.get(name) or "").strip() for name in DEMOGRAPHIC_FIELDS):
            raise DemographicsWithoutConsent(
                _("Gender and ethnicity are recorded only when the person agrees to it.")
            )
        # No consent, or consent withdrawn: nothing is kept.
        given = dict.fromkeys(DEMOGRAPHIC_FIELDS, "")
    else:
        given = {
            name: ((fields[name] if name in fields else getattr(member, name)) or "").strip()
            for name in DEMOGRAPHIC_FIELDS
        }
    before = tuple(getattr(member, name) for name in DEMOGRAPHIC_FIELDS)
    for name, value in fields.items():
        if name not in DEMOGRAPHIC_FIELDS:
            setattr(member, name, value)
    for name, value in given.items():
        setattr(member, name, value)
    core.Person(
        id=member.name or "?",
        career_stage=member.career_stage or None,  # type: ignore[arg-type]
        contract=member.contract or None,  # type: ignore[arg-type]
    )
    if tuple(getattr(member, name) for name in DEMOGRAPHIC_FIELDS) != before:
        # The history notes that the answers changed, never what they were.
        member.demographics_revision += 1


@transaction.atomic
def team_member_create(*, project: Project, name: str, **fields: Any) -> TeamMember:
    """Someone whose time is logged. Gender and ethnicity only with their consent."""
    position = TeamMember.objects.filter(project=project).count()
    member = TeamMember(project=project, position=position)
    _apply_member_fields(member, {"name": name, **fields})
    member.save()
    return member


@transaction.atomic
def team_member_update(*, member: TeamMember, **fields: Any) -> TeamMember:
    """Change a member's details. Without consent (or on its withdrawal) gender and ethnicity
    are erased; giving them without consent is refused."""
    _apply_member_fields(member, fields)
    member.save()
    return member


@transaction.atomic
def demographics_withdraw(*, member: TeamMember) -> TeamMember:
    """The person no longer agrees: their gender and ethnicity are erased for good."""
    return team_member_update(member=member, demographics_consent=False)


@transaction.atomic
def team_member_delete(*, member: TeamMember) -> None:
    if (
        TimeLog.objects.filter(person=member).exists()
        or Expense.objects.filter(person=member).exists()
        or Payment.objects.filter(person=member).exists()
    ):
        raise ValidationError(
            _(
                "%(name)s has time, expenses or payments recorded. Delete those first, or keep "
                "%(name)s in the team so that the hours still count."
            )
            % {"name": member.name}
        )
    member.delete()


# --- Actuals --------------------------------------------------------------------------------------


def _same_project(project_id: int, person: TeamMember | None) -> None:
    if person is not None and person.project_id != project_id:
        raise ValueError("that person is not in this project's team")


def _check_time_log(row: TimeLog) -> None:
    _same_project(row.project_id, row.person)
    core_time_log(row)  # raises ValueError for values the core refuses


TIME_LOG_FIELDS = ("person", "activity", "date", "hours", "role", "kind", "rate_card", "rate")


@transaction.atomic
def time_log_create(*, project: Project, created_by: Any = None, **fields: Any) -> TimeLog:
    row = TimeLog(project=project, created_by=created_by, **_only(fields, TIME_LOG_FIELDS))
    _check_time_log(row)
    row.save()
    return row


@transaction.atomic
def time_log_update(*, row: TimeLog, **fields: Any) -> TimeLog:
    for name, value in _only(fields, TIME_LOG_FIELDS).items():
        setattr(row, name, value)
    _check_time_log(row)
    row.save()
    return row


@transaction.atomic
def time_log_delete(*, row: TimeLog) -> None:
    row.delete()


@transaction.atomic
def time_logs_import(
    *, project: Project, logs: Sequence[tuple[TeamMember, core.TimeLog]], created_by: Any = None
) -> list[TimeLog]:
    """Time logs read from a spreadsheet, each with its person in the team: all or none."""
    rows = []
    for person, log in logs:
        rows.append(
            time_log_create(
                project=project,
                created_by=created_by,
                person=person,
                activity=log.activity,
                date=log.date,
                hours=log.hours,
                role=log.role or "",
                kind=log.kind,
                rate_card=log.rate_card or "",
                rate=log.rate or "",
            )
        )
    return rows


EXPENSE_FIELDS = ("person", "description", "date", "amount", "currency", "kind", "bearer")


def _check_expense(row: Expense) -> None:
    _same_project(row.project_id, row.person)
    core_expense(row)


@transaction.atomic
def expense_create(*, project: Project, created_by: Any = None, **fields: Any) -> Expense:
    row = Expense(project=project, created_by=created_by, **_only(fields, EXPENSE_FIELDS))
    _check_expense(row)
    row.save()
    return row


@transaction.atomic
def expense_update(*, row: Expense, **fields: Any) -> Expense:
    for name, value in _only(fields, EXPENSE_FIELDS).items():
        setattr(row, name, value)
    _check_expense(row)
    row.save()
    return row


@transaction.atomic
def expense_delete(*, row: Expense) -> None:
    row.delete()


PAYMENT_FIELDS = ("person", "activity", "activity_date", "offered", "amount", "currency", "paid_on")


def _check_payment(row: Payment) -> None:
    _same_project(row.project_id, row.person)
    core_payment(row)  # a declined payment with a date paid is refused here


@transaction.atomic
def payment_create(*, project: Project, created_by: Any = None, **fields: Any) -> Payment:
    row = Payment(project=project, created_by=created_by, **_only(fields, PAYMENT_FIELDS))
    _check_payment(row)
    row.save()
    return row


@transaction.atomic
def payment_update(*, row: Payment, **fields: Any) -> Payment:
    for name, value in _only(fields, PAYMENT_FIELDS).items():
        setattr(row, name, value)
    _check_payment(row)
    row.save()
    return row


@transaction.atomic
def payment_delete(*, row: Payment) -> None:
    row.delete()


def _only(fields: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    return fields

"""Budget lines to and from the plan file's ``costs`` section. Only the mapping: no rule here."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from coprod.core.costs import DEFAULT_CURRENCY
from coprod.core.plan import CostLine
from coprod.web.costs.models import BudgetLine
from coprod.web.projects.models import Project


def cost_line(row: BudgetLine) -> CostLine:
    """One stored line as the core's CostLine. Empty fields stay unset, as in a file."""
    fields: dict[str, Any] = {"kind": row.kind, "description": row.description}
    optional: dict[str, Any] = {
        "amount": row.amount,
        "quantity": row.quantity,
        "unit": row.unit or None,
        "rate_card": row.rate_card or None,
        "rate": row.rate or None,
        "date": row.date,
        "role": row.role or None,
        "bearer": row.bearer or None,
        "stage": row.stage or None,
    }
    fields.update({name: value for name, value in optional.items() if value is not None})
    if row.currency and row.currency != DEFAULT_CURRENCY:
        fields["currency"] = row.currency
    if row.standards:
        fields["standards"] = list(row.standards)
    return CostLine.model_validate(fields)


def cost_lines(rows: Iterable[BudgetLine]) -> list[CostLine]:
    return [cost_line(row) for row in rows]


def to_plan(project: Project) -> list[CostLine]:
    """The project's budget lines for the plan file, in the order the budget shows them.

    Uses ``project.budget_lines`` as prefetched, if it was (one query otherwise).
    """
    return cost_lines(project.budget_lines.all())


def budget_line_row(project: Project, line: CostLine, position: int) -> BudgetLine:
    """An unsaved row for a CostLine of the plan."""
    return BudgetLine(
        project=project,
        kind=line.kind,
        description=line.description,
        amount=Decimal(line.amount) if line.amount is not None else None,
        quantity=Decimal(line.quantity) if line.quantity is not None else None,
        unit=line.unit.value if line.unit else "",
        rate_card=line.rate_card or "",
        rate=line.rate or "",
        date=line.date,
        role=line.role or "",
        currency=line.currency,
        bearer=line.bearer or "",
        stage=line.stage.value if line.stage else "",
        standards=[standard.value for standard in line.standards],
        position=position,
    )


@transaction.atomic
def replace_from_plan(project: Project, lines: Iterable[CostLine]) -> list[BudgetLine]:
    """Replace the project's budget lines with the plan's. Each deletion and creation is in the
    history, so every row is deleted and created one by one."""
    for row in BudgetLine.objects.filter(project=project):
        row.delete()
    created = []
    for position, line in enumerate(lines):
        row = budget_line_row(project, line, position)
        row.save()
        created.append(row)
    return created

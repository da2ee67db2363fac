"""Map stored risks to the core's :class:`coprod.core.plan.Risk` and back. No rule lives here.

The project's import, replace and export call :func:`replace_from_plan` and :func:`to_plan`, so
that the plan file's ``risks`` and the register in the browser are one and the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pydantic
from django.db import transaction

from coprod.core.plan import Risk
from coprod.web.projects.models import Project
from coprod.web.risks.models import ProjectRisk


def risk_data(row: ProjectRisk) -> dict[str, Any]:
    """A row as the core's Risk fields, with empty text as ``None`` (as a plan file leaves it)."""
    return {
        "stage": row.stage or None,
        "challenge": row.challenge,
        "cost_types": list(row.cost_types or []),
        "bears": list(row.bears or []),
        "bears_who": row.bears_who or None,
        "likelihood": row.likelihood,
        "impact": row.impact,
        "mitigation": row.mitigation or None,
        "owner": row.owner or None,
        "status": row.status,
        "reason": row.reason or None,
        "review": row.review,
        "catalogue_id": row.catalogue_id or None,
    }


def core_errors(error: pydantic.ValidationError) -> dict[str, list[str]]:
    """The core's objections by field name; objections to the risk as a whole under ``""``."""
    found: dict[str, list[str]] = {}
    for problem in error.errors():
        location = problem.get("loc") or ()
        name = str(location[0]) if location else ""
        context = problem.get("ctx") or {}
        message = str(context.get("error") or problem.get("msg") or "")
        found.setdefault(name, []).append(message)
    return found


def risk_of(row: ProjectRisk) -> Risk:
    """The row as the core's Risk; the core's model checks every value (pydantic raises)."""
    return Risk.model_validate(risk_data(row))


def row_fields(risk: Risk) -> dict[str, Any]:
    """The core's Risk as the model's fields."""
    return {
        "stage": risk.stage.value if risk.stage is not None else "",
        "challenge": risk.challenge,
        "cost_types": [c.value for c in risk.cost_types],
        "bears": [b.value for b in risk.bears],
        "bears_who": risk.bears_who or "",
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "mitigation": risk.mitigation or "",
        "owner": risk.owner or "",
        "status": risk.status,
        "reason": risk.reason or "",
        "review": risk.review,
        "catalogue_id": risk.catalogue_id or "",
    }


def rows_of(project: Project) -> list[ProjectRisk]:
    """The project's risks in register order (uses a prefetch of ``risks`` when there is one)."""
    return sorted(project.risks.all(), key=lambda row: (row.position, row.pk))


def risks_and_rows(project: Project) -> list[tuple[Risk, ProjectRisk]]:
    """Each stored risk as the core's Risk, beside its row, in position order."""
    return [(risk_of(row), row) for row in rows_of(project)]


def to_plan(project: Project) -> list[Risk]:
    """The project's risks as the plan file holds them, in position order (one query at most)."""
    return [risk for risk, _row in risks_and_rows(project)]


@transaction.atomic
def replace_from_plan(project: Project, risks: Sequence[Risk]) -> list[ProjectRisk]:
    """Replace the project's risks with the plan's. Each deletion and addition is in the history."""
    for row in ProjectRisk.objects.filter(project=project):
        row.delete()  # one by one, so that each deletion is in the history
    created = []
    for position, risk in enumerate(risks):
        row = ProjectRisk(project=project, position=position, **row_fields(risk))
        row.save()
        created.append(row)
    # Anything read before the replacement is stale now.
    getattr(project, "_prefetched_objects_cache", {}).pop("risks", None)
    return created

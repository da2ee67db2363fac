"""Writes to the risk register. Each runs in one transaction and leaves history.

Every value is checked by the core's :class:`coprod.core.plan.Risk` before it is saved (a rating
on the scale, a dismissal with its reason, the §4 identifiers); which risks to propose is the
core's :func:`coprod.core.risks.risk_register`. Nothing here decides a rule of its own.
"""

from __future__ import annotations

import copy
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coprod.web.projects.models import Project
from coprod.web.risks import plan_io, selectors
from coprod.web.risks.models import ProjectRisk

EDITABLE = (
    "stage",
    "challenge",
    "cost_types",
    "bears",
    "bears_who",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "status",
    "reason",
    "review",
)


def check_risk(row: ProjectRisk) -> None:
    """Ask the core whether the row is a valid risk; raise Django's ValidationError if not."""
    try:
        plan_io.risk_of(row)
    except pydantic.ValidationError as error:
        raise ValidationError(
            {
                name or "__all__": [ValidationError(message) for message in messages]
                for name, messages in plan_io.core_errors(error).items()
            }
        ) from error


def _next_position(project: Project) -> int:
    top = ProjectRisk.objects.filter(project=project).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _apply(row: ProjectRisk, fields: dict[str, Any]) -> ProjectRisk:
    """Set the fields on the row once the core has accepted the result; the row is untouched
    when it refuses, so a page shown again after an error shows the risk as it still is."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not risk fields: {sorted(unknown)}")
    candidate = copy.copy(row)
    for name, value in fields.items():
        setattr(candidate, name, value)
    check_risk(candidate)
    for name, value in fields.items():
        setattr(row, name, value)
    return row


@transaction.atomic
def risk_seed_proposals(*, project: Project) -> list[ProjectRisk]:
    """Store, as ``proposed``, each risk the core proposes for the plan that is not yet stored.

    The core decides what is proposed (Table 1 at the stages and levels chosen, and the paper's
    project-wide costs) and what counts as taken up already (the same catalogue entry at the same
    stage, whatever its status), so a dismissed risk is not proposed again.
    """
    # Lock the project, so that two people opening the register at once seed it only once.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    register = selectors.register_for(locked)
    proposals = [entry.risk for entry in register.entries if entry.origin == "seeded"]
    position = _next_position(locked)
    created = []
    for offset, risk in enumerate(proposals):
        row = ProjectRisk(project=locked, position=position + offset, **plan_io.row_fields(risk))
        check_risk(row)
        row.save()
        created.append(row)
    getattr(project, "_prefetched_objects_cache", {}).pop("risks", None)
    return created


@transaction.atomic
def risk_accept(
    *, risk: ProjectRisk, likelihood: int | None = None, impact: int | None = None
) -> ProjectRisk:
    """Take a proposed risk into the register (status ``open``), rated now or later."""
    if risk.status != "proposed":
        raise ValidationError(_("This risk has been reviewed already."))
    fields: dict[str, Any] = {"status": "open"}
    if likelihood is not None:
        fields["likelihood"] = likelihood
    if impact is not None:
        fields["impact"] = impact
    _apply(risk, fields).save()
    return risk


@transaction.atomic
def risk_update(*, risk: ProjectRisk, **fields: Any) -> ProjectRisk:
    """Change a risk's fields; the core checks the result before anything is saved."""
    _apply(risk, fields).save()
    return risk


@transaction.atomic
def risk_dismiss(*, risk: ProjectRisk, reason: str) -> ProjectRisk:
    """Dismiss a risk with the team's reason. The core refuses a dismissal without one."""
    _apply(risk, {"status": "dismissed", "reason": reason.strip()}).save()
    return risk


@transaction.atomic
def risk_create(*, project: Project, **fields: Any) -> ProjectRisk:
    """Add the team's own risk at the end of the register."""
    row = _apply(ProjectRisk(project=project, position=_next_position(project)), fields)
    row.save()
    return row

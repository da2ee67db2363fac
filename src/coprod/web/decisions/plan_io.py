"""The dissemination agreement's lines to and from the plan file. Only the mapping: no rule here.

The plan file holds them as ``governance.dissemination.rights`` (:class:`coprod.core.plan.
PublicationRight`). The date a draft was shared with partners is kept in Coprod only: replacing
the lines from a file keeps it for a line of the same output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pydantic
from django.db import transaction

from coprod.core.plan import PublicationRight as PlanRight
from coprod.web.decisions.models import PublicationRight
from coprod.web.projects.models import Project
from coprod.web.risks.plan_io import core_errors


def right_data(row: PublicationRight) -> dict[str, Any]:
    """A row as the core's fields; empty ones are left out, as a person writing the file would."""
    fields: dict[str, Any] = {
        "output": row.output,
        "who": row.who,
        "partner_review": row.partner_review,
    }
    optional = {
        "review_window_days": row.review_window_days,
        "embargo_until": row.embargo_until,
        "note": row.note or None,
    }
    fields.update({name: value for name, value in optional.items() if value is not None})
    return fields


def right_of(row: PublicationRight) -> PlanRight:
    """The row as the core's PublicationRight; the core's model checks every value."""
    return PlanRight.model_validate(right_data(row))


def right_problems(fields: dict[str, Any]) -> dict[str, list[str]]:
    """What the core's PublicationRight objects to in these values of a line, by field name."""
    try:
        right_of(PublicationRight(**fields))
    except pydantic.ValidationError as error:
        return core_errors(error)
    return {}


def rows_of(project: Project) -> list[PublicationRight]:
    """The lines in agreement order (uses a prefetch of ``publication_rights`` if there is one)."""
    return sorted(project.publication_rights.all(), key=lambda row: (row.position, row.pk))


def to_plan(project: Project) -> list[PlanRight]:
    """The project's agreement lines for the plan file, in order (one query at most)."""
    return [right_of(row) for row in rows_of(project)]


def row_fields(right: PlanRight) -> dict[str, Any]:
    """The core's PublicationRight as the model's fields."""
    return {
        "output": right.output,
        "who": right.who,
        "partner_review": right.partner_review.value,
        "review_window_days": right.review_window_days,
        "embargo_until": right.embargo_until,
        "note": right.note or "",
    }


def _key(output: str) -> str:
    return " ".join(output.split()).casefold()


@transaction.atomic
def replace_from_plan(project: Project, rights: Iterable[PlanRight]) -> list[PublicationRight]:
    """Replace the project's agreement lines with the plan's. Each deletion and addition is in the
    history. A line for the same output keeps the date its draft was shared with partners."""
    shared: dict[str, Any] = {}
    for row in PublicationRight.objects.filter(project=project).order_by("position", "id"):
        if row.draft_shared_on is not None:
            shared.setdefault(_key(row.output), row.draft_shared_on)
        row.delete()  # one by one, so that each deletion is in the history
    created = []
    for position, right in enumerate(rights):
        row = PublicationRight(
            project=project,
            position=position,
            draft_shared_on=shared.pop(_key(right.output), None),
            **row_fields(right),
        )
        row.save()
        created.append(row)
    # Anything read before the replacement is stale now.
    getattr(project, "_prefetched_objects_cache", {}).pop("publication_rights", None)
    return created

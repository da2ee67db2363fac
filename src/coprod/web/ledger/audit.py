"""The ledger's table for the project's record of changes (:mod:`coprod.web.projects.audit`).

To show it there, add :data:`TABLES` to its ``TABLES``, :data:`DESCRIBE` to its ``DESCRIBE`` and
:data:`ANONYMITY` to its ``ANONYMITY``. The last keeps anonymous contributions anonymous in the
record: for any contribution that is (or ever was) anonymous, no row says who saved it or who
submitted it, and no row names the roster person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from coprod.web.ledger.models import Contribution
from coprod.web.projects.audit import ADDED, CHANGED, REMOVED, Anonymity

TABLES: tuple[tuple[str, type[models.Model]], ...] = (("contribution", Contribution),)

ANONYMITY: dict[str, Anonymity] = {
    "contribution": Anonymity(flag="anonymous", hidden=("stakeholder_id", "submitted_by_id")),
}


def _short(text: Any, limit: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe_contribution(kind: str, row: Any) -> str:
    what = {"what": _short(row.get("text"))}
    if kind == ADDED:
        return str(gettext_lazy("Recorded a contribution: ‘%(what)s’")) % what
    if kind == REMOVED:
        return str(gettext_lazy("Removed the contribution ‘%(what)s’")) % what
    changed = set(getattr(row, "changed", ()))
    if changed == {"told_on"}:
        return str(gettext_lazy("Marked the contributor told about ‘%(what)s’")) % what
    if changed & {"disposition", "reason", "changed", "disposed_on"}:
        return str(gettext_lazy("Decided what became of ‘%(what)s’")) % what
    return str(gettext_lazy("Changed the contribution ‘%(what)s’")) % what


DESCRIBE: dict[str, Callable[[str, Any], str]] = {"contribution": _describe_contribution}

__all__ = ["ANONYMITY", "CHANGED", "DESCRIBE", "TABLES"]

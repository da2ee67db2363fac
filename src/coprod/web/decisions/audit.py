"""The decisions tables for the project's record of changes (:mod:`coprod.web.projects.audit`).

To show them there, add :data:`TABLES` to its ``TABLES`` and :data:`DESCRIBE` to its ``DESCRIBE``
(as it does for the costs tables). Each table has a ``project`` column, as that module's reads
expect. A history row holds ids, not names, for the people and contributions a decision links
to, so the descriptions here name the decision or the line instead; an anonymous contribution's
author is never in these rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from coprod.web.decisions.models import (
    Decision,
    DecisionContribution,
    DecisionParticipant,
    PublicationRight,
    TermsOfReference,
)
from coprod.web.projects.audit import ADDED, CHANGED, REMOVED

TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("decision", Decision),
    ("decision_participant", DecisionParticipant),
    ("decision_contribution", DecisionContribution),
    ("publication_right", PublicationRight),
    ("terms_of_reference", TermsOfReference),
)


def _short(text: Any, limit: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _words(added: Any, changed: Any, removed: Any, field: str | None = None) -> Any:
    def describe(kind: str, row: Any) -> str:
        template = {ADDED: added, CHANGED: changed, REMOVED: removed}[kind]
        return str(template) % {"what": _short(row.get(field)) if field else ""}

    return describe


def _describe_participant(kind: str, row: Any) -> str:
    if kind == CHANGED and "dissented" in getattr(row, "changed", ()):
        if row.get("dissented"):
            return str(gettext_lazy("Recorded that someone disagreed with a decision"))
        return str(gettext_lazy("Recorded that someone no longer disagreed with a decision"))
    return _words(
        gettext_lazy("Added someone to those who took part in a decision"),
        gettext_lazy("Changed who took part in a decision"),
        gettext_lazy("Removed someone from those who took part in a decision"),
    )(kind, row)


DESCRIBE: dict[str, Callable[[str, Any], str]] = {
    "decision": _words(
        gettext_lazy("Recorded a decision: ‘%(what)s’"),
        gettext_lazy("Changed the decision ‘%(what)s’"),
        gettext_lazy("Deleted the decision ‘%(what)s’"),
        "what",
    ),
    "decision_participant": _describe_participant,
    "decision_contribution": _words(
        gettext_lazy("Linked a contribution to a decision it answered"),
        gettext_lazy("Changed a contribution's link to a decision"),
        gettext_lazy("Unlinked a contribution from a decision"),
    ),
    "publication_right": _words(
        gettext_lazy("Added to the agreement on publishing: ‘%(what)s’"),
        gettext_lazy("Changed the agreement on publishing for ‘%(what)s’"),
        gettext_lazy("Removed from the agreement on publishing: ‘%(what)s’"),
        "output",
    ),
    "terms_of_reference": _words(
        gettext_lazy("Wrote terms of reference: ‘%(what)s’"),
        gettext_lazy("Changed the terms of reference ‘%(what)s’"),
        gettext_lazy("Removed the terms of reference ‘%(what)s’"),
        "role",
    ),
}

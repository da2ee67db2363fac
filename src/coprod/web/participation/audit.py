"""The participation tables for the project's record of changes (:mod:`coprod.web.projects.audit`).

To show them there, add :data:`TABLES` to its ``TABLES`` and :data:`DESCRIBE` to its ``DESCRIBE``.
Each table has a ``project`` column, as that module's reads expect. A transcript's text and turns
are never in the history; the per-person and per-group figures are worked out again at every
analysis and have no history of their own: each analysis is a change to its meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from coprod.web.participation.models import MeetingBalance, SpeakerName, Transcript
from coprod.web.projects.audit import ADDED, CHANGED, REMOVED

TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("speaker_name", SpeakerName),
    ("meeting_balance", MeetingBalance),
    ("transcript", Transcript),
)


def _describe(added: Any, changed: Any, removed: Any, field: str) -> Callable[[str, Any], str]:
    """A sentence for an added, changed or removed row, naming it by one of its fields."""
    templates = {ADDED: added, CHANGED: changed, REMOVED: removed}

    def describe(kind: str, row: Any) -> str:
        value = " ".join(str(row.get(field) or "").split())
        return str(templates[kind]) % {"what": value[:59] + "…" if len(value) > 60 else value}

    return describe


DESCRIBE: dict[str, Callable[[str, Any], str]] = {
    "speaker_name": _describe(
        gettext_lazy("Said who ‘%(what)s’ is in meeting transcripts"),
        gettext_lazy("Changed who ‘%(what)s’ is in meeting transcripts"),
        gettext_lazy("Forgot who ‘%(what)s’ is in meeting transcripts"),
        "transcript_name",
    ),
    "meeting_balance": _describe(
        gettext_lazy("Analysed who spoke at a meeting (%(what)s words)"),
        gettext_lazy("Worked out who spoke at a meeting again (%(what)s words)"),
        gettext_lazy("Removed the figures of a meeting (%(what)s words)"),
        "words",
    ),
    "transcript": _describe(
        gettext_lazy("Read the transcript ‘%(what)s’"),
        gettext_lazy("Read the transcript ‘%(what)s’ again"),
        gettext_lazy("Removed the transcript ‘%(what)s’"),
        "filename",
    ),
}

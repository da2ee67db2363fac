"""The roster and activity tables for the project's record of changes
(:mod:`coprod.web.projects.audit`).

To show them there, add :data:`TABLES` to its ``TABLES`` and :data:`DESCRIBE` to its
``DESCRIBE`` (after the projects' own entries: ``DESCRIBE["stakeholder"]`` here replaces the
projects' one, so that a change of consent or of gender and ethnicity is told in words, never with
the answers). Each table has a ``project`` column, as that module's reads expect. The roster
itself (``stakeholder``) is already one of the projects' tables. Gender and ethnicity are never in
the history; ``demographics_revision`` records that they changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from coprod.web.costs.audit import _describe, _short  # the same words for a row by one field
from coprod.web.people.models import Activity, Attendance
from coprod.web.projects.audit import ADDED, CHANGED, REMOVED

TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("activity", Activity),
    ("attendance", Attendance),
)


def _fixed(added: Any, changed: Any, removed: Any) -> Callable[[str, Any], str]:
    def describe(kind: str, row: Any) -> str:
        return str({ADDED: added, CHANGED: changed, REMOVED: removed}[kind])

    return describe


def _describe_stakeholder(kind: str, row: Any) -> str:
    name = _short(row.get("name"))
    changed = set(getattr(row, "changed", ()))
    if kind == CHANGED and row.get("erased_at"):
        return str(gettext_lazy("Erased the personal data of someone on the roster"))
    if kind == CHANGED and "demographics_revision" in changed:
        if not row.get("demographics_consent"):
            return str(gettext_lazy("Erased the gender and ethnicity of %(name)s")) % {"name": name}
        return str(gettext_lazy("Changed the gender or ethnicity of %(name)s")) % {"name": name}
    if kind == CHANGED and "contact_consent" in changed and not row.get("contact_consent"):
        return str(
            gettext_lazy(
                "%(name)s withdrew their consent to be contacted; their contact details were erased"
            )
        ) % {"name": name}
    return _describe(
        gettext_lazy("Added %(what)s to the roster"),
        gettext_lazy("Changed the details of %(what)s on the roster"),
        gettext_lazy("Removed %(what)s from the roster"),
        "name",
    )(kind, row)


DESCRIBE: dict[str, Callable[[str, Any], str]] = {
    "stakeholder": _describe_stakeholder,
    "activity": _describe(
        gettext_lazy("Recorded an activity: ‘%(what)s’"),
        gettext_lazy("Changed the activity ‘%(what)s’"),
        gettext_lazy("Deleted the activity ‘%(what)s’"),
        "title",
    ),
    "attendance": _fixed(
        gettext_lazy("Recorded someone's attendance at an activity"),
        gettext_lazy("Changed someone's hours or time log at an activity"),
        gettext_lazy("Removed someone from an activity's attendance"),
    ),
}

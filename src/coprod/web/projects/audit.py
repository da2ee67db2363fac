"""The record of every change to a project: who, what, when, and the values before and after.

The history tables of django-simple-history hold one row per save or deletion. Reading them is
split in two:

* :func:`read_changes` runs a fixed number of queries (one per history table, then one for the
  people named), whatever the size of the history;
* :func:`build_changes` is a pure function over those rows: it compares each row with the previous
  row of the same record, and describes the change in plain words.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Criterion
from coprod.web.projects.models import (
    Aim,
    AlternativeChoice,
    Assessment,
    CriterionWeight,
    Invitation,
    Membership,
    Project,
    Role,
    StagePlan,
    Stakeholder,
)
from coprod.web.risks.models import ProjectRisk

ADDED, CHANGED, REMOVED = "+", "~", "-"

# Fields that change on every save, or only tie a row to its project: never shown as changes.
IGNORED_FIELDS = {"id", "project", "created_at", "updated_at"}
CRITERIA = {c.value for c in Criterion}

# Plainer names for fields whose model gives none (or only a technical one).
LABELS = {
    "user": gettext_lazy("Coprod account"),
    "position": gettext_lazy("Place in the list"),
    "catalogue_id": gettext_lazy("Catalogue entry"),
    "has_governance": gettext_lazy("Governance written down"),
    "has_dissemination_agreement": gettext_lazy("Agreement on publishing written down"),
    "has_ethics": gettext_lazy("Ethics details written down"),
    "plan_costs": gettext_lazy("Budget lines"),
    "plan_risks": gettext_lazy("Risks"),
    "criteria": gettext_lazy("Context answers"),
    "weights": gettext_lazy("Weights"),
    "warnings": gettext_lazy("Warnings"),
    "emphasis": gettext_lazy("Emphasis"),
    "catalogue_version": gettext_lazy("Catalogue version"),
    "accepted_at": gettext_lazy("Accepted on"),
}


@dataclass(frozen=True)
class FieldSpec:
    """What the change log needs to know about one field of a record."""

    attname: str  # the key in a history row: "role", "created_by_id"
    name: str  # the field's name: "role", "created_by"
    label: Any  # shown to people; may be a lazy translation
    kind: str  # "user", "organisation", "choice", "bool", "value"
    choices: Mapping[Any, Any]


@dataclass(frozen=True)
class TableSpec:
    key: str  # "project", "aim", ...
    fields: tuple[FieldSpec, ...]

    @property
    def user_attnames(self) -> tuple[str, ...]:
        return tuple(f.attname for f in self.fields if f.kind == "user")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """One entry in the change log."""

    key: str  # the table: "project", "aim", ...
    object_id: int
    history_id: int
    when: dt.datetime
    kind: str  # ADDED, CHANGED or REMOVED
    who: str  # the person who made the change; empty when nobody was recorded
    who_id: int | None
    description: str
    fields: tuple[FieldChange, ...]

    @property
    def day(self) -> dt.date:
        """The day of the change where the app runs (the page groups changes by day)."""
        return timezone.localtime(self.when).date()


# The tables read, in the order that breaks ties between changes saved at the same moment.
TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("project", Project),
    ("membership", Membership),
    ("invitation", Invitation),
    ("aim", Aim),
    ("weight", CriterionWeight),
    ("alternative", AlternativeChoice),
    ("stage_plan", StagePlan),
    ("stakeholder", Stakeholder),
    ("assessment", Assessment),
    ("risk", ProjectRisk),
)
TABLE_ORDER = {key: index for index, (key, _model) in enumerate(TABLES)}


@dataclass(frozen=True)
class Anonymity:
    """How a table marks a record that must name nobody (an anonymous contribution, SPEC §3).

    ``flag`` is the field that marks such a record; ``hidden`` the fields never shown for it.
    When any row of a record has the flag, every row of that record, earlier ones included, shows
    no person: who saved it becomes "someone", and the hidden fields are left out.
    """

    flag: str
    hidden: tuple[str, ...] = ()


# Tables whose records may be anonymous, by table key. Apps add theirs beside TABLES and DESCRIBE.
ANONYMITY: dict[str, Anonymity] = {}


def anonymous_ids(key: str, rows: Iterable[Mapping[str, Any]]) -> set[int]:
    """The records of this table that any of these history rows marks anonymous."""
    rule = ANONYMITY.get(key)
    if rule is None:
        return set()
    return {row["id"] for row in rows if row.get(rule.flag)}


def _field_spec(field: models.Field[Any, Any]) -> FieldSpec:
    kind = "value"
    if field.is_relation:
        related = field.related_model
        if related is not None and related._meta.label == settings.AUTH_USER_MODEL:
            kind = "user"
        else:
            kind = "organisation"
    elif field.choices:
        kind = "choice"
    elif isinstance(field, models.BooleanField):
        kind = "bool"
    return FieldSpec(
        attname=field.attname,
        name=field.name,
        label=LABELS.get(field.name) or capfirst(field.verbose_name),
        kind=kind,
        choices=dict(field.flatchoices) if field.choices else {},
    )


@cache
def table_specs() -> dict[str, TableSpec]:
    """The fields of each record the change log compares, read from the models."""
    specs = {}
    for key, model in TABLES:
        historical = model.history.model  # type: ignore[attr-defined]
        fields = tuple(
            _field_spec(field)
            for field in historical._meta.concrete_fields
            if field.name not in IGNORED_FIELDS and not field.name.startswith("history_")
        )
        specs[key] = TableSpec(key=key, fields=fields)
    return specs


# --- values in words ---------------------------------------------------------------------------


def _catalogue_labels() -> dict[str, Mapping[Any, Any]]:
    catalogue = default_catalogue()
    return {
        "stage": catalogue.stages,
        "current_stage": catalogue.stages,
        "stages": catalogue.stages,
        "level": catalogue.levels,
        "motivation": catalogue.motivations,
        "group": catalogue.groups,
        "groups": catalogue.groups,
        "for_whom": catalogue.groups,
        "criterion": catalogue.criteria,
        "standards": catalogue.standards,
        "governance_standards": catalogue.standards,
        "methods": catalogue.methods,
    }


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "; ".join(
            json.dumps(item, ensure_ascii=False, default=str)
            if isinstance(item, dict | list)
            else _plain(item)
            for item in value
        )
    return str(value)


def format_value(
    spec: FieldSpec,
    value: Any,
    names: Mapping[int, str],
    labels: Mapping[str, Mapping[Any, Any]],
    row: Mapping[str, Any] | None = None,
) -> str:
    """A stored value as people read it: names for people, labels for the catalogue's ids."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if spec.kind == "user":
        return names.get(value, _("a person no longer on Coprod"))
    if spec.kind == "organisation":
        label = (row or {}).get(f"{spec.name}_label")
        return str(label) if label else str(value)
    if spec.kind == "choice" and spec.name not in labels:
        return str(spec.choices.get(value, value))
    catalogue = labels.get(spec.name)
    if catalogue is not None:

        def label(item: Any) -> str:
            entry = catalogue.get(item)
            return str(entry.label) if entry is not None else str(item)

        if isinstance(value, list):
            return ", ".join(label(item) for item in value)
        return label(value)
    return _plain(value)


# --- plain descriptions ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """What a description may use: the row (or, for a deletion, the row as it was)."""

    values: Mapping[str, Any]
    changed: tuple[str, ...]  # names of the fields that changed
    names: Mapping[int, str]
    labels: Mapping[str, Mapping[Any, Any]]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def person(self, attname: str) -> str:
        user_id = self.values.get(attname)
        if user_id is None:
            return _("someone")
        return self.names.get(user_id, _("a person no longer on Coprod"))

    def catalogue_label(self, section: str, value: Any) -> str:
        entry = self.labels.get(section, {}).get(value)
        return str(entry.label) if entry is not None else str(value or "")


def _role(value: Any) -> str:
    try:
        return str(Role(value).label).lower()
    except ValueError:
        return str(value)


def _short(text: Any, limit: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe_project(kind: str, row: _Row) -> str:
    if kind == ADDED:
        return _("Created the project")
    if kind == REMOVED:
        return _("Deleted the project")
    criteria = [name for name in row.changed if name in CRITERIA]
    if criteria and len(criteria) == len(row.changed):
        if len(criteria) == 1:
            return _("Changed the context answer ‘%(criterion)s’") % {
                "criterion": row.catalogue_label("criterion", criteria[0])
            }
        return ngettext(
            "Changed %(count)d context answer",
            "Changed %(count)d context answers",
            len(criteria),
        ) % {"count": len(criteria)}
    if len(row.changed) == 1:
        spec = {f.name: f for f in table_specs()["project"].fields}[row.changed[0]]
        return _("Changed ‘%(field)s’") % {"field": spec.label}
    return _("Changed the project’s details")


def _describe_membership(kind: str, row: _Row) -> str:
    values = {"person": row.person("user_id"), "role": _role(row.get("role"))}
    if kind == ADDED:
        return _("Added %(person)s as %(role)s") % values
    if kind == REMOVED:
        return _("Removed %(person)s as %(role)s") % values
    return _("Made %(person)s %(role)s") % values


def _describe_invitation(kind: str, row: _Row) -> str:
    values = {"email": row.get("email"), "role": _role(row.get("role"))}
    if kind == ADDED:
        return _("Invited %(email)s as %(role)s") % values
    if kind == REMOVED:
        return _("Cancelled the invitation to %(email)s") % values
    if "accepted_at" in row.changed and row.get("accepted_at"):
        return _("%(email)s accepted the invitation") % values
    return _("Changed the invitation to %(email)s") % values


def _simple(added: Any, changed: Any, removed: Any, **fields: Callable[[_Row], str]) -> Any:
    def describe(kind: str, row: _Row) -> str:
        template = {ADDED: added, CHANGED: changed, REMOVED: removed}[kind]
        return str(template) % {name: read(row) for name, read in fields.items()}

    return describe


DESCRIBE: dict[str, Callable[[str, _Row], str]] = {
    "risk": _simple(
        gettext_lazy("Added a risk: ‘%(challenge)s’"),
        gettext_lazy("Changed the risk ‘%(challenge)s’"),
        gettext_lazy("Removed the risk ‘%(challenge)s’"),
        challenge=lambda row: _short(row.get("challenge")),
    ),
    "project": _describe_project,
    "membership": _describe_membership,
    "invitation": _describe_invitation,
    "aim": _simple(
        gettext_lazy("Added an aim: ‘%(outcome)s’"),
        gettext_lazy("Changed the aim ‘%(outcome)s’"),
        gettext_lazy("Removed the aim ‘%(outcome)s’"),
        outcome=lambda row: _short(row.get("outcome")),
    ),
    "weight": _simple(
        gettext_lazy("Gave a weight to the context question ‘%(criterion)s’"),
        gettext_lazy("Changed the weight of the context question ‘%(criterion)s’"),
        gettext_lazy("Removed the weight of the context question ‘%(criterion)s’"),
        criterion=lambda row: row.catalogue_label("criterion", row.get("criterion")),
    ),
    "alternative": _simple(
        gettext_lazy("Added another approach: ‘%(approach)s’"),
        gettext_lazy("Changed the approach ‘%(approach)s’"),
        gettext_lazy("Removed the approach ‘%(approach)s’"),
        approach=lambda row: _short(row.get("approach")),
    ),
    "stage_plan": _simple(
        gettext_lazy("Planned the stage ‘%(stage)s’"),
        gettext_lazy("Changed the plan for the stage ‘%(stage)s’"),
        gettext_lazy("Removed the plan for the stage ‘%(stage)s’"),
        stage=lambda row: row.catalogue_label("stage", row.get("stage")),
    ),
    "stakeholder": _simple(
        gettext_lazy("Added %(name)s to the people in the plan"),
        gettext_lazy("Changed the details of %(name)s in the plan"),
        gettext_lazy("Removed %(name)s from the people in the plan"),
        name=lambda row: _short(row.get("name")),
    ),
    "assessment": _simple(
        gettext_lazy("Recorded an assessment"),
        gettext_lazy("Changed an assessment"),
        gettext_lazy("Deleted an assessment"),
    ),
}


# --- the pure part -----------------------------------------------------------------------------


def _differs(spec: FieldSpec, before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    return before.get(spec.attname) != after.get(spec.attname)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def build_changes(
    rows: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    names: Mapping[int, str],
    specs: Mapping[str, TableSpec] | None = None,
) -> list[Change]:
    """Every change in the history rows, newest first.

    ``rows`` holds, for each table key, the history rows (as dictionaries, as ``.values()`` gives
    them) of one project. Each row is compared with the previous row of the same record; a save
    that changed nothing is left out. ``names`` gives each person's name by their id.
    """
    specs = specs or table_specs()
    labels = _catalogue_labels()
    changes: list[Change] = []
    for key, table_rows in rows.items():
        spec = specs[key]
        ordered = sorted(table_rows, key=lambda r: (r["id"], r["history_date"], r["history_id"]))
        anonymous = anonymous_ids(key, ordered)
        hidden = set(ANONYMITY[key].hidden) if key in ANONYMITY else set()
        previous: dict[int, Mapping[str, Any]] = {}
        for row in ordered:
            kind = row["history_type"]
            before = previous.get(row["id"]) if kind != ADDED else None
            previous[row["id"]] = row
            fields: list[FieldChange] = []
            changed: list[str] = []
            nameless = row["id"] in anonymous
            for field in spec.fields:
                if nameless and (field.attname in hidden or field.kind == "user"):
                    continue
                value = row.get(field.attname)
                if kind == CHANGED:
                    if before is None or not _differs(field, before, row):
                        continue
                    old = before.get(field.attname)
                    fields.append(
                        FieldChange(
                            field.name,
                            str(field.label),
                            format_value(field, old, names, labels, before),
                            format_value(field, value, names, labels, row),
                        )
                    )
                    changed.append(field.name)
                elif not _is_empty(value):
                    shown = format_value(field, value, names, labels, row)
                    fields.append(
                        FieldChange(
                            field.name,
                            str(field.label),
                            "" if kind == ADDED else shown,
                            shown if kind == ADDED else "",
                        )
                    )
            if kind == CHANGED and before is not None and not changed:
                continue  # saved again with nothing changed
            description = DESCRIBE[key](
                kind, _Row(values=row, changed=tuple(changed), names=names, labels=labels)
            )
            who_id = None if nameless else row.get("history_user_id")
            if nameless:
                who = _("someone")
            elif who_id is not None:
                who = names.get(who_id, _("a person no longer on Coprod"))
            else:
                who = ""
            changes.append(
                Change(
                    key=key,
                    object_id=row["id"],
                    history_id=row["history_id"],
                    when=row["history_date"],
                    kind=kind,
                    who=who,
                    who_id=who_id,
                    description=description,
                    fields=tuple(fields),
                )
            )
    changes.sort(key=lambda c: (c.when, TABLE_ORDER.get(c.key, 0), c.history_id), reverse=True)
    return changes


def user_ids_in(
    rows: Mapping[str, Iterable[Mapping[str, Any]]], specs: Mapping[str, TableSpec] | None = None
) -> set[int]:
    """Everyone a set of history rows names: who made each change, and the people in it."""
    specs = specs or table_specs()
    ids: set[int] = set()
    for key, table_rows in rows.items():
        attnames = ("history_user_id", *specs[key].user_attnames)
        anonymous = anonymous_ids(key, table_rows)
        for row in table_rows:
            if row["id"] not in anonymous:  # an anonymous record names nobody, so look nobody up
                ids.update(row[a] for a in attnames if row.get(a) is not None)
    return ids


# --- the reads ---------------------------------------------------------------------------------


def history_rows(project_id: int) -> dict[str, Sequence[Mapping[str, Any]]]:
    """Every history row of the project's records: one query per history table."""
    rows: dict[str, Sequence[Mapping[str, Any]]] = {}
    for key, model in TABLES:
        history = model.history  # type: ignore[attr-defined]
        if model is Project:
            queryset = history.filter(id=project_id).annotate(
                organisation_label=models.F("organisation__name")
            )
        else:
            queryset = history.filter(project_id=project_id)
        rows[key] = list(queryset.order_by("id", "history_date", "history_id").values())
    return rows


def read_changes(project: Project) -> list[Change]:
    """Every change to the project's records, newest first, in a fixed number of queries."""
    from django.contrib.auth import get_user_model

    rows = history_rows(project.pk)
    ids = user_ids_in(rows)
    users = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .only("id", "username", "display_name", "first_name", "last_name")
        if ids
        else []
    )
    names = {user.pk: str(user) for user in users}
    return build_changes(rows, names=names)


def register(
    *,
    tables: tuple[tuple[str, type[models.Model]], ...],
    describe: Mapping[str, Callable[[str, Any], str]],
    anonymity: Mapping[str, Anonymity] | None = None,
) -> None:
    """Add an app's tables to the record of changes. Each app calls this from its ``ready()``,
    so that this module never imports the apps that build on it."""
    global TABLES, TABLE_ORDER
    known = {key for key, _model in TABLES}
    TABLES = (*TABLES, *(table for table in tables if table[0] not in known))
    TABLE_ORDER = {key: index for index, (key, _model) in enumerate(TABLES)}
    DESCRIBE.update(describe)
    ANONYMITY.update(anonymity or {})

"""A roster import between its steps: the file kept on the server, and what the preview shows.

The uploaded file is stored in a :class:`RosterUpload` row under a random token; the session holds
only that token, for this project. Nothing from the browser is trusted between steps: the file is
read again from the server at each step, and the mapping and the choices are checked again before
anything is saved. Reading and checking are the formats' (:func:`read_table`,
:func:`guess_mapping`, :func:`read_roster`); this module only joins them to the saved roster.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.core.problems import Problem
from coprod.formats.roster_import import (
    ExistingPerson,
    RosterEntry,
    RosterImport,
    guess_mapping,
    read_roster,
)
from coprod.formats.tables import Table, read_table
from coprod.web.people import services
from coprod.web.people.models import RosterUpload
from coprod.web.projects.models import Project, Stakeholder

KEEP_FOR = dt.timedelta(days=1)
SKIP, ADD, UPDATE = "skip", "add", "update"


def _session_key(project: Project) -> str:
    return f"people-roster-import-{project.pk}"


def upload_store(
    request: HttpRequest, project: Project, *, filename: str, data: bytes
) -> RosterUpload:
    """Keep the file on the server for the next steps, replacing this user's earlier one."""
    upload_discard(request, project)
    RosterUpload.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    upload = RosterUpload.objects.create(
        project=project,
        user=request.user,
        token=secrets.token_urlsafe(32),
        filename=filename[:255],
        data=data,
    )
    request.session[_session_key(project)] = upload.token
    return upload


def upload_for(request: HttpRequest, project: Project) -> RosterUpload | None:
    """This user's file for this project, if the session names one that is still kept."""
    token = request.session.get(_session_key(project))
    if not token:
        return None
    return RosterUpload.objects.filter(
        token=token,
        project=project,
        user_id=request.user.pk,
        created_at__gte=timezone.now() - KEEP_FOR,
    ).first()


def upload_discard(request: HttpRequest, project: Project) -> None:
    token = request.session.pop(_session_key(project), None)
    if token:
        RosterUpload.objects.filter(token=token, user_id=request.user.pk).delete()


def upload_table(upload: RosterUpload) -> Table:
    return read_table(bytes(upload.data), upload.filename, sheet=upload.sheet or None)


def upload_mapping(upload: RosterUpload, table: Table) -> tuple[dict[str, int | None], str]:
    """The mapping chosen (or else guessed) and the group for rows without one."""
    saved = upload.mapping or {}
    if "columns" in saved:
        columns = dict(saved["columns"])
        return columns, str(saved.get("default_group") or "")
    return guess_mapping(table.headers), ""


def column_samples(table: Table, limit: int = 3) -> list[str]:
    """The first few values of each column, to help the user map it."""
    samples: list[list[str]] = [[] for _header in table.headers]
    for _number, cells in table.rows:
        for index, value in enumerate(cells):
            if value is not None and len(samples[index]) < limit:
                samples[index].append(str(value)[:40])
        if all(len(sample) >= limit for sample in samples):
            break
    return [", ".join(sample) for sample in samples]


# --- The preview ----------------------------------------------------------------------------------


@dataclass
class Doubt:
    """A row that looks like someone already saved, or like an earlier row of the file."""

    entry: RosterEntry
    messages: list[str]
    existing: list[Stakeholder]
    earlier_rows: list[int]
    selected: str = SKIP

    @property
    def choices(self) -> list[tuple[str, str]]:
        options = [(SKIP, _("Skip this row"))]
        options += [
            (f"{UPDATE}-{person.pk}", _("Update %(name)s with this row") % {"name": person.name})
            for person in self.existing
        ]
        options.append((ADD, _("Add as a new person anyway")))
        return options


@dataclass
class Preview:
    table: Table
    result: RosterImport
    problems: list[Problem]
    clean: list[RosterEntry]
    doubts: list[Doubt]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _existing(people: Sequence[Stakeholder]) -> list[ExistingPerson]:
    return [
        ExistingPerson(
            id=str(person.pk),
            name=person.name,
            email=person.email or None,
            organisation=person.organisation or None,
        )
        for person in people
    ]


def new_fields(entry: RosterEntry, default_group: str) -> dict[str, Any]:
    """A new person's details from a row. Contact details only with consent to be contacted."""
    consent = entry.contact_consent
    return {
        "name": entry.name,
        "group": entry.group.value if entry.group is not None else default_group,
        "organisation": entry.organisation or "",
        "role": entry.role or "",
        "brings": entry.brings or "",
        "contact_consent": consent,
        "email": (entry.email or "") if consent else "",
        "phone": (entry.phone or "") if consent else "",
        "access_needs": entry.access_needs or "",
        "aliases": list(entry.aliases),
        "demographics_consent": entry.demographics_consent,
        "gender": (entry.gender or "") if entry.demographics_consent else "",
        "ethnicity": (entry.ethnicity or "") if entry.demographics_consent else "",
        "joined": entry.joined,
    }


def update_fields(person: Stakeholder, entry: RosterEntry) -> dict[str, Any]:
    """What a row changes in a saved person: the cells it fills, never a blank over a value.

    A "yes" to a consent is taken from the file; a blank or "no" never withdraws a consent given
    before (withdrawing is done on the person's page, where its effect is spelt out)."""
    fields: dict[str, Any] = {}
    if entry.group is not None:
        fields["group"] = entry.group.value
    for name in ("organisation", "role", "brings", "access_needs"):
        value = getattr(entry, name)
        if value:
            fields[name] = value
    if entry.joined is not None:
        fields["joined"] = entry.joined
    if entry.aliases:
        fields["aliases"] = [*person.aliases, *entry.aliases]
    contact = entry.contact_consent or person.contact_consent
    if entry.contact_consent:
        fields["contact_consent"] = True
    if contact:
        for name in ("email", "phone"):
            if getattr(entry, name):
                fields[name] = getattr(entry, name)
    if entry.demographics_consent:
        fields["demographics_consent"] = True
        for name in ("gender", "ethnicity"):
            if getattr(entry, name):
                fields[name] = getattr(entry, name)
    return fields


def _group_column(table: Table, mapping: Mapping[str, int | None]) -> tuple[int | None, str]:
    index = mapping.get("group")
    if index is None:
        return None, _("Stakeholder group")
    return table.column_numbers[index], table.where(index)


def preview(
    project: Project,
    table: Table,
    mapping: Mapping[str, int | None],
    default_group: str,
    people: Sequence[Stakeholder],
) -> Preview:
    """Every row read, every problem with its row and column, every duplicate; nothing saved."""
    result = read_roster(table, mapping, existing=_existing(people))
    problems = list(result.problems)
    by_id = {str(person.pk): person for person in people}
    column, where = _group_column(table, mapping)
    good: list[RosterEntry] = []
    for entry in result.entries:
        if entry.group is None and not default_group:
            problems.append(
                Problem(
                    table.filename,
                    entry.row,
                    column,
                    where,
                    _(
                        "no stakeholder group: fill it in, or choose a group for rows without "
                        "one on the column step"
                    ),
                )
            )
            continue
        found = services.stakeholder_check(project=project, fields=new_fields(entry, default_group))
        if found:
            problems.extend(Problem(table.filename, entry.row, None, "", m) for m in found)
            continue
        good.append(entry)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.path))
    good_rows = {entry.row for entry in good}
    doubts: dict[int, Doubt] = {}
    for duplicate in result.duplicates:
        row = duplicate.other_row if duplicate.existing is None else duplicate.row
        if row is None or row not in good_rows:
            continue
        entry = next(entry for entry in good if entry.row == row)
        doubt = doubts.setdefault(row, Doubt(entry, [], [], []))
        doubt.messages.append(duplicate.message)
        if duplicate.existing is not None and duplicate.existing.id in by_id:
            doubt.existing.append(by_id[duplicate.existing.id])
        elif duplicate.other_row is not None:
            doubt.earlier_rows.append(duplicate.row)
    notes = list(table.notes)
    dropped = [
        entry.row
        for entry in good
        if (entry.email or entry.phone) and not entry.contact_consent and entry.row not in doubts
    ]
    if dropped:
        notes.append(
            _(
                "Rows %(rows)s give an e-mail or telephone but do not say the person agreed to "
                "be contacted, so those contact details will not be kept."
            )
            % {"rows": ", ".join(str(row) for row in dropped)}
        )
    return Preview(
        table=table,
        result=result,
        problems=problems,
        clean=[entry for entry in good if entry.row not in doubts],
        doubts=[doubts[row] for row in sorted(doubts)],
        notes=notes,
    )


class ChoiceProblem(ValueError):
    """The choices on the preview cannot be carried out as they stand."""


def plan_changes(
    preview_: Preview, choices: Mapping[str, str], default_group: str
) -> tuple[list[dict[str, Any]], list[tuple[Stakeholder, dict[str, Any]]]]:
    """The people to add and the updates to make, from the preview and the user's choices.

    A doubtful row is skipped unless the user chose otherwise."""
    new = [new_fields(entry, default_group) for entry in preview_.clean]
    updates: list[tuple[Stakeholder, dict[str, Any]]] = []
    updated: dict[int, int] = {}
    for doubt in preview_.doubts:
        choice = choices.get(f"row_{doubt.entry.row}", SKIP)
        if choice == ADD:
            new.append(new_fields(doubt.entry, default_group))
        elif choice.startswith(f"{UPDATE}-"):
            person = next((p for p in doubt.existing if f"{UPDATE}-{p.pk}" == choice), None)
            if person is None:
                raise ChoiceProblem(
                    _("Row %(row)s: choose again what to do with it.") % {"row": doubt.entry.row}
                )
            if person.pk in updated:
                raise ChoiceProblem(
                    _("Rows %(first)s and %(second)s would both update %(name)s: choose one.")
                    % {"first": updated[person.pk], "second": doubt.entry.row, "name": person.name}
                )
            updated[person.pk] = doubt.entry.row
            updates.append((person, update_fields(person, doubt.entry)))
    return new, updates

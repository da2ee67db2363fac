"""Read a roster of stakeholders from a table (see ``coprod.formats.tables.read_table``).

The import has two steps, so that a page can show a column-mapping form and a preview before
anything is saved:

1. ``guess_mapping(headers) -> dict[str, int | None]``: for each field of ``ROSTER_FIELDS``, the
   column that seems to hold it (by its header, case, spacing and punctuation ignored, with
   synonyms such as "E-mail address", "Full name", "Stakeholder group", "Organisation/Organization",
   "Happy to be contacted?"). A header "Group: Label" from a two-row header is also tried as
   "Label". Long headers (survey questions) are matched on the words they contain.
2. ``read_roster(table, mapping, *, existing=()) -> RosterImport``: one frozen ``RosterEntry`` per
   good row, every ``Problem`` with its row, column and header, and every ``Duplicate``.

Fields (``ROSTER_FIELDS`` gives a label and help for each): ``name`` (required, or ``given_name``
and ``family_name``, which are joined), ``email``, ``phone``, ``group``, ``organisation``,
``role``, ``brings``, ``contact_consent``, ``demographics_consent``, ``gender``, ``ethnicity``,
``access_needs``, ``aliases`` (separated by ``;``) and ``joined`` (a date).

Rules:

- Yes/no cells accept yes, no, y, n, true, false, 1, 0, ✓ and ✔ (and a spreadsheet's TRUE/FALSE);
  a blank cell means no.
- Groups accept the SPEC §4 ids, the catalogue's labels, and a few common words (``GROUP_WORDS``):
  patient, carer, service user, member of the public, public contributor, lay member →
  patients_public; GP, nurse, doctor, clinician, practitioner, social worker, pharmacist →
  practitioners; policy maker → policy_makers; manager, commissioner → managers; funder →
  funders; researcher, academic → researchers; charity, voluntary organisation, community
  organisation → community_orgs; company → industry. A blank group is allowed (``None``).
- Gender or ethnicity given without demographics consent is a problem on that cell: it is never
  kept silently.
- Dates as in ``spreadsheet_import``: spreadsheet dates, 2026-04-03 or 03/04/2026; 3/4/2026 is
  refused because it reads as 3 April in some places and 4 March in others.
- Duplicates: the same e-mail (case ignored), or the same name and organisation (case, accents,
  punctuation and titles such as "Dr" ignored; two blank organisations count as the same). They
  are found among the good rows and against ``existing`` people; each names both rows, or the row
  and the existing person. Duplicates are warnings for the page to show; they do not make a row a
  problem. Each pair is reported once, with the earlier row first.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Group
from coprod.core.problems import Problem
from coprod.formats._cells import BadCell, found, key
from coprod.formats._cells import date as parse_date
from coprod.formats._cells import text as cell_text
from coprod.formats.tables import Table

MAX_DUPLICATES = 1_000
"""At most this many duplicate pairs are listed (a file of one person repeated is not useful)."""


@dataclass(frozen=True)
class RosterField:
    id: str
    label: str
    help: str
    synonyms: tuple[str, ...] = ()
    required: bool = False


ROSTER_FIELDS: tuple[RosterField, ...] = (
    RosterField(
        "name",
        "Name",
        "The person's name as they like it written. Required, unless first and last names are "
        "in two columns.",
        ("name", "full_name", "person", "stakeholder", "participant", "your_name", "contact_name"),
        required=True,
    ),
    RosterField(
        "given_name",
        "First name",
        "Used with the last name when there is no full name.",
        ("first_name", "given_name", "forename", "firstname"),
    ),
    RosterField(
        "family_name",
        "Last name",
        "Used with the first name when there is no full name.",
        ("last_name", "family_name", "surname", "lastname"),
    ),
    RosterField(
        "email",
        "E-mail",
        "An e-mail address such as name@example.org.",
        ("email", "e_mail", "email_address", "e_mail_address", "mail"),
    ),
    RosterField(
        "phone",
        "Phone",
        "A telephone number.",
        ("phone", "telephone", "phone_number", "tel", "mobile", "telephone_number"),
    ),
    RosterField(
        "group",
        "Stakeholder group",
        "Patients and public, practitioners, policy-makers, managers, funders, researchers, "
        "community organisations, industry or other.",
        (
            "group",
            "stakeholder_group",
            "stakeholder_type",
            "category",
            "type",
            "constituency",
            "describes_you",
        ),
    ),
    RosterField(
        "organisation",
        "Organisation",
        "Where they work or whom they represent.",
        (
            "organisation",
            "organization",
            "organisation_organization",
            "org",
            "employer",
            "affiliation",
            "institution",
            "company",
        ),
    ),
    RosterField(
        "role",
        "Role in the project",
        "For example lay member, steering group, co-applicant.",
        ("role", "project_role", "role_in_project", "job_title", "position"),
    ),
    RosterField(
        "brings",
        "What they bring",
        "What this person brings to the table: experience, skills, contacts, authority.",
        ("brings", "what_they_bring", "expertise", "experience", "skills", "contribution"),
    ),
    RosterField(
        "contact_consent",
        "Consent to be contacted",
        "Yes or no. Blank means no: Coprod will not suggest contacting them.",
        (
            "contact_consent",
            "consent_to_contact",
            "happy_to_be_contacted",
            "can_we_contact_you",
            "contact",
            "ok_to_contact",
            "consent_to_be_contacted",
            "contact_you",
        ),
    ),
    RosterField(
        "demographics_consent",
        "Consent to record demographics",
        "Yes or no. Gender and ethnicity are kept only when this is yes.",
        (
            "demographics_consent",
            "consent_to_demographics",
            "demographics",
            "consent_demographics",
            "recording_your_gender",
            "record_demographics",
        ),
    ),
    RosterField(
        "gender",
        "Gender",
        "Only with consent to record demographics.",
        ("gender", "sex_gender", "gender_identity"),
    ),
    RosterField(
        "ethnicity",
        "Ethnicity",
        "Only with consent to record demographics.",
        ("ethnicity", "ethnic_group", "ethnic_background"),
    ),
    RosterField(
        "access_needs",
        "Access needs",
        "What helps them take part: large print, step-free access, an interpreter, a carer.",
        (
            "access_needs",
            "access_requirements",
            "accessibility",
            "support_needs",
            "reasonable_adjustments",
        ),
    ),
    RosterField(
        "aliases",
        "Other names",
        "Other names they go by, separated by ; (used to match meeting transcripts).",
        ("aliases", "alias", "other_names", "also_known_as", "aka", "known_as", "nickname"),
    ),
    RosterField(
        "joined",
        "Date joined",
        "A date such as 2026-04-03 or 03/04/2026 (day/month/year).",
        ("joined", "date_joined", "start_date_in_project", "joined_on", "since"),
    ),
)
_FIELDS = {field.id: field for field in ROSTER_FIELDS}

GROUP_WORDS: Mapping[str, Group] = {
    "patient": Group.PATIENTS_PUBLIC,
    "carer": Group.PATIENTS_PUBLIC,
    "service_user": Group.PATIENTS_PUBLIC,
    "public": Group.PATIENTS_PUBLIC,
    "member_of_the_public": Group.PATIENTS_PUBLIC,
    "public_contributor": Group.PATIENTS_PUBLIC,
    "lay_member": Group.PATIENTS_PUBLIC,
    "patient_or_carer": Group.PATIENTS_PUBLIC,
    "gp": Group.PRACTITIONERS,
    "nurse": Group.PRACTITIONERS,
    "doctor": Group.PRACTITIONERS,
    "clinician": Group.PRACTITIONERS,
    "practitioner": Group.PRACTITIONERS,
    "social_worker": Group.PRACTITIONERS,
    "pharmacist": Group.PRACTITIONERS,
    "policy_maker": Group.POLICY_MAKERS,
    "policymaker": Group.POLICY_MAKERS,
    "manager": Group.MANAGERS,
    "commissioner": Group.MANAGERS,
    "funder": Group.FUNDERS,
    "researcher": Group.RESEARCHERS,
    "academic": Group.RESEARCHERS,
    "charity": Group.COMMUNITY_ORGS,
    "voluntary_organisation": Group.COMMUNITY_ORGS,
    "community_organisation": Group.COMMUNITY_ORGS,
    "company": Group.INDUSTRY,
}
"""Common words for the stakeholder groups, beyond their ids and catalogue labels."""

_TEXT_LIMITS = {"name": 200, "email": 254, "phone": 40, "gender": 100, "ethnicity": 200}
_DEFAULT_LIMIT = 2_000


@dataclass(frozen=True)
class ExistingPerson:
    """A person already saved in the project, for duplicate checks."""

    id: str
    name: str
    email: str | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class RosterEntry:
    """One good row of the roster."""

    row: int
    name: str
    email: str | None = None
    phone: str | None = None
    group: Group | None = None
    organisation: str | None = None
    role: str | None = None
    brings: str | None = None
    contact_consent: bool = False
    demographics_consent: bool = False
    gender: str | None = None
    ethnicity: str | None = None
    access_needs: str | None = None
    aliases: tuple[str, ...] = ()
    joined: dt.date | None = None


@dataclass(frozen=True)
class Duplicate:
    """Two rows, or a row and a saved person, that look like the same person.

    ``reasons`` holds ``"email"`` and/or ``"name_organisation"``; ``message`` says it in words.
    """

    row: int
    other_row: int | None
    existing: ExistingPerson | None
    reasons: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class RosterImport:
    entries: tuple[RosterEntry, ...]
    problems: tuple[Problem, ...]
    duplicates: tuple[Duplicate, ...]
    rows_read: int

    @property
    def clean(self) -> bool:
        return not self.problems


# --- Mapping -------------------------------------------------------------------------------------


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """For each roster field, the column (counted from 0) whose header names it, else None."""
    mapping: dict[str, int | None] = {field.id: None for field in ROSTER_FIELDS}
    taken: set[int] = set()
    keys = [key(header or "") for header in headers]
    tails = [
        key((header or "").rsplit(":", 1)[-1]) if ":" in (header or "") else ""
        for header in headers
    ]
    ids = {field.id: field for field in ROSTER_FIELDS}
    # 1. exact header, then the part after "Group:"
    for candidates in (keys, tails):
        for field in ROSTER_FIELDS:
            if mapping[field.id] is not None:
                continue
            names = {field.id, key(field.label), *field.synonyms}
            for index, value in enumerate(candidates):
                if value and index not in taken and value in names:
                    mapping[field.id] = index
                    taken.add(index)
                    break
    # 2. headers that contain a synonym as whole words ("What is your email address?")
    scored: list[tuple[int, str, int]] = []
    for field in ROSTER_FIELDS:
        if mapping[field.id] is not None:
            continue
        for index, value in enumerate(keys):
            if index in taken:
                continue
            padded = f"_{value}_"
            best = max(
                (len(s) for s in (*ids[field.id].synonyms, field.id) if f"_{s}_" in padded),
                default=0,
            )
            if best >= 4:
                scored.append((best, field.id, index))
    for _length, field_id, index in sorted(scored, key=lambda item: (-item[0], item[2])):
        if mapping[field_id] is None and index not in taken:
            mapping[field_id] = index
            taken.add(index)
    return mapping


# --- Cells ---------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)
_PHONE = re.compile(r"^\+?[0-9 ().\-]+(?:\s*(?:ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)
_YES = {"yes", "y", "true", "1", "✓", "✔", "☑"}
_NO = {"no", "n", "false", "0", "✗", "✘"}
_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "cllr", "rev", "sir"}


def _plain(value: object, field: str) -> str | None:
    result = cell_text(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise BadCell(f"expected text, found a date or time {found(value)}")
    limit = _TEXT_LIMITS.get(field, _DEFAULT_LIMIT)
    if result is not None and len(result) > limit:
        raise BadCell(f"at most {limit} characters, found {len(result)}")
    return result


def _email(value: object) -> str | None:
    result = _plain(value, "email")
    if result is None:
        return None
    if result.lower().startswith("mailto:"):
        result = result[7:]
    if not _EMAIL.match(result) or ".." in result:
        raise BadCell(f"expected an e-mail address such as name@example.org, found {found(value)}")
    return result


def _phone(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise BadCell(
            f"the phone number was stored as a number ({found(value)}), which loses a leading "
            "0: format the column as text and type it again"
        )
    result = _plain(value, "phone")
    if result is None:
        return None
    if not _PHONE.match(result) or sum(ch.isdigit() for ch in result) < 6:
        raise BadCell(f"expected a telephone number such as 0113 496 0000, found {found(value)}")
    return result


def _yes_no(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    result = (cell_text(value) or "").casefold().rstrip(".!")
    if not result or result in _NO:
        return False
    if result in _YES:
        return True
    raise BadCell(f"expected yes or no (or leave it blank for no), found {found(value)}")


def _group_keys() -> dict[str, Group]:
    keys: dict[str, Group] = {}
    for group_id, group in default_catalogue().groups.items():
        keys[key(group.label)] = Group(group_id)
    keys.update({key(group.value): group for group in Group})
    keys.update(GROUP_WORDS)
    return keys


_GROUPS: dict[str, Group] = {}


def _group(value: object) -> Group | None:
    if not _GROUPS:
        _GROUPS.update(_group_keys())
    result = cell_text(value)
    if result is None:
        return None
    text_key = key(result)
    for candidate in (text_key, text_key.removesuffix("s"), re.sub(r"^(an?|the)_", "", text_key)):
        if candidate in _GROUPS:
            return _GROUPS[candidate]
    choices = ", ".join(group.value for group in Group)
    raise BadCell(
        f"{found(value)} is not a stakeholder group: expected one of {choices}, or a word such "
        "as patient, carer, GP, nurse, commissioner or researcher"
    )


def _aliases(value: object) -> tuple[str, ...]:
    result = _plain(value, "aliases")
    if result is None:
        return ()
    names: list[str] = []
    for part in result.split(";"):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _joined(value: object) -> dt.date | None:
    if cell_text(value) is None:
        return None
    if isinstance(value, str):
        short = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\s*$", value)
        if short and not re.match(r"^\s*\d{2}/\d{2}/\d{4}\s*$", value):
            first, second = int(short.group(1)), int(short.group(2))
            reason = "it is written in a short form"
            if first <= 12 and second <= 12 and first != second:
                months = [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ]
                reason = f"it could be {first} {months[second - 1]} or {second} {months[first - 1]}"
            raise BadCell(
                f"{found(value)} is refused because {reason}: write it as 2026-04-03, or as "
                "03/04/2026 with the day first"
            )
    return parse_date(value)


_PARSERS: dict[str, Callable[[object], object]] = {
    "email": _email,
    "phone": _phone,
    "group": _group,
    "contact_consent": _yes_no,
    "demographics_consent": _yes_no,
    "aliases": _aliases,
    "joined": _joined,
}


def normalised_name(name: str) -> str:
    """A name for comparison: accents, case, punctuation and a leading title ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


# --- Reading -------------------------------------------------------------------------------------


def _mapping_problems(table: Table, mapping: Mapping[str, int | None]) -> list[Problem]:
    problems: list[Problem] = []
    used: dict[int, str] = {}
    for field_id, index in mapping.items():
        if field_id not in _FIELDS:
            problems.append(Problem(table.filename, None, None, field_id, "not a roster field"))
            continue
        if index is None:
            continue
        if not 0 <= index < len(table.headers):
            problems.append(
                Problem(table.filename, None, None, field_id, f"no column {index} in the file")
            )
        elif index in used:
            message = (
                f"column {table.column_letter(index)} is chosen for both "
                f"{_FIELDS[used[index]].label} and {_FIELDS[field_id].label}"
            )
            problems.append(Problem(table.filename, None, None, field_id, message))
        else:
            used[index] = field_id
    has_name = mapping.get("name") is not None
    has_parts = mapping.get("given_name") is not None or mapping.get("family_name") is not None
    if not has_name and not has_parts:
        problems.append(
            Problem(
                table.filename,
                table.header_row,
                None,
                "name",
                "choose the column that holds each person's name",
            )
        )
    return problems


def read_roster(
    table: Table,
    mapping: Mapping[str, int | None],
    *,
    existing: Sequence[ExistingPerson] = (),
) -> RosterImport:
    """Every row of ``table`` read as a roster entry, with its problems and duplicates."""
    if table.problems:
        return RosterImport((), table.problems, (), 0)
    problems = _mapping_problems(table, mapping)
    if problems:
        return RosterImport((), tuple(problems), (), 0)
    entries: list[RosterEntry] = []
    for number, cells in table.rows:
        found_problems, entry = _row(table, mapping, number, cells)
        problems.extend(found_problems)
        if entry is not None:
            entries.append(entry)
    return RosterImport(
        entries=tuple(entries),
        problems=tuple(problems),
        duplicates=find_duplicates(entries, existing),
        rows_read=len(table.rows),
    )


def _row(
    table: Table, mapping: Mapping[str, int | None], number: int, cells: Sequence[object]
) -> tuple[list[Problem], RosterEntry | None]:
    problems: list[Problem] = []
    values: dict[str, object] = {}

    def problem(field_id: str, message: str) -> None:
        index = mapping.get(field_id)
        if index is None:
            problems.append(Problem(table.filename, number, None, _FIELDS[field_id].label, message))
        else:
            problems.append(
                Problem(
                    table.filename,
                    number,
                    table.column_numbers[index],
                    table.where(index),
                    f"{_FIELDS[field_id].label}: {message}",
                )
            )

    for field_id, index in mapping.items():
        if index is None:
            continue
        value = cells[index]
        parse = _PARSERS.get(field_id)
        try:
            values[field_id] = parse(value) if parse else _plain(value, field_id)
        except BadCell as error:
            problem(field_id, str(error))
    name = values.get("name")
    if name is None and "name" not in {p.path for p in problems}:
        parts = [values.get("given_name"), values.get("family_name")]
        joined = " ".join(str(part) for part in parts if part)
        if joined:
            name = joined
        elif not any(p.line == number for p in problems):
            problem(
                "name" if mapping.get("name") is not None else "given_name", "a name is required"
            )
    consent = bool(values.get("demographics_consent", False))
    for field_id in ("gender", "ethnicity"):
        if values.get(field_id) is not None and not consent:
            problem(
                field_id,
                "given without consent to record demographics, so it cannot be kept: remove "
                "it, or record the person's consent (yes) in the demographics consent column",
            )
    if problems or not isinstance(name, str):
        return problems, None
    group = values.get("group")
    joined_date = values.get("joined")
    aliases = values.get("aliases", ())
    return [], RosterEntry(
        row=number,
        name=name,
        email=_opt(values.get("email")),
        phone=_opt(values.get("phone")),
        group=group if isinstance(group, Group) else None,
        organisation=_opt(values.get("organisation")),
        role=_opt(values.get("role")),
        brings=_opt(values.get("brings")),
        contact_consent=bool(values.get("contact_consent", False)),
        demographics_consent=consent,
        gender=_opt(values.get("gender")),
        ethnicity=_opt(values.get("ethnicity")),
        access_needs=_opt(values.get("access_needs")),
        aliases=aliases if isinstance(aliases, tuple) else (),
        joined=joined_date if isinstance(joined_date, dt.date) else None,
    )


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None


# --- Duplicates ----------------------------------------------------------------------------------


def _identity_keys(name: str, email: str | None, organisation: str | None) -> list[tuple[str, str]]:
    keys = [("name_organisation", f"{normalised_name(name)}|{normalised_name(organisation or '')}")]
    if email:
        keys.append(("email", email.strip().casefold()))
    return keys


def find_duplicates(
    entries: Sequence[RosterEntry], existing: Sequence[ExistingPerson] = ()
) -> tuple[Duplicate, ...]:
    """Pairs of entries, and entries and saved people, with the same e-mail or name and
    organisation. Symmetric: the same pairs are found whatever the order of the rows."""
    by_key: dict[tuple[str, str], list[RosterEntry]] = defaultdict(list)
    for entry in entries:
        for item in _identity_keys(entry.name, entry.email, entry.organisation):
            by_key[item].append(entry)
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    for (reason, _value), group in by_key.items():
        rows = sorted({entry.row for entry in group})
        for i, first in enumerate(rows):
            for second in rows[i + 1 :]:
                pairs[(first, second)].add(reason)
                if len(pairs) > MAX_DUPLICATES:
                    break
    people: dict[tuple[str, str], list[ExistingPerson]] = defaultdict(list)
    for person in existing:
        for item in _identity_keys(person.name, person.email, person.organisation):
            people[item].append(person)
    found_existing: dict[tuple[int, str], tuple[ExistingPerson, set[str]]] = {}
    for entry in entries:
        for item in _identity_keys(entry.name, entry.email, entry.organisation):
            for person in people.get(item, []):
                slot = found_existing.setdefault((entry.row, person.id), (person, set()))
                slot[1].add(item[0])
    duplicates: list[Duplicate] = []
    for (first, second), reasons in sorted(pairs.items())[:MAX_DUPLICATES]:
        ordered = tuple(sorted(reasons))
        duplicates.append(
            Duplicate(first, second, None, ordered, f"rows {first} and {second} {_why(ordered)}")
        )
    for (row, _id), (person, reasons) in sorted(found_existing.items())[:MAX_DUPLICATES]:
        ordered = tuple(sorted(reasons))
        duplicates.append(
            Duplicate(
                row,
                None,
                person,
                ordered,
                f"row {row} and {person.name}, already saved, {_why(ordered)}",
            )
        )
    return tuple(duplicates)


def _why(reasons: tuple[str, ...]) -> str:
    words = {
        "email": "have the same e-mail address",
        "name_organisation": "have the same name and organisation",
    }
    return " and ".join(words[reason] for reason in reasons)

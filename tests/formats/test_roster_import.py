"""Roster import: mapping columns, checking each cell, finding duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod.core.ids import Group
from coprod.formats.roster_import import (
    ROSTER_FIELDS,
    ExistingPerson,
    RosterEntry,
    find_duplicates,
    guess_mapping,
    read_roster,
)
from coprod.formats.tables import read_table

FILES = Path(__file__).resolve().parent.parent / "data" / "spreadsheets"


def roster(name: str, existing: tuple[ExistingPerson, ...] = ()):  # type: ignore[no-untyped-def]
    table = read_table((FILES / name).read_bytes(), name)
    assert table.ok, table.problems
    return read_roster(table, guess_mapping(table.headers), existing=existing)


def csv_roster(text: str):  # type: ignore[no-untyped-def]
    table = read_table(text.encode(), "roster.csv")
    return read_roster(table, guess_mapping(table.headers))


@pytest.mark.parametrize(
    "name", ["roster-merged-headers.xlsx", "roster-libreoffice.ods", "roster-libreoffice.xls"]
)
def test_merged_headers_import_cleanly(name: str) -> None:
    saved = ExistingPerson("p7", "Helen  Price", "other@example.org", "Leeds community healthcare")
    result = roster(name, (saved,))
    assert result.clean
    assert [entry.row for entry in result.entries] == [5, 6, 8, 9]
    margaret, tomasz, helen, amir = result.entries
    assert margaret == RosterEntry(
        row=5,
        name="Margaret Okafor",
        email="m.okafor@example.org",
        phone="07700 900123",
        group=Group.PATIENTS_PUBLIC,
        organisation="Age UK Leeds",
        contact_consent=True,
        access_needs="Large print papers",
        joined=dt.date(2026, 4, 3),
    )
    assert tomasz.group is Group.RESEARCHERS and not tomasz.demographics_consent
    assert helen.group is Group.PRACTITIONERS and helen.contact_consent  # "✓"
    assert amir.group is Group.MANAGERS and not amir.contact_consent
    (duplicate,) = result.duplicates
    assert duplicate.row == 8 and duplicate.existing == saved
    assert duplicate.reasons == ("name_organisation",)


def test_dates_stored_as_text_name_row_and_column() -> None:
    for name in ("roster-dates-as-text.xlsx", "roster-libreoffice.xlsx"):
        result = roster(name)
        assert [entry.joined for entry in result.entries] == [dt.date(2026, 4, 3)] * 2
        ambiguous, impossible = result.problems
        assert (ambiguous.line, ambiguous.column, ambiguous.path) == (
            4,
            5,
            "Date joined (column E)",
        )
        assert "could be 3 April or 4 March" in ambiguous.message
        assert (impossible.line, impossible.column) == (5, 5)
        assert "is not a real date" in impossible.message


def test_qualtrics_export() -> None:
    result = roster("qualtrics-roster-survey.csv")
    (patricia,) = result.entries
    assert patricia.name == "Patricia Moore"
    assert patricia.email == "pat.moore@example.org"
    assert patricia.group is Group.PATIENTS_PUBLIC
    assert patricia.contact_consent and patricia.demographics_consent
    assert (patricia.gender, patricia.ethnicity) == ("Woman", "White British")
    assert [(p.line, p.path) for p in result.problems] == [
        (5, "Which of these best describes you? - Selected Choice (column T)"),
        (5, "About you - Gender (column W)"),
        (6, "What is your full name? (column R)"),
    ]
    assert "without consent to record demographics" in result.problems[1].message
    assert "a name is required" in result.problems[2].message


def test_excel_windows_csv() -> None:
    result = roster("roster-excel-windows.csv")
    (zoe,) = result.entries
    assert zoe.aliases == ("Zoë F", "Z. François")
    assert zoe.group is Group.PATIENTS_PUBLIC and zoe.role == "Lay member"
    email, consent = result.problems
    assert (email.line, email.path) == (4, "E-mail (column B)")
    assert "expected an e-mail address" in email.message
    assert (consent.line, consent.column) == (5, 6)
    assert "expected yes or no" in consent.message


def test_guess_mapping_by_synonyms() -> None:
    headers = [
        "Full name",
        "E-mail address",
        "Stakeholder group",
        "Organisation/Organization",
        "Happy to be contacted?",
        "Notes",
    ]
    mapping = guess_mapping(headers)
    assert mapping["name"] == 0 and mapping["email"] == 1 and mapping["group"] == 2
    assert mapping["organisation"] == 3 and mapping["contact_consent"] == 4
    assert mapping["phone"] is None
    assert set(mapping) == {field.id for field in ROSTER_FIELDS}
    assert all(field.label and field.help for field in ROSTER_FIELDS)


@pytest.mark.parametrize(
    ("word", "group"),
    [
        ("patient", Group.PATIENTS_PUBLIC),
        ("Carers", Group.PATIENTS_PUBLIC),
        ("member of the public", Group.PATIENTS_PUBLIC),
        ("GP", Group.PRACTITIONERS),
        ("nurse", Group.PRACTITIONERS),
        ("clinician", Group.PRACTITIONERS),
        ("Service managers and commissioners", Group.MANAGERS),
        ("policy_makers", Group.POLICY_MAKERS),
        ("Community and voluntary organisations", Group.COMMUNITY_ORGS),
    ],
)
def test_group_words(word: str, group: Group) -> None:
    (entry,) = csv_roster(f"Name,Group\nAnn,{word}\n").entries
    assert entry.group is group


@pytest.mark.parametrize("value", ["yes", "Y", "TRUE", "1", "✓", ""])
def test_yes_values(value: str) -> None:
    (entry,) = csv_roster(f"Name,Contact consent\nAnn,{value}\n").entries
    assert entry.contact_consent is (value != "")


@pytest.mark.parametrize("value", ["no", "n", "false", "0"])
def test_no_values(value: str) -> None:
    (entry,) = csv_roster(f"Name,Contact consent\nAnn,{value}\n").entries
    assert entry.contact_consent is False


def test_demographics_need_consent_and_bad_cells_are_named() -> None:
    result = csv_roster(
        "Name,Email,Phone,Demographics consent,Gender,Ethnicity\n"
        "Ann,ann@example.org,0113 496 0000,yes,Woman,Irish\n"
        "Bob,bob@@example.org,call me,no,Man,\n"
        ",,,,,\n"
        "Cy,cy@example.org,,,,Black Caribbean\n"
    )
    (ann,) = result.entries
    assert ann.gender == "Woman" and ann.ethnicity == "Irish"
    assert [(p.line, p.column) for p in result.problems] == [(3, 2), (3, 3), (3, 5), (5, 6)]


def test_mapping_problems() -> None:
    table = read_table(b"Name,Email\nAnn,a@example.org\n", "r.csv")
    (problem,) = read_roster(table, {"name": None, "email": 1}).problems
    assert "choose the column that holds each person's name" in problem.message
    (twice,) = read_roster(table, {"name": 0, "email": 0}).problems
    assert "column A is chosen for both Name and E-mail" in twice.message


def test_first_and_last_names_are_joined() -> None:
    (entry,) = csv_roster("First name,Surname,Email\nAnn,Lee,a@example.org\n").entries
    assert entry.name == "Ann Lee"


def test_duplicates_in_the_file() -> None:
    result = csv_roster(
        "Name,Email,Organisation\n"
        "Dr Ann Lee,ann@example.org,NHS Leeds\n"
        "ann lee,other@example.org,nhs leeds\n"
        "Bob,ANN@Example.org,\n"
    )
    assert [(d.row, d.other_row, d.reasons) for d in result.duplicates] == [
        (2, 3, ("name_organisation",)),
        (2, 4, ("email",)),
    ]
    assert result.duplicates[0].message == "rows 2 and 3 have the same name and organisation"


names = st.sampled_from(["Ann Lee", "ann lee", "Bob", "Cy Dee", "Dr Bob"])
emails = st.sampled_from([None, "a@example.org", "A@EXAMPLE.ORG", "b@example.org"])
orgs = st.sampled_from([None, "NHS", "nhs", "Council"])


@given(st.lists(st.tuples(names, emails, orgs), max_size=8), st.randoms())
def test_duplicates_are_symmetric(people: list[tuple[str, str | None, str | None]], rnd) -> None:  # type: ignore[no-untyped-def]
    entries = [
        RosterEntry(row=number, name=name, email=email, organisation=org)
        for number, (name, email, org) in enumerate(people, 2)
    ]
    shuffled = list(entries)
    rnd.shuffle(shuffled)

    def pairs(found: tuple) -> set:  # type: ignore[type-arg]
        return {(frozenset((d.row, d.other_row)), d.reasons) for d in found}

    assert pairs(find_duplicates(entries)) == pairs(find_duplicates(shuffled))
    # each row duplicates the other: a pair found from one side is found from the other
    for duplicate in find_duplicates(entries):
        first = entries[duplicate.row - 2]
        second = entries[(duplicate.other_row or 0) - 2]
        found = find_duplicates([second, first])
        assert [d.reasons for d in found] == [duplicate.reasons]

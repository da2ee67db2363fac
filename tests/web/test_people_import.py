"""Importing a roster from real, messy spreadsheets (tests/data/spreadsheets, see its README):
upload, sheet, columns, preview, confirm.

Each file ends in a clean import or in a clear error naming its row and column. Nothing is saved
before the user confirms, nothing is saved when any row has a problem, and a failure while saving
leaves no half-import behind.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coprod.web.people import services
from coprod.web.people.models import RosterUpload
from coprod.web.projects.models import Project, Stakeholder
from tests.conftest import ROOT
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

FILES = ROOT / "tests" / "data" / "spreadsheets"
MERGED = "roster-merged-headers.xlsx"
# The same people in every LibreOffice and Excel copy of the merged-header roster.
MERGED_PEOPLE = ["Margaret Okafor", "Dr Tomasz Nowak", "Helen Price", "Amir Haddad"]


def url(project: Project, name: str) -> str:
    return reverse(name, args=[project.pk])


def text(response: Any) -> str:
    return str(response.content.decode())


def snapshot() -> tuple[int, int]:
    """The roster and its history: both must stay still until the user confirms."""
    return Stakeholder.objects.count(), Stakeholder.history.count()  # type: ignore[attr-defined]


def upload(client: Client, project: Project, name: str, data: bytes | None = None) -> Any:
    content = (FILES / name).read_bytes() if data is None else data
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(url(project, "stakeholder_import"), {"spreadsheet": handle})


def mapping_post(response: Any, **changes: str) -> dict[str, str]:
    """The mapping as the page offers it (its guesses), with these fields changed."""
    form = response.context["form"]
    data = {name: str(form.initial.get(name, "")) for name in form.fields}
    data.update(changes)
    return data


def to_preview(client: Client, project: Project, name: str, **changes: str) -> Any:
    """Upload, accept the guessed columns (with changes), and open the preview."""
    response = upload(client, project, name)
    assert response.status_code == 302, text(response)[:3000]
    assert response["Location"] == url(project, "stakeholder_import_mapping")
    page = client.get(response["Location"])
    assert page.status_code == 200
    posted = client.post(url(project, "stakeholder_import_mapping"), mapping_post(page, **changes))
    assert posted.status_code == 302, text(posted)[:3000]
    return client.get(url(project, "stakeholder_import_preview"))


def problem_rows(response: Any) -> list[tuple[str, str]]:
    """(row, column) of each problem listed on the page."""
    return re.findall(r'<tr data-row="(\d*)"><td>[^<]*</td><td>([^<]*)</td>', text(response))


# --- Clean imports --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [MERGED, "roster-libreoffice.ods", "roster-libreoffice.xls"], ids=["xlsx", "ods", "xls"]
)
def test_a_roster_with_merged_headers_and_blank_rows_imports_cleanly(team: Team, name: str) -> None:
    client = team.client_for("lead")
    before = snapshot()
    preview = to_preview(client, team.project, name)
    page = text(preview)
    assert preview.status_code == 200
    assert problem_rows(preview) == []
    for person in MERGED_PEOPLE:
        assert person in page
    assert snapshot() == before  # nothing saved before the user confirms
    done = client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert done.status_code == 302, text(done)[:3000]
    added = {p.name: p for p in team.project.stakeholders.filter(name__in=MERGED_PEOPLE)}
    assert sorted(added) == sorted(MERGED_PEOPLE)
    helen = added["Helen Price"]
    assert (helen.group, helen.contact_consent, helen.phone) == (
        "practitioners",
        True,
        "0113 496 0000",
    )
    assert helen.access_needs == "Step-free access"
    assert helen.joined == dt.date(2026, 5, 1)
    assert added["Margaret Okafor"].group == "patients_public"  # "Carer"
    assert added["Amir Haddad"].group == "managers"  # "commissioner"
    assert not RosterUpload.objects.exists()  # the file is deleted once imported
    assert "4 people added to the roster." in text(client.get(done["Location"]))


def test_a_fixed_qualtrics_export_imports_with_consent_respected(team: Team) -> None:
    raw = (FILES / "qualtrics-roster-survey.csv").read_bytes().decode("utf-8-sig")
    lines = raw.split("\r\n")
    fixed = [
        line.replace("A health or care professional", "Practitioner").replace('"Man"', '""')
        for line in lines
        if "R_3hTq1VbC5sW8eUy" not in line  # the unfinished response
    ]
    fixed_text = "\r\n".join(fixed).replace(",Man,", ",,")
    client = team.client_for("researcher")
    response = upload(client, team.project, "fixed.csv", fixed_text.encode("utf-8-sig"))
    page = client.get(response["Location"])
    assert "Qualtrics" in text(page)
    client.post(url(team.project, "stakeholder_import_mapping"), mapping_post(page))
    preview = client.get(url(team.project, "stakeholder_import_preview"))
    assert problem_rows(preview) == [], text(preview)[:4000]
    assert "do not say the person agreed" in text(preview)  # Kwame's e-mail will not be kept
    client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    patricia = team.project.stakeholders.get(name="Patricia Moore")
    assert (patricia.gender, patricia.ethnicity) == ("Woman", "White British")
    assert patricia.email == "pat.moore@example.org"
    kwame = team.project.stakeholders.get(name="Kwame Mensah")
    assert (kwame.group, kwame.email, kwame.contact_consent) == ("practitioners", "", False)


# --- Files with problems: every problem named by row and column; nothing saved -------------------


@pytest.mark.parametrize("name", ["roster-dates-as-text.xlsx", "roster-libreoffice.xlsx"])
def test_dates_as_text_are_read_or_refused_by_row_and_column(team: Team, name: str) -> None:
    client = team.client_for("lead")
    before = snapshot()
    preview = to_preview(client, team.project, name)
    assert problem_rows(preview) == [
        ("4", "Date joined (column E)"),
        ("5", "Date joined (column E)"),
    ]
    page = text(preview)
    assert "could be 3 April or 4 March" in page and "not a real date" in page
    assert "Confirm and save" not in page
    refused = client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert refused.status_code == 400
    assert "Nothing was saved" in text(refused)
    assert snapshot() == before


def test_an_excel_windows_csv_keeps_its_accents_and_names_each_bad_cell(team: Team) -> None:
    client = team.client_for("lead")
    before = snapshot()
    preview = to_preview(client, team.project, "roster-excel-windows.csv")
    page = text(preview)
    assert "Zoë François" in page
    assert problem_rows(preview) == [
        ("4", "E-mail (column B)"),
        ("5", "Happy to be contacted? (column F)"),
    ]
    assert "bob at example.org" in page and "maybe" in page
    client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert snapshot() == before


def test_a_qualtrics_export_names_the_unfinished_response_and_the_bad_cells(team: Team) -> None:
    client = team.client_for("lead")
    before = snapshot()
    preview = to_preview(client, team.project, "qualtrics-roster-survey.csv")
    rows = problem_rows(preview)
    assert ("5", "Which of these best describes you? - Selected Choice (column T)") in rows
    assert ("5", "About you - Gender (column W)") in rows
    assert ("6", "What is your full name? (column R)") in rows
    client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert snapshot() == before


def test_changing_a_column_changes_what_is_read(team: Team) -> None:
    """The user, not the guess, has the last word: leaving out the gender column drops its
    problem; choosing a group for rows without one fills them in."""
    client = team.client_for("lead")
    preview = to_preview(
        client,
        team.project,
        "qualtrics-roster-survey.csv",
        column_gender="",
        column_group="",
        default_group="practitioners",
    )
    rows = problem_rows(preview)
    assert rows == [("6", "What is your full name? (column R)")]


def test_a_column_chosen_twice_or_no_name_column_is_refused_on_the_mapping_step(
    team: Team,
) -> None:
    client = team.client_for("lead")
    response = upload(client, team.project, MERGED)
    page = client.get(response["Location"])
    twice = client.post(
        url(team.project, "stakeholder_import_mapping"),
        mapping_post(page, column_role="0"),  # column A already holds the name
    )
    assert twice.status_code == 400
    assert 'href="#id_column_role"' in text(twice)
    nameless = client.post(
        url(team.project, "stakeholder_import_mapping"),
        mapping_post(page, column_name="", column_given_name="", column_family_name=""),
    )
    assert nameless.status_code == 400
    assert "the column that holds each person" in text(nameless)


def test_rows_without_a_group_are_problems_unless_a_group_is_chosen(team: Team) -> None:
    data = b"Name,Organisation\r\nAnn Bell,Leeds Carers\r\nBen Cole,\r\n"
    client = team.client_for("lead")
    response = upload(client, team.project, "nogroup.csv", data)
    page = client.get(response["Location"])
    client.post(url(team.project, "stakeholder_import_mapping"), mapping_post(page))
    preview = client.get(url(team.project, "stakeholder_import_preview"))
    assert [row for row, _column in problem_rows(preview)] == ["2", "3"]
    client.post(
        url(team.project, "stakeholder_import_mapping"),
        mapping_post(page, default_group="community_orgs"),
    )
    client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert team.project.stakeholders.get(name="Ann Bell").group == "community_orgs"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"   ", "the file is empty"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "damaged"),
        ("notes.txt", b"Name,Group\r\nA,patient\r\n", "Coprod reads .csv"),
    ],
)
def test_an_unreadable_file_is_refused_at_once(
    team: Team, name: str, data: bytes, message: str
) -> None:
    client = team.client_for("lead")
    response = upload(client, team.project, name, data)
    assert response.status_code == 400
    assert message in text(response)
    assert not RosterUpload.objects.exists()


def test_a_file_over_the_size_limit_is_refused(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    from coprod.formats import tables

    monkeypatch.setattr(tables, "MAX_BYTES", 100)
    response = upload(team.client_for("lead"), team.project, MERGED)
    assert response.status_code == 400
    assert "at most 5 MB" in text(response)
    assert not RosterUpload.objects.exists()


# --- Duplicates -----------------------------------------------------------------------------------


def test_duplicates_within_the_file_and_with_saved_people_are_skipped_or_updated(
    team: Team,
) -> None:
    saved = services.stakeholder_create(
        project=team.project,
        name="Helen Price",
        group="practitioners",
        organisation="Leeds Community Healthcare",
        role="Falls nurse",
    )
    data = (
        b"Name,Email,Group,Organisation,Role,Happy to be contacted?\r\n"
        b"Helen Price,helen@example.org,GP,Leeds Community Healthcare,Clinical lead,yes\r\n"
        b"Jo Small,jo@example.org,patient,,,yes\r\n"
        b"Joanna Small,JO@example.org,patient,,,yes\r\n"
        b"Kim Lowe,,patient,,,no\r\n"
    )
    client = team.client_for("lead")
    response = upload(client, team.project, "dups.csv", data)
    page = client.get(response["Location"])
    client.post(url(team.project, "stakeholder_import_mapping"), mapping_post(page))
    preview = client.get(url(team.project, "stakeholder_import_preview"))
    body = text(preview)
    assert "row 2 and Helen Price, already saved, have the same name and organisation" in body
    assert "rows 3 and 4 have the same e-mail address" in body
    assert f'value="update-{saved.pk}"' in body
    done = client.post(
        url(team.project, "stakeholder_import_preview"),
        {"confirm": "1", "row_2": f"update-{saved.pk}", "row_4": "skip"},
    )
    assert done.status_code == 302
    saved.refresh_from_db()
    assert (saved.role, saved.email, saved.contact_consent) == (
        "Clinical lead",
        "helen@example.org",
        True,
    )
    names = list(team.project.stakeholders.values_list("name", flat=True))
    assert names.count("Helen Price") == 1
    assert "Jo Small" in names and "Joanna Small" not in names and "Kim Lowe" in names


def test_updating_never_blanks_a_detail_or_withdraws_a_consent(team: Team) -> None:
    saved = services.stakeholder_create(
        project=team.project,
        name="Ann Bell",
        group="patients_public",
        organisation="Leeds Carers",
        contact_consent=True,
        email="ann@example.org",
        demographics_consent=True,
        gender="Woman",
        access_needs="Hearing loop",
    )
    data = (
        b"Name,Organisation,Group,Happy to be contacted?,Access needs\r\n"
        b"Ann Bell,Leeds Carers,carer,,\r\n"
    )
    client = team.client_for("lead")
    response = upload(client, team.project, "again.csv", data)
    page = client.get(response["Location"])
    client.post(url(team.project, "stakeholder_import_mapping"), mapping_post(page))
    client.post(
        url(team.project, "stakeholder_import_preview"),
        {"confirm": "1", "row_2": f"update-{saved.pk}"},
    )
    saved.refresh_from_db()
    assert (saved.email, saved.contact_consent, saved.gender) == ("ann@example.org", True, "Woman")
    assert saved.access_needs == "Hearing loop"


def test_two_rows_may_not_update_the_same_person(team: Team) -> None:
    saved = services.stakeholder_create(
        project=team.project, name="Ann Bell", group="patients_public", email="", organisation=""
    )
    data = b"Name,Group\r\nAnn Bell,patient\r\nAnn Bell,carer\r\n"
    client = team.client_for("lead")
    response = upload(client, team.project, "twice.csv", data)
    page = client.get(response["Location"])
    client.post(url(team.project, "stakeholder_import_mapping"), mapping_post(page))
    before = snapshot()
    refused = client.post(
        url(team.project, "stakeholder_import_preview"),
        {"confirm": "1", "row_2": f"update-{saved.pk}", "row_3": f"update-{saved.pk}"},
    )
    assert refused.status_code == 400
    assert "would both update Ann Bell" in text(refused)
    assert snapshot() == before


# --- All or nothing, and the file kept safely between steps --------------------------------------


def test_a_failure_while_saving_leaves_nothing_behind(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = team.client_for("lead")
    to_preview(client, team.project, MERGED)
    real = services.stakeholder_create
    calls = {"n": 0}

    def failing(**kwargs: Any) -> Stakeholder:
        calls["n"] += 1
        if calls["n"] == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError("the database refused row 8")
        return real(**kwargs)

    monkeypatch.setattr(services, "stakeholder_create", failing)
    before = snapshot()
    response = client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert response.status_code == 400
    assert "Nothing was saved: the database refused row 8" in text(response)
    assert snapshot() == before
    assert RosterUpload.objects.count() == 1  # kept, so the user can try again


def test_the_file_is_kept_on_the_server_for_its_uploader_only(team: Team) -> None:
    lead = team.client_for("lead")
    upload(lead, team.project, MERGED)
    stored = RosterUpload.objects.get()
    assert stored.user_id == team.lead.pk and bytes(stored.data) == (FILES / MERGED).read_bytes()
    assert lead.session[f"people-roster-import-{team.project.pk}"] == stored.token
    # Another member of the team has no file in their session: they start again.
    other = team.client_for("researcher")
    response = other.get(url(team.project, "stakeholder_import_mapping"))
    assert response["Location"] == url(team.project, "stakeholder_import")
    # A token pasted into another session does not open the file unless it is the uploader's.
    session = other.session
    session[f"people-roster-import-{team.project.pk}"] = stored.token
    session.save()
    assert other.get(url(team.project, "stakeholder_import_preview")).status_code == 302
    # Cancelling deletes it.
    lead.post(url(team.project, "stakeholder_import_cancel"))
    assert not RosterUpload.objects.exists()


def test_a_file_left_for_more_than_a_day_is_not_used_and_is_cleared(team: Team) -> None:
    client = team.client_for("lead")
    upload(client, team.project, MERGED)
    RosterUpload.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    response = client.get(url(team.project, "stakeholder_import_mapping"))
    assert response["Location"] == url(team.project, "stakeholder_import")
    upload(client, team.project, "roster-excel-windows.csv")
    assert RosterUpload.objects.count() == 1  # the old one went when the new one came


def test_a_workbook_with_several_sheets_asks_which_one(team: Team) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes.append(["This workbook lists our advisory group."])
    people = workbook.create_sheet("Advisory group")
    people.append(["Name", "Group", "Organisation"])
    people.append(["Ann Bell", "patient", "Leeds Carers"])
    people.append(["Dev Rao", "GP", "Ash Lane Surgery"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = team.client_for("lead")
    response = upload(client, team.project, "two-sheets.xlsx", buffer.getvalue())
    assert response["Location"] == url(team.project, "stakeholder_import_sheet")
    page = client.get(response["Location"])
    assert "Advisory group" in text(page) and "Read me" in text(page)
    chosen = client.post(url(team.project, "stakeholder_import_sheet"), {"sheet": "Advisory group"})
    assert chosen["Location"] == url(team.project, "stakeholder_import_mapping")
    mapping = client.get(chosen["Location"])
    client.post(url(team.project, "stakeholder_import_mapping"), mapping_post(mapping))
    client.post(url(team.project, "stakeholder_import_preview"), {"confirm": "1"})
    assert team.project.stakeholders.get(name="Dev Rao").group == "practitioners"


def test_the_steps_need_a_file_first(team: Team) -> None:
    client = team.client_for("lead")
    for name in (
        "stakeholder_import_sheet",
        "stakeholder_import_mapping",
        "stakeholder_import_preview",
    ):
        response = client.get(url(team.project, name))
        assert response.status_code == 302
        assert response["Location"] == url(team.project, "stakeholder_import")

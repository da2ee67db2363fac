"""The roster (SPEC C5): who is involved, what they bring, consent to be contacted and to record
demographics, access needs, the link to the costs team, removal, and downloads.

Partners and observers see the roster only as counts by group, and their own entry: never anyone
else's name, contact details or demographics (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.formats.roster_import import ROSTER_FIELDS, guess_mapping, read_roster
from coprod.formats.safe_export import unescape_cell
from coprod.formats.tables import read_table
from coprod.web.costs import services as costs_services
from coprod.web.costs.models import TeamMember
from coprod.web.ledger.models import Contribution
from coprod.web.people import selectors, services
from coprod.web.people.models import Activity
from coprod.web.projects.models import Project, Stakeholder
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db


def page_text(response: Any) -> str:
    return str(response.content.decode())


def roster_url(project: Project, name: str = "stakeholder_list", *args: Any) -> str:
    return reverse(name, args=[project.pk, *args])


def add_person(project: Project, **fields: Any) -> Stakeholder:
    defaults: dict[str, Any] = {"name": "Sam Jones", "group": "patients_public"}
    return services.stakeholder_create(project=project, **{**defaults, **fields})


def form_data(**fields: Any) -> dict[str, Any]:
    """A valid post of the person form, with these fields changed."""
    data: dict[str, Any] = {
        "name": "Priya Natarajan",
        "group": "practitioners",
        "organisation": "Northfield GP practice",
        "role": "Practice nurse",
        "brings": "Runs the falls clinic",
        "stages": ["questions", "analysis"],
        "joined": "2026-03-02",
        "contact_consent": "on",
        "email": "priya@example.org",
        "phone": "0113 496 0123",
        "access_needs": "Meetings after 3pm",
        "aliases": "Nurse Natarajan\nPriya",
        "user": "",
        "team_member": "",
        "gender": "",
        "ethnicity": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# --- The page, by role ----------------------------------------------------------------------------


def test_the_team_sees_everyone_with_contact_details_for_those_who_agreed(team: Team) -> None:
    agreed = add_person(
        team.project, name="Ada Agreed", contact_consent=True, email="ada@example.org"
    )
    add_person(team.project, name="Ned Notagreed")
    for who in ("lead", "researcher"):
        page = page_text(team.client_for(who).get(roster_url(team.project)))
        for person in team.project.stakeholders.all():
            assert person.name in page
        assert agreed.email in page
        assert "Not to be contacted" in page


@pytest.mark.parametrize("who", ["partner", "observer"])
def test_partners_and_observers_see_counts_and_only_their_own_entry(team: Team, who: str) -> None:
    add_person(
        team.project,
        name="Ada Agreed",
        contact_consent=True,
        email="ada@example.org",
        demographics_consent=True,
        gender="Woman",
        ethnicity="Nigerian",
        access_needs="Wheelchair user",
    )
    own = team.project.stakeholders.get(user=team.partner)
    services.stakeholder_update(
        person=own, contact_consent=True, email="margaret@example.org", access_needs="Large print"
    )
    response = team.client_for(who).get(roster_url(team.project))
    page = page_text(response)
    assert response.status_code == 200
    for other in team.project.stakeholders.exclude(user=team.partner):
        assert other.name not in page
    for secret in ("ada@example.org", "Woman", "Nigerian", "Wheelchair user"):
        assert secret not in page
    total = team.project.stakeholders.count()
    assert f"{total} people on the roster, by group" in page
    if who == "partner":
        assert own.name in page and "margaret@example.org" in page and "Large print" in page
    else:
        assert own.name not in page
        assert "You are not on the roster" in page


def test_the_roster_filters_by_group_and_counts_every_group(team: Team) -> None:
    client = team.client_for("lead")
    response = client.get(roster_url(team.project), {"group": "policy_makers"})
    page = page_text(response)
    assert "Ruth Calloway" in page
    assert "Margaret Okafor" not in page
    view = selectors.stakeholder_list(project=team.project, user=team.lead)
    by_group = {count.group: count.count for count in view.counts}
    for group in by_group:
        assert by_group[group] == team.project.stakeholders.filter(group=group).count()
    bad = client.get(roster_url(team.project), {"group": "nonsense"})
    assert bad.status_code == 200  # an unknown group shows everyone
    assert "Margaret Okafor" in page_text(bad)


# --- Adding and changing a person -----------------------------------------------------------------


def test_the_lead_adds_a_person_with_everything_and_history_records_it(team: Team) -> None:
    client = team.client_for("lead")
    response = client.post(roster_url(team.project, "stakeholder_add"), form_data())
    assert response.status_code == 302, page_text(response)[:2000]
    person = team.project.stakeholders.get(name="Priya Natarajan")
    assert person.email == "priya@example.org"
    assert person.stages == ["questions", "analysis"]
    assert person.aliases == ["Nurse Natarajan", "Priya"]
    assert person.joined == dt.date(2026, 3, 2)
    assert person.history.count() == 1  # type: ignore[attr-defined]
    assert person.position == team.project.stakeholders.count() - 1


def test_contact_details_without_consent_are_refused_next_to_the_field(team: Team) -> None:
    client = team.client_for("researcher")
    before = Stakeholder.history.count()  # type: ignore[attr-defined]
    response = client.post(
        roster_url(team.project, "stakeholder_add"), form_data(contact_consent=None)
    )
    page = page_text(response)
    assert response.status_code == 400
    assert 'href="#id_email"' in page and 'href="#id_phone"' in page
    assert "Only record this if they agreed" in page
    assert Stakeholder.history.count() == before  # type: ignore[attr-defined]
    with pytest.raises(services.WithoutConsent):
        add_person(team.project, email="x@example.org")


def test_withdrawing_consent_to_be_contacted_erases_the_contact_details(team: Team) -> None:
    person = add_person(team.project, contact_consent=True, email="sam@example.org", phone="0113 1")
    client = team.client_for("lead")
    response = client.post(
        roster_url(team.project, "stakeholder_edit", person.pk),
        form_data(name=person.name, contact_consent=None, email="sam@example.org"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.email, person.phone, person.contact_consent) == ("", "", False)
    follow = client.get(response["Location"])
    assert "their contact details were erased" in page_text(follow)


def test_demographics_only_with_consent_never_in_history_and_erased_on_withdrawal(
    team: Team,
) -> None:
    client = team.client_for("lead")
    refused = client.post(
        roster_url(team.project, "stakeholder_add"), form_data(gender="Woman", ethnicity="Irish")
    )
    assert refused.status_code == 400
    assert 'href="#id_gender"' in page_text(refused)
    client.post(
        roster_url(team.project, "stakeholder_add"),
        form_data(demographics_consent="on", gender="Woman", ethnicity="Irish"),
    )
    person = team.project.stakeholders.get(name="Priya Natarajan")
    assert (person.gender, person.ethnicity, person.demographics_revision) == ("Woman", "Irish", 1)
    client.post(
        roster_url(team.project, "stakeholder_edit", person.pk),
        form_data(demographics_consent=None, gender="Woman", ethnicity="Irish"),
    )
    person.refresh_from_db()
    assert (person.gender, person.ethnicity, person.demographics_revision) == ("", "", 2)
    history = person.history.all()  # type: ignore[attr-defined]
    assert not any(hasattr(row, "gender") or hasattr(row, "ethnicity") for row in history)
    assert [row.demographics_revision for row in history.order_by("history_id")] == [1, 2]


def test_the_database_refuses_demographics_without_consent(team: Team) -> None:
    person = add_person(team.project)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stakeholder.objects.filter(pk=person.pk).update(gender="Man")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(st.booleans(), st.sampled_from(["", "Woman", "Man", "Non-binary"])),
        min_size=1,
        max_size=6,
    )
)
def test_demographics_are_held_exactly_while_consent_is_given(
    team: Team, steps: list[tuple[bool, str]]
) -> None:
    """Whatever the order of changes: with consent the answer is kept, without it nothing is, and
    the revision moves exactly when the answer changes."""
    person = add_person(team.project, name=f"Hyp {Stakeholder.objects.count()}")
    for consent, gender in steps:
        before = (person.gender, person.demographics_revision)
        if not consent and gender:
            with pytest.raises(services.WithoutConsent):
                services.stakeholder_update(
                    person=person, demographics_consent=False, gender=gender
                )
            person.refresh_from_db()
            continue
        services.stakeholder_update(person=person, demographics_consent=consent, gender=gender)
        person.refresh_from_db()
        assert person.gender == (gender if consent else "")
        moved = person.gender != before[0]
        assert person.demographics_revision == before[1] + (1 if moved else 0)


def test_an_account_cannot_be_linked_to_two_people(team: Team) -> None:
    other = team.project.stakeholders.exclude(user=team.partner).first()
    assert other is not None
    response = team.client_for("lead").post(
        roster_url(team.project, "stakeholder_edit", other.pk),
        form_data(name=other.name, user=str(team.partner.pk)),
    )
    assert response.status_code == 400
    assert "already linked to Margaret Okafor" in page_text(response)


def test_an_unknown_field_value_is_refused_by_the_core_plan_model(team: Team) -> None:
    response = team.client_for("lead").post(
        roster_url(team.project, "stakeholder_add"), form_data(group="aliens", stages=["lunch"])
    )
    page = page_text(response)
    assert response.status_code == 400
    assert 'href="#id_group"' in page and 'href="#id_stages"' in page


# --- The costs team -------------------------------------------------------------------------------


def test_linking_to_the_costs_team_and_adding_someone_to_it(team: Team) -> None:
    client = team.client_for("lead")
    member = costs_services.team_member_create(project=team.project, name="Tomasz N")
    tomasz = team.project.stakeholders.get(name="Tomasz Nowak")
    response = client.post(
        roster_url(team.project, "stakeholder_edit", tomasz.pk),
        form_data(name=tomasz.name, group="researchers", team_member=str(member.pk)),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.stakeholder_id == tomasz.pk
    # Someone not yet in the costs team is added to it, under their roster name.
    helen = team.project.stakeholders.get(name="Helen Marsh")
    client.post(
        roster_url(team.project, "stakeholder_edit", helen.pk),
        form_data(name=helen.name, group="researchers", team_member="new"),
    )
    added = TeamMember.objects.get(project=team.project, stakeholder=helen)
    assert added.name == "Helen Marsh"
    # A member linked to someone else is not offered for another person.
    page = page_text(client.get(roster_url(team.project, "stakeholder_edit", helen.pk)))
    assert f'<option value="{member.pk}">Tomasz N</option>' not in page
    own = page_text(client.get(roster_url(team.project, "stakeholder_edit", tomasz.pk)))
    assert f'<option value="{member.pk}" selected>Tomasz N</option>' in own
    # Unlinking leaves the costs team as it was.
    client.post(
        roster_url(team.project, "stakeholder_edit", helen.pk),
        form_data(name=helen.name, group="researchers", team_member=""),
    )
    added.refresh_from_db()
    assert added.stakeholder_id is None


# --- Removing a person ----------------------------------------------------------------------------


def test_a_person_without_records_is_removed(team: Team) -> None:
    person = add_person(team.project)
    client = team.client_for("lead")
    response = client.post(roster_url(team.project, "stakeholder_edit", person.pk), {"delete": "1"})
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=person.pk).exists()
    assert Stakeholder.history.filter(id=person.pk, history_type="-").exists()  # type: ignore[attr-defined]


def test_a_person_with_records_stays_and_erasure_is_offered(team: Team) -> None:
    person = add_person(team.project)
    Contribution.objects.create(
        project=team.project,
        stakeholder=person,
        group=person.group,
        made_on=dt.date(2026, 5, 1),
        kind="idea",
        text="Run the classes nearer the bus station",
    )
    client = team.client_for("lead")
    page = page_text(client.get(roster_url(team.project, "stakeholder_edit", person.pk)))
    assert "stay on the roster" in page
    assert 'name="delete"' not in page
    response = client.post(roster_url(team.project, "stakeholder_edit", person.pk), {"delete": "1"})
    assert response.status_code == 302
    assert Stakeholder.objects.filter(pk=person.pk).exists()
    from coprod.web.people.view_helpers import url_if_exists

    erase = url_if_exists("stakeholder_erase", team.project.pk, person.pk)
    if erase is not None:
        assert erase in page


def test_an_erased_person_shows_without_their_data_and_cannot_be_edited(team: Team) -> None:
    person = add_person(team.project, name="Erin Erased")
    Stakeholder.objects.filter(pk=person.pk).update(
        name="", organisation="", erased_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    )
    client = team.client_for("lead")
    page = page_text(client.get(roster_url(team.project)))
    assert "Personal data erased" in page
    assert client.get(roster_url(team.project, "stakeholder_edit", person.pk)).status_code == 404


# --- Downloads ------------------------------------------------------------------------------------


def test_the_downloads_escape_formulas_and_leave_out_gender_and_ethnicity(team: Team) -> None:
    add_person(
        team.project,
        name='=HYPERLINK("http://evil.example","click")',
        organisation="+44 charity",
        brings="-1 sugar",
        contact_consent=True,
        email="eve@example.org",
        demographics_consent=True,
        gender="Woman",
        ethnicity="Welsh",
    )
    client = team.client_for("researcher")
    csv_response = client.get(roster_url(team.project, "stakeholder_export_csv"))
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+44 charity" in text and "'-1 sugar" in text
    assert "Woman" not in text and "Welsh" not in text
    xlsx = client.get(roster_url(team.project, "stakeholder_export_xlsx")).content
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(xlsx)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)
    assert "Woman" not in {cell.value for row in sheet.iter_rows() for cell in row}


def test_a_downloaded_roster_imports_again_with_the_same_details(team: Team) -> None:
    """The download's headers are those the import reads: the columns map themselves."""
    content = team.client_for("lead").get(roster_url(team.project, "stakeholder_export_csv"))
    table = read_table(content.content, "roster.csv")
    mapping = guess_mapping(table.headers)
    not_exported = {"given_name", "family_name", "demographics_consent", "gender", "ethnicity"}
    for field in ROSTER_FIELDS:
        if field.id not in not_exported:
            assert mapping[field.id] is not None, field.id
    result = read_roster(table, mapping)
    assert result.clean, result.problems
    saved = {p.name: p for p in team.project.stakeholders.all()}
    for entry in result.entries:
        person = saved[unescape_cell(entry.name)]
        assert entry.group is not None and entry.group.value == person.group
        assert (entry.organisation or "") == person.organisation


# --- Queries --------------------------------------------------------------------------------------


def grow_roster(project: Project, count: int) -> None:
    start = Stakeholder.objects.filter(project=project).count()
    for index in range(start, start + count):
        person = add_person(
            project,
            name=f"Person {index}",
            group=["patients_public", "practitioners", "managers"][index % 3],
            contact_consent=True,
            email=f"p{index}@example.org",
            access_needs="Large print" if index % 2 else "",
        )
        activity = services.activity_create(
            project=project, kind="meeting", title=f"Meeting {index}", date=dt.date(2026, 5, 1)
        )
        services.attendance_set(activity=activity, present={person.pk: None})


@pytest.mark.parametrize("who", ["lead", "partner", "observer"])
def test_the_roster_runs_a_fixed_number_of_queries(team: Team, who: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = team.client_for(who)
    url = roster_url(team.project)
    grow_roster(team.project, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_roster(team.project, 25)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_the_roster_selector_runs_two_queries(team: Team) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow_roster(team.project, 10)
    project = Project.objects.get(pk=team.project.pk)
    project.__dict__["_roles"] = {team.lead.pk: "lead"}
    with CaptureQueriesContext(connection) as captured:
        view = selectors.stakeholder_list(project=project, user=team.lead)
        for person in view.people:
            _ = (person.user, person.attended, person.has_records)
            _ = getattr(person, "team_member", None)
    assert len(captured) == 2
    assert Activity.objects.filter(project=project).count() == 10

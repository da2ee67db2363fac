"""Activities and attendance (SPEC C5), and how attendance feeds the time records of C4.

A person on the roster who is linked to someone in the costs team gets a time log for each
activity they attend: made, changed and removed with the attendance, through the costs services.
A time log the team had already kept for that activity is linked, not doubled, and left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.core.catalogue import default_catalogue
from coprod.web.costs import services as costs_services
from coprod.web.costs.models import TeamMember, TimeLog
from coprod.web.ledger.models import Contribution
from coprod.web.people import selectors, services
from coprod.web.people.demo import demo_people
from coprod.web.people.models import Activity, Attendance, TimeLogOrigin
from coprod.web.projects.models import Project, Stakeholder
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

D = Decimal
DAY = dt.date(2026, 5, 12)


def text(response: Any) -> str:
    return str(response.content.decode())


def person(team: Team, name: str) -> Stakeholder:
    return team.project.stakeholders.get(name=name)


def linked(team: Team, name: str, **member: Any) -> tuple[Stakeholder, TeamMember]:
    """A roster person with an entry in the costs team."""
    roster = person(team, name)
    entry = costs_services.team_member_create(project=team.project, name=name, **member)
    services.stakeholder_link_team_member(person=roster, member=entry)
    entry.refresh_from_db()
    return roster, entry


def meeting(team: Team, **fields: Any) -> Activity:
    values: dict[str, Any] = {
        "kind": "meeting",
        "title": "Study management group",
        "date": DAY,
        "stage": "analysis",
        "method": "advisory_group",
        "duration_hours": D("2"),
    }
    return services.activity_create(project=team.project, **{**values, **fields})


def activity_post(people: dict[int, str | None], **fields: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "activity-kind": "workshop",
        "activity-title": "Workshop on the findings",
        "activity-date": "2026-06-02",
        "activity-stage": "analysis",
        "activity-method": "co_analysis_session",
        "activity-duration_hours": "3",
        "activity-notes": "Themes sorted in small groups.",
    }
    for pk, hours in people.items():
        data[f"attendance-present_{pk}"] = "on"
        if hours is not None:
            data[f"attendance-hours_{pk}"] = hours
    data.update(fields)
    return data


# --- Recording an activity ------------------------------------------------------------------------


def test_the_team_records_an_activity_with_who_attended(team: Team) -> None:
    margaret, helen = person(team, "Margaret Okafor"), person(team, "Helen Marsh")
    client = team.client_for("researcher")
    response = client.post(
        reverse("activity_add", args=[team.project.pk]),
        activity_post({margaret.pk: "3.5", helen.pk: None}),
    )
    assert response.status_code == 302, text(response)[:3000]
    activity = Activity.objects.get(project=team.project)
    assert (activity.title, activity.duration_hours, activity.created_by) == (
        "Workshop on the findings",
        D("3"),
        team.researcher,
    )
    hours = dict(Attendance.objects.values_list("stakeholder__name", "hours"))
    assert hours == {"Margaret Okafor": D("3.5"), "Helen Marsh": None}
    page = text(client.get(response["Location"]))
    assert "Margaret Okafor" in page and "Themes sorted" in page
    assert "(the activity's length)" in page


def test_methods_come_from_the_catalogue(team: Team) -> None:
    client = team.client_for("lead")
    page = text(client.get(reverse("activity_add", args=[team.project.pk])))
    for method in default_catalogue().methods.values():
        assert f'<option value="{method.id}">' in page
    response = client.post(
        reverse("activity_add", args=[team.project.pk]),
        activity_post({}, **{"activity-method": "seance"}),
    )
    assert response.status_code == 400
    assert 'href="#id_activity-method"' in text(response)
    assert not Activity.objects.exists()
    with pytest.raises(Exception, match="catalogue"):
        meeting(team, method="seance")


def test_hours_for_someone_not_ticked_are_refused_next_to_their_field(team: Team) -> None:
    margaret = person(team, "Margaret Okafor")
    data = activity_post({})
    data[f"attendance-hours_{margaret.pk}"] = "2"
    response = team.client_for("lead").post(reverse("activity_add", args=[team.project.pk]), data)
    assert response.status_code == 400
    assert f'href="#id_attendance-hours_{margaret.pk}"' in text(response)
    assert not Activity.objects.exists()


def test_a_duration_over_a_day_is_refused(team: Team) -> None:
    response = team.client_for("lead").post(
        reverse("activity_add", args=[team.project.pk]),
        activity_post({}, **{"activity-duration_hours": "30"}),
    )
    assert response.status_code == 400
    assert 'href="#id_activity-duration_hours"' in text(response)


# --- Attendance feeds the time logs ---------------------------------------------------------------


def test_attendance_makes_changes_and_removes_the_time_log(team: Team) -> None:
    margaret, member = linked(team, "Margaret Okafor")
    activity = meeting(team)
    services.attendance_set(activity=activity, present={margaret.pk: None})
    attendance = Attendance.objects.get(activity=activity)
    log = attendance.time_log
    assert log is not None and attendance.time_log_origin == TimeLogOrigin.MADE
    assert (log.person_id, log.activity, log.date, log.hours, log.kind) == (
        member.pk,
        "Study management group",
        DAY,
        D("2.00"),
        "contributor_payment",
    )
    # Their own hours, then a change of the activity: the log follows.
    services.attendance_set(activity=activity, present={margaret.pk: D("2.5")})
    log.refresh_from_db()
    assert log.hours == D("2.50")
    services.activity_update(
        activity=activity, title="SMG: first findings", date=DAY.replace(day=13)
    )
    log.refresh_from_db()
    assert (log.activity, log.date) == ("SMG: first findings", dt.date(2026, 5, 13))
    # Removed from the attendance: the log it made goes too, with its history.
    services.attendance_set(activity=activity, present={})
    assert not TimeLog.objects.filter(pk=log.pk).exists()
    assert TimeLog.history.filter(id=log.pk, history_type="-").exists()  # type: ignore[attr-defined]


def test_a_time_log_the_team_already_kept_is_linked_not_doubled_and_kept(team: Team) -> None:
    margaret, member = linked(team, "Margaret Okafor")
    kept = costs_services.time_log_create(
        project=team.project,
        person=member,
        activity="Study management group",
        date=DAY,
        hours=D("3"),
        rate_card="public_contributor_example",
        rate="meeting_half_day",
    )
    activity = meeting(team)
    services.attendance_set(activity=activity, present={margaret.pk: None})
    attendance = Attendance.objects.get(activity=activity)
    assert attendance.time_log_id == kept.pk
    assert attendance.time_log_origin == TimeLogOrigin.MATCHED
    assert TimeLog.objects.filter(person=member).count() == 1
    services.activity_update(activity=activity, duration_hours=D("1"))
    kept.refresh_from_db()
    assert kept.hours == D("3.00")  # the team's own record is left as they wrote it
    services.attendance_set(activity=activity, present={})
    assert TimeLog.objects.filter(pk=kept.pk).exists()


def test_a_time_log_deleted_in_the_costs_is_not_made_again(team: Team) -> None:
    margaret, _member = linked(team, "Margaret Okafor")
    activity = meeting(team)
    services.attendance_set(activity=activity, present={margaret.pk: None})
    log = Attendance.objects.get(activity=activity).time_log
    assert log is not None
    costs_services.time_log_delete(row=log)
    services.activity_update(activity=activity, duration_hours=D("2.5"))
    services.attendance_set(activity=activity, present={margaret.pk: D("3")})
    assert not TimeLog.objects.filter(project=team.project).exists()


def test_staff_time_for_researchers_and_anyone_on_a_payroll(team: Team) -> None:
    tomasz, _m = linked(team, "Tomasz Nowak")
    dennis, _d = linked(team, "Dennis Whitfield", career_stage="senior", contract="permanent")
    activity = meeting(team)
    services.attendance_set(activity=activity, present={tomasz.pk: None, dennis.pk: None})
    kinds = dict(TimeLog.objects.values_list("person__name", "kind"))
    assert kinds == {"Tomasz Nowak": "staff_time", "Dennis Whitfield": "staff_time"}


def test_no_time_log_without_hours_or_without_a_costs_entry(team: Team) -> None:
    margaret, _member = linked(team, "Margaret Okafor")
    helen = person(team, "Helen Marsh")  # not in the costs team
    activity = meeting(team, duration_hours=None)
    services.attendance_set(activity=activity, present={margaret.pk: None, helen.pk: D("1")})
    assert not TimeLog.objects.exists()
    services.activity_update(activity=activity, duration_hours=D("2"))
    assert list(TimeLog.objects.values_list("person__name", "hours")) == [
        ("Margaret Okafor", D("2.00"))
    ]


def test_linking_someone_later_logs_the_activities_they_already_attended(team: Team) -> None:
    margaret = person(team, "Margaret Okafor")
    first, second = meeting(team), meeting(team, title="Workshop", date=DAY.replace(day=20))
    for activity in (first, second):
        services.attendance_set(activity=activity, present={margaret.pk: None})
    assert not TimeLog.objects.exists()
    client = team.client_for("lead")
    from tests.web.test_people_roster import form_data

    client.post(
        reverse("stakeholder_edit", args=[team.project.pk, margaret.pk]),
        form_data(name=margaret.name, group="patients_public", team_member="new"),
    )
    logs = sorted(TimeLog.objects.values_list("activity", "hours"))
    assert logs == [("Study management group", D("2.00")), ("Workshop", D("2.00"))]


def test_the_time_logs_are_the_costs_pages_own(team: Team) -> None:
    """The costs pages count the hours that attendance logged, like any other time log."""
    margaret, member = linked(team, "Margaret Okafor")
    services.attendance_set(activity=meeting(team), present={margaret.pk: D("2.25")})
    page = text(team.client_for("lead").get(reverse("costs_actuals", args=[team.project.pk])))
    assert "Study management group" in page
    assert TimeLog.objects.get(person=member).created_by is None


def test_deleting_an_activity_removes_its_attendance_and_the_logs_it_made(team: Team) -> None:
    margaret, _member = linked(team, "Margaret Okafor")
    activity = meeting(team)
    services.attendance_set(activity=activity, present={margaret.pk: None})
    client = team.client_for("lead")
    response = client.post(
        reverse("activity_edit", args=[team.project.pk, activity.pk]), {"delete": "1"}
    )
    assert response.status_code == 302
    assert not Activity.objects.exists() and not Attendance.objects.exists()
    assert not TimeLog.objects.exists()


def test_an_activity_with_contributions_is_kept(team: Team) -> None:
    activity = meeting(team)
    Contribution.objects.create(
        project=team.project,
        activity=activity,
        group="patients_public",
        made_on=DAY,
        kind="concern",
        text="The classes start too early for carers",
    )
    client = team.client_for("lead")
    response = client.post(
        reverse("activity_edit", args=[team.project.pk, activity.pk]), {"delete": "1"}
    )
    assert response.status_code == 302
    assert Activity.objects.filter(pk=activity.pk).exists()
    page = text(client.get(reverse("activity_detail", args=[team.project.pk, activity.pk])))
    assert 'data-contributions="1"' in page


def test_an_erased_person_keeps_their_attendance_when_the_activity_is_saved(team: Team) -> None:
    dennis = person(team, "Dennis Whitfield")
    margaret = person(team, "Margaret Okafor")
    activity = meeting(team)
    services.attendance_set(activity=activity, present={dennis.pk: None})
    Stakeholder.objects.filter(pk=dennis.pk).update(
        erased_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    )
    response = team.client_for("lead").post(
        reverse("activity_edit", args=[team.project.pk, activity.pk]),
        activity_post({margaret.pk: None}),
    )
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("stakeholder_id", flat=True)) == {
        dennis.pk,
        margaret.pk,
    }


# --- What partners and observers see --------------------------------------------------------------


def test_a_partner_sees_the_activities_they_attended_with_others_as_counts(team: Team) -> None:
    own = team.project.stakeholders.get(user=team.partner)
    helen, ruth = person(team, "Helen Marsh"), person(team, "Ruth Calloway")
    attended = meeting(team, notes="Ruth was worried about the budget")
    services.attendance_set(
        activity=attended, present={own.pk: None, helen.pk: None, ruth.pk: None}
    )
    other = meeting(team, title="Commissioners only", date=DAY.replace(day=20))
    services.attendance_set(activity=other, present={ruth.pk: None})
    client = team.client_for("partner")
    listing = text(client.get(reverse("activity_list", args=[team.project.pk])))
    assert "Study management group" in listing and "Commissioners only" not in listing
    detail = text(client.get(reverse("activity_detail", args=[team.project.pk, attended.pk])))
    assert "3 people took part" in detail
    assert "Researchers</span>: <strong>1</strong>" in detail
    for hidden in ("Helen Marsh", "Ruth Calloway", "worried about the budget"):
        assert hidden not in detail and hidden not in listing
    missing = client.get(reverse("activity_detail", args=[team.project.pk, other.pk]))
    assert missing.status_code == 404


def test_an_observer_sees_every_activity_without_names_or_notes(team: Team) -> None:
    helen = person(team, "Helen Marsh")
    activity = meeting(team, notes="Helen will redraft the guide")
    services.attendance_set(activity=activity, present={helen.pk: None})
    client = team.client_for("observer")
    detail = text(client.get(reverse("activity_detail", args=[team.project.pk, activity.pk])))
    assert "Study management group" in detail and "1 person took part" in detail
    assert "Helen" not in detail


# --- Dashboard, queries, demo ---------------------------------------------------------------------


def test_the_dashboard_summary_names_access_needs_to_prepare_for_the_team_only(team: Team) -> None:
    margaret = person(team, "Margaret Okafor")
    services.stakeholder_update(person=margaret, access_needs="Large print")
    held = meeting(team, date=dt.date(2026, 4, 1))
    services.attendance_set(activity=held, present={margaret.pk: None})
    coming = meeting(team, title="Workshop", date=dt.date(2026, 7, 1))
    services.attendance_set(activity=coming, present={margaret.pk: None})
    today = dt.date(2026, 6, 1)
    summary = selectors.dashboard_summary(team.project, user=team.lead, today=today)
    assert (summary.held, summary.next_activity, summary.next_attendees) == (1, coming, 1)
    assert summary.access_needs == [("Margaret Okafor", "Large print")]
    assert summary.total == team.project.stakeholders.count()
    partner = selectors.dashboard_summary(team.project, user=team.partner, today=today)
    assert partner.access_needs == [] and partner.access_needs_total == 0
    assert partner.next_activity == coming  # they are expected at it
    observer = selectors.dashboard_summary(team.project, user=team.observer, today=today)
    assert observer.access_needs == [] and observer.held == 1


def grow(project: Project, count: int) -> None:
    people = list(project.stakeholders.all())
    for index in range(count):
        activity = services.activity_create(
            project=project,
            kind="meeting",
            title=f"Meeting {index}",
            date=DAY + dt.timedelta(days=index - count // 2),
            duration_hours=D("1"),
        )
        services.attendance_set(activity=activity, present={p.pk: None for p in people})
        Contribution.objects.create(
            project=project, activity=activity, made_on=DAY, kind="idea", text=f"Idea {index}"
        )
    services.stakeholder_create(project=project, name=f"Extra {count}", group="funders")


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["lead", "partner", "observer"])
def test_activity_pages_run_a_fixed_number_of_queries(team: Team, who: str) -> None:
    own = team.project.stakeholders.get(user=team.partner)
    first = meeting(team)
    services.attendance_set(activity=first, present={own.pk: None})
    client = team.client_for(who)
    urls = [
        reverse("activity_list", args=[team.project.pk]),
        reverse("activity_detail", args=[team.project.pk, first.pk]),
    ]
    grow(team.project, 3)
    small = [_queries(client, url) for url in urls]
    grow(team.project, 25)
    assert [_queries(client, url) for url in urls] == small


def test_the_dashboard_summary_runs_a_fixed_number_of_queries(team: Team) -> None:
    grow(team.project, 3)
    services.activity_create(
        project=team.project, kind="meeting", title="Later", date=dt.date(2027, 1, 1)
    )
    project = Project.objects.get(pk=team.project.pk)
    with CaptureQueriesContext(connection) as small:
        selectors.dashboard_summary(project, user=team.lead, today=DAY)
    grow(team.project, 25)
    project = Project.objects.get(pk=team.project.pk)
    with CaptureQueriesContext(connection) as large:
        summary = selectors.dashboard_summary(project, user=team.lead, today=DAY)
    assert len(large) == len(small)
    assert summary.next_activity is not None


def test_the_demo_adds_believable_details_and_activities_once(team: Team) -> None:
    activities = demo_people(team.project, today=dt.date(2026, 9, 1))
    assert len(activities) == 4
    assert sum(a.date > dt.date(2026, 9, 1) for a in activities) == 1
    margaret = person(team, "Margaret Okafor")
    assert margaret.contact_consent and margaret.email.endswith("@example.org")
    assert margaret.access_needs
    logs = TimeLog.objects.filter(project=team.project)
    assert logs.exists()
    assert all(log.attendance is not None for log in logs)  # each made by an attendance
    assert demo_people(team.project) == []
    page = text(team.client_for("partner").get(reverse("activity_list", args=[team.project.pk])))
    assert "Study management group" in page


def test_the_change_log_can_show_people_changes_without_the_demographics(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coprod.web.projects import audit

    audit.table_specs.cache_clear()
    try:
        margaret = person(team, "Margaret Okafor")
        services.stakeholder_update(
            person=margaret, demographics_consent=True, gender="Woman", ethnicity="Nigerian"
        )
        services.stakeholder_update(person=margaret, demographics_consent=False)
        services.stakeholder_update(person=margaret, contact_consent=True, email="m@example.org")
        services.stakeholder_update(person=margaret, contact_consent=False)
        activity = meeting(team)
        services.attendance_set(activity=activity, present={margaret.pk: None})
        changes = audit.read_changes(team.project)
    finally:
        audit.table_specs.cache_clear()
    descriptions = [change.description for change in changes]
    assert "Recorded an activity: ‘Study management group’" in descriptions
    assert "Recorded someone's attendance at an activity" in descriptions
    assert "Changed the gender or ethnicity of Margaret Okafor" in descriptions
    assert "Erased the gender and ethnicity of Margaret Okafor" in descriptions
    assert any("withdrew their consent to be contacted" in d for d in descriptions)
    shown = " ".join(f"{f.before} {f.after}" for change in changes for f in change.fields)
    assert "Woman" not in shown and "Nigerian" not in shown


def test_the_dashboard_and_partner_sections_render_what_the_summary_says(team: Team) -> None:
    from django.template.loader import render_to_string

    margaret = person(team, "Margaret Okafor")
    services.stakeholder_update(person=margaret, access_needs="Large print")
    coming = meeting(team, title="Workshop", date=dt.date(2026, 7, 1))
    services.attendance_set(activity=coming, present={margaret.pk: None})
    today = dt.date(2026, 6, 1)
    lead = selectors.dashboard_summary(team.project, user=team.lead, today=today)
    html = render_to_string("people/_dashboard.html", {"summary": lead, "project": team.project})
    assert "Workshop" in html and "Margaret Okafor: Large print" in html
    observer = selectors.dashboard_summary(team.project, user=team.observer, today=today)
    html = render_to_string(
        "people/_dashboard.html", {"summary": observer, "project": team.project}
    )
    assert "Workshop" in html and "Margaret Okafor" not in html and "Large print" not in html
    partner = selectors.dashboard_summary(team.project, user=team.partner, today=today)
    html = render_to_string("people/_partner.html", {"summary": partner, "project": team.project})
    assert "Next: Workshop" in html and "taken part in 0 activities" in html

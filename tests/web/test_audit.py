"""The leads' record of every change: the pure reader over history rows, and the page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.web.projects import audit, services
from coprod.web.projects.audit import build_changes, read_changes, user_ids_in
from coprod.web.projects.models import Aim, Membership, Project
from tests.web.conftest import Team

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def aim_row(history_id: int, aim_id: int, kind: str, minutes: int, **values: Any) -> dict[str, Any]:
    row = {
        "id": aim_id,
        "history_id": history_id,
        "history_date": at(minutes),
        "history_type": kind,
        "history_user_id": 7,
        "history_change_reason": None,
        "project_id": 1,
        "motivation": "political",
        "outcome": "Partners trust the findings",
        "for_whom": ["patients_public"],
        "position": 0,
    }
    row.update(values)
    return row


def membership_row(history_id: int, kind: str, minutes: int, **values: Any) -> dict[str, Any]:
    row = {
        "id": 5,
        "history_id": history_id,
        "history_date": at(minutes),
        "history_type": kind,
        "history_user_id": 7,
        "history_change_reason": None,
        "project_id": 1,
        "user_id": 9,
        "role": "partner",
        "created_at": T0,
    }
    row.update(values)
    return row


NAMES = {7: "Amira Lead", 9: "Jo"}


# --- the pure reader ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_row_is_compared_with_the_previous_row_of_the_same_record() -> None:
    rows = {
        "aim": [
            # Given out of order, and interleaved with another aim, on purpose.
            aim_row(3, 1, "~", 20, outcome="Partners trust and use the findings"),
            aim_row(1, 1, "+", 0),
            aim_row(2, 2, "+", 10, outcome="Carers are heard", motivation="normative"),
        ]
    }
    changes = build_changes(rows, names=NAMES)
    assert [c.history_id for c in changes] == [3, 2, 1]  # newest first
    changed = changes[0]
    assert changed.kind == "~"
    assert changed.who == "Amira Lead"
    assert changed.description == "Changed the aim ‘Partners trust and use the findings’"
    assert [(f.name, f.before, f.after) for f in changed.fields] == [
        ("outcome", "Partners trust the findings", "Partners trust and use the findings")
    ]
    added = changes[2]
    assert added.description == "Added an aim: ‘Partners trust the findings’"
    shown = {f.name: (f.before, f.after) for f in added.fields}
    assert shown["for_whom"] == ("", "Patients, carers and the public")
    assert shown["motivation"] == ("", "Ownership, trust and legitimacy")


@pytest.mark.django_db
def test_a_save_that_changed_nothing_is_left_out() -> None:
    rows = {"aim": [aim_row(1, 1, "+", 0), aim_row(2, 1, "~", 5), aim_row(3, 1, "-", 9)]}
    changes = build_changes(rows, names=NAMES)
    assert [c.kind for c in changes] == ["-", "+"]
    removed = changes[0]
    assert removed.description == "Removed the aim ‘Partners trust the findings’"
    assert ("outcome", "Partners trust the findings", "") in [
        (f.name, f.before, f.after) for f in removed.fields
    ]


@pytest.mark.django_db
def test_people_are_named_and_roles_said_in_words() -> None:
    rows = {
        "membership": [
            membership_row(1, "+", 0),
            membership_row(2, "~", 5, role="observer"),
            membership_row(3, "-", 9, role="observer", history_user_id=None),
        ]
    }
    removed, changed, added = build_changes(rows, names=NAMES)
    assert added.description == "Added Jo as partner"
    assert changed.description == "Made Jo observer"
    assert [(f.label, f.before, f.after) for f in changed.fields] == [
        ("Role", "Partner", "Observer")
    ]
    assert removed.description == "Removed Jo as observer"
    assert removed.who == ""  # nobody recorded: the page says so in words
    assert user_ids_in(rows) == {7, 9}


@pytest.mark.django_db
def test_someone_whose_account_is_gone_is_described_plainly() -> None:
    rows = {"membership": [membership_row(1, "-", 0, history_user_id=42, user_id=43)]}
    (change,) = build_changes(rows, names={})
    assert change.who == "a person no longer on Coprod"
    assert change.description == "Removed a person no longer on Coprod as partner"


def _project_row(history_id: int, kind: str, minutes: int, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        field.attname: None for field in Project.history.model._meta.concrete_fields
    }
    row.update(
        {
            "id": 1,
            "history_id": history_id,
            "history_date": at(minutes),
            "history_type": kind,
            "history_user_id": 7,
            "title": "Falls",
            "resources": "neutral",
            "cooperation": "unknown",
            "ground_rules": [],
            "has_ethics": False,
            "updated_at": at(minutes),
        }
    )
    row.update(values)
    return row


@pytest.mark.django_db
def test_context_answers_are_described_by_their_question() -> None:
    rows = {
        "project": [
            _project_row(1, "+", 0),
            _project_row(2, "~", 1, resources="lean-more"),
            _project_row(3, "~", 2, resources="lean-more"),  # only updated_at moved
            _project_row(4, "~", 3, resources="more", cooperation="less"),
            _project_row(5, "~", 4, resources="more", cooperation="less", has_ethics=True),
        ]
    }
    changes = build_changes(rows, names=NAMES)
    assert [c.history_id for c in changes] == [5, 4, 2, 1]
    ethics, two, one, created = changes
    assert one.description == "Changed the context answer ‘Time, money and skills’"
    assert [(f.before, f.after) for f in one.fields] == [("neutral", "lean-more")]
    assert two.description == "Changed 2 context answers"
    assert ethics.description == "Changed ‘Ethics details written down’"
    assert [(f.before, f.after) for f in ethics.fields] == [("No", "Yes")]
    assert created.description == "Created the project"


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("lead", 200), ("researcher", 403), ("partner", 403), ("observer", 403), ("outsider", 404)],
)
def test_only_leads_see_the_changes(team: Team, who: str, status: int) -> None:
    response = team.client_for(who).get(reverse("change_log", args=[team.project.pk]))
    assert response.status_code == status


@pytest.mark.django_db
def test_someone_signed_out_is_sent_to_sign_in(team: Team) -> None:
    response = team.client_for("anonymous").get(reverse("change_log", args=[team.project.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def _diff(page: str, before: str, after: str) -> bool:
    return bool(
        re.search(
            r"<del><span class=\"visually-hidden\">before: </span>"
            + re.escape(before)
            + r"</del>\s*<span aria-hidden=\"true\"> → </span>\s*"
            r"<ins><span class=\"visually-hidden\">after: </span>" + re.escape(after) + "</ins>",
            page,
        )
    )


@pytest.mark.django_db
def test_a_changed_context_answer_shows_who_and_the_values_before_and_after(team: Team) -> None:
    project = team.project
    assert project.resources == "neutral"
    project._history_user = team.lead  # type: ignore[attr-defined]  # as the middleware does
    services.criteria_update(
        project=project,
        answers={"resources": "lean-more"},
        weights={"resources": (Decimal("2.00"), "The timetable is tight")},
    )
    response = team.client_for("lead").get(reverse("change_log", args=[project.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    first = page.index("Changed the context answer ‘Time, money and skills’")
    assert "Made by Lead" in page[first : first + 600]
    assert _diff(page, "neutral", "lean-more")
    assert "Gave a weight to the context question ‘Time, money and skills’" in page
    assert "The timetable is tight" in page
    # Newest first: the weight was saved after the answer.
    assert page.index("Gave a weight") < first


@pytest.mark.django_db
def test_changes_made_through_a_page_record_the_person_who_made_them(team: Team) -> None:
    membership = Membership.objects.get(project=team.project, user=team.partner)
    lead = team.client_for("lead")
    response = lead.post(
        reverse("member_edit", args=[team.project.pk, membership.pk]),
        {"action": "role", "role": "observer"},
    )
    assert response.status_code == 302
    changes = read_changes(team.project)
    assert changes[0].description == "Made Partner observer"
    assert changes[0].who == "Lead"
    page = lead.get(reverse("change_log", args=[team.project.pk])).content.decode()
    assert "Made Partner observer" in page
    assert _diff(page, "Partner", "Observer")


@pytest.mark.django_db
def test_removed_records_keep_their_last_values(team: Team) -> None:
    aim = team.project.aims.first()
    assert aim is not None
    outcome = aim.outcome
    services.aim_delete(aim=aim)
    changes = read_changes(team.project)
    assert changes[0].kind == "-"
    assert changes[0].description.startswith("Removed the aim")
    assert ("outcome", outcome, "") in [(f.name, f.before, f.after) for f in changes[0].fields]


@pytest.mark.django_db
def test_another_projects_changes_are_not_shown(team: Team) -> None:
    other = services.project_create(user=team.lead, title="Somewhere else entirely")
    services.aim_create(project=other, motivation="normative", outcome="Secret aim", for_whom=[])
    page = (
        team.client_for("lead").get(reverse("change_log", args=[team.project.pk])).content.decode()
    )
    assert "Secret aim" not in page
    assert "Somewhere else entirely" not in page


def _many_changes(project: Project, count: int) -> None:
    for number in range(count):
        project.summary = f"Summary number {number}"
        project.save()
        Aim.objects.create(project=project, motivation="substantive", outcome=f"Aim {number}")


@pytest.mark.django_db
def test_the_page_runs_the_same_number_of_queries_however_long_the_history(team: Team) -> None:
    client = team.client_for("lead")
    url = reverse("change_log", args=[team.project.pk])
    client.get(url)  # warm up: the session, content types

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    few_rows, few_queries = len(read_changes(team.project)), count()
    _many_changes(team.project, 80)
    services.invitation_create(
        project=team.project,
        email="someone@example.org",
        role="observer",
        invited_by=team.lead,
        accept_url=lambda invitation: "https://example.org/",
    )
    assert len(read_changes(team.project)) > few_rows + 150
    assert count() == few_queries
    # session and user, membership with project, one per history table, and the people's names
    assert few_queries <= len(audit.TABLES) + 4


@pytest.mark.django_db
def test_long_histories_are_split_into_pages_of_fifty(team: Team) -> None:
    _many_changes(team.project, 40)
    total = len(read_changes(team.project))
    assert total > 100
    client = team.client_for("lead")
    url = reverse("change_log", args=[team.project.pk])
    first = client.get(url).content.decode()
    assert first.count('<li class="card">') == 50
    assert "Older changes" in first and "Newer changes" not in first
    assert "Aim 39" in first and "Aim 0’" not in first
    last_page = (total + 49) // 50
    last = client.get(url, {"page": last_page}).content.decode()
    assert last.count('<li class="card">') == total - 50 * (last_page - 1)
    assert "Created the project" in last
    assert "Newer changes" in last and "Older changes" not in last
    assert client.get(url, {"page": "nonsense"}).status_code == 200

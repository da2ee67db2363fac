"""Who may do what on every page of the roster and activities, for every role (SPEC §3).

Outsiders get 404 everywhere, exactly as for a project that does not exist; members whose role
does not allow a page get 403; anonymous visitors are sent to sign in. A refused write leaves no
history row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from coprod.web.people import services
from coprod.web.people.models import Activity, Attendance
from coprod.web.projects.models import Stakeholder
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

ROLES = ["lead", "researcher", "partner", "observer", "outsider", "anonymous"]
MEMBERS = {"lead": 200, "researcher": 200, "partner": 200, "observer": 200}
TEAM = {"lead": 200, "researcher": 200, "partner": 403, "observer": 403}
# The import's later steps send a user with no file back to its first step.
TEAM_STEP = {"lead": 302, "researcher": 302, "partner": 403, "observer": 403}


@pytest.fixture
def ids(team: Team) -> dict[str, Any]:
    own = team.project.stakeholders.get(user=team.partner)
    other = team.project.stakeholders.exclude(user=team.partner).first()
    assert other is not None
    attended = services.activity_create(
        project=team.project, kind="meeting", title="Attended", date=dt.date(2026, 5, 1)
    )
    services.attendance_set(activity=attended, present={own.pk: None, other.pk: None})
    elsewhere = services.activity_create(
        project=team.project, kind="meeting", title="Elsewhere", date=dt.date(2026, 5, 2)
    )
    services.attendance_set(activity=elsewhere, present={other.pk: None})
    return {
        "pk": team.project.pk,
        "stakeholder_id": other.pk,
        "activity_id": attended.pk,
        "elsewhere_id": elsewhere.pk,
    }


# (url name, url kwargs beyond pk, expected GET status per member role)
PAGES: list[tuple[str, tuple[str, ...], dict[str, int]]] = [
    ("stakeholder_list", (), MEMBERS),
    ("stakeholder_add", (), TEAM),
    ("stakeholder_edit", ("stakeholder_id",), TEAM),
    ("stakeholder_export_csv", (), TEAM),
    ("stakeholder_export_xlsx", (), TEAM),
    ("stakeholder_import", (), TEAM),
    ("stakeholder_import_sheet", (), TEAM_STEP),
    ("stakeholder_import_mapping", (), TEAM_STEP),
    ("stakeholder_import_preview", (), TEAM_STEP),
    ("stakeholder_import_cancel", (), TEAM_STEP),
    ("activity_list", (), MEMBERS),
    ("activity_add", (), TEAM),
    ("activity_detail", ("activity_id",), MEMBERS),
    ("activity_edit", ("activity_id",), TEAM),
]


def _url(ids: dict[str, Any], name: str, extra: tuple[str, ...]) -> str:
    return reverse(name, kwargs={"pk": ids["pk"], **{key: ids[key] for key in extra}})


@pytest.mark.parametrize(("name", "extra", "expected"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ROLES)
def test_get(
    team: Team,
    ids: dict[str, Any],
    who: str,
    name: str,
    extra: tuple[str, ...],
    expected: dict[str, int],
) -> None:
    response = team.client_for(who).get(_url(ids, name, extra))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == expected[who]


def test_every_url_of_the_app_is_in_the_matrix() -> None:
    from coprod.web.people import urls

    assert {pattern.name for pattern in urls.urlpatterns} == {name for name, *_ in PAGES}


@pytest.mark.parametrize("who", ["lead", "researcher", "observer", "partner"])
def test_an_activity_a_partner_did_not_attend_is_hidden_from_them_only(
    team: Team, ids: dict[str, Any], who: str
) -> None:
    url = reverse("activity_detail", args=[ids["pk"], ids["elsewhere_id"]])
    status = team.client_for(who).get(url).status_code
    assert status == (404 if who == "partner" else 200)


def test_a_missing_person_or_activity_is_404_for_the_team(team: Team, ids: dict[str, Any]) -> None:
    client = team.client_for("lead")
    assert client.get(reverse("stakeholder_edit", args=[ids["pk"], 99999])).status_code == 404
    assert client.get(reverse("activity_edit", args=[ids["pk"], 99999])).status_code == 404
    assert client.get(reverse("activity_detail", args=[ids["pk"], 99999])).status_code == 404


# (url name, url kwargs) of every write: only the lead and researchers may post to them.
WRITES: list[tuple[str, tuple[str, ...]]] = [
    ("stakeholder_add", ()),
    ("stakeholder_edit", ("stakeholder_id",)),
    ("stakeholder_import", ()),
    ("stakeholder_import_sheet", ()),
    ("stakeholder_import_mapping", ()),
    ("stakeholder_import_preview", ()),
    ("stakeholder_import_cancel", ()),
    ("activity_add", ()),
    ("activity_edit", ("activity_id",)),
]
REFUSED = [
    (who, name, extra) for name, extra in WRITES for who in ("partner", "observer", "outsider")
]


def _history_size() -> int:
    models = (Stakeholder, Activity, Attendance)
    return sum(model.history.count() for model in models)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("who", "name", "extra"), REFUSED, ids=[f"{w}-{n}" for w, n, _ in REFUSED])
def test_refused_writes_change_nothing(
    team: Team, ids: dict[str, Any], who: str, name: str, extra: tuple[str, ...]
) -> None:
    before = _history_size()
    response = team.client_for(who).post(
        _url(ids, name, extra),
        {"delete": "1", "name": "Mallory", "group": "other", "confirm": "1"},
    )
    assert response.status_code == (404 if who == "outsider" else 403)
    assert _history_size() == before
    assert Stakeholder.objects.filter(pk=ids["stakeholder_id"]).exists()
    assert Activity.objects.filter(pk=ids["activity_id"]).exists()

"""Who may do what, on every project URL.

Outsiders get 404 everywhere, exactly as for a project that does not exist; people who are not
signed in are sent to sign in; members get 403 for what their role does not allow. Observers and
partners cannot change anything: a refused write leaves no trace in the history.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from coprod.web.projects.models import Project
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

ROLES = ["lead", "researcher", "partner", "observer", "outsider", "anonymous"]
MEMBERS_OK = {"lead": 200, "researcher": 200, "partner": 200, "observer": 200}
TEAM_ONLY = {"lead": 200, "researcher": 200, "partner": 403, "observer": 403}
LEAD_ONLY = {"lead": 200, "researcher": 403, "partner": 403, "observer": 403}


def _ids(team: Team) -> dict[str, Any]:
    project = team.project
    return {
        "pk": project.pk,
        "aim_id": project.aims.first().pk,
        "alternative_id": project.alternatives.first().pk,
        "membership_id": project.memberships.get(user=team.observer).pk,
    }


# (url name, extra url kwargs, expected GET status per member role)
PAGES: list[tuple[str, tuple[str, ...], dict[str, int]]] = [
    ("project_dashboard", (), {**MEMBERS_OK, "partner": 302}),
    ("project_partner_view", (), MEMBERS_OK),
    ("project_plan_edit", (), TEAM_ONLY),
    ("project_export", (), TEAM_ONLY),
    ("project_replace", (), LEAD_ONLY),
    ("aid_aims", (), TEAM_ONLY),
    ("aid_context", (), TEAM_ONLY),
    ("aid_alternatives", (), TEAM_ONLY),
    ("aid_stages", (), TEAM_ONLY),
    ("aid_review", (), TEAM_ONLY),
    ("assessment_list", (), MEMBERS_OK),
    ("member_list", (), MEMBERS_OK),
    ("change_log", (), LEAD_ONLY),
]

# (url name, extra url kwargs, the roles allowed to post) — the data posted may be incomplete:
# what matters is that a refused role never reaches the form.
WRITES: list[tuple[str, tuple[str, ...], set[str]]] = [
    ("project_plan_edit", (), {"lead", "researcher"}),
    ("project_replace", (), {"lead"}),
    ("aid_aims", (), {"lead", "researcher"}),
    ("aid_aim_edit", ("aim_id",), {"lead", "researcher"}),
    ("aid_context", (), {"lead", "researcher"}),
    ("aid_alternatives", (), {"lead", "researcher"}),
    ("aid_alternative_edit", ("alternative_id",), {"lead", "researcher"}),
    ("aid_stages", (), {"lead", "researcher"}),
    ("assessment_list", (), {"lead", "researcher"}),
    ("member_list", (), {"lead"}),
    ("member_edit", ("membership_id",), {"lead"}),
]


def _url(team: Team, name: str, extra: tuple[str, ...]) -> str:
    ids = _ids(team)
    return reverse(name, kwargs={"pk": ids["pk"], **{key: ids[key] for key in extra}})


def _history_size(project: Project) -> int:
    related = ("aims", "weights", "stage_plans", "alternatives", "stakeholders", "memberships")
    total = project.history.count()
    for relation in related:
        model = getattr(project, relation).model
        total += model.history.filter(project_id=project.pk).count()
    return total


@pytest.mark.parametrize(("name", "extra", "expected"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ROLES)
def test_get(
    team: Team, who: str, name: str, extra: tuple[str, ...], expected: dict[str, int]
) -> None:
    response = team.client_for(who).get(_url(team, name, extra))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == expected[who], response.content[:300]


REFUSED = [
    (who, name, extra)
    for name, extra, allowed in WRITES
    for who in ("partner", "observer", "outsider", "researcher")
    if who not in allowed
]


@pytest.mark.parametrize(("who", "name", "extra"), REFUSED, ids=[f"{w}-{n}" for w, n, _ in REFUSED])
def test_refused_writes_change_nothing(
    team: Team, who: str, name: str, extra: tuple[str, ...]
) -> None:
    before = _history_size(team.project)
    response = team.client_for(who).post(_url(team, name, extra), {"title": "Changed"})
    assert response.status_code == (404 if who == "outsider" else 403)
    assert _history_size(team.project) == before


def test_a_missing_project_and_a_forbidden_one_look_the_same(team: Team) -> None:
    client = team.client_for("outsider")
    forbidden = client.get(reverse("project_dashboard", args=[team.project.pk]))
    missing = client.get(reverse("project_dashboard", args=[team.project.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    # The pages are identical but for the forms' CSRF tokens, which are masked afresh, and the
    # address the language form returns to, which is the one the person asked for.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    back = re.compile(rb'name="next" value="[^"]+"')

    def masked(content: bytes) -> bytes:
        return back.sub(b"", token.sub(b"", content))

    assert masked(forbidden.content) == masked(missing.content)
    assert f'value="/projects/{team.project.pk}/"'.encode() in forbidden.content

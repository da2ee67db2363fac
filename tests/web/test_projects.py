"""Project pages: list, create, import, overview, export round trip, replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coprod.formats.plan_file import load_plan, parse_plan
from coprod.web.projects.models import Membership, Project
from tests.conftest import EXAMPLES
from tests.web.conftest import Team, make_user

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_the_users_projects(team: Team) -> None:
    response = team.client_for("observer").get(reverse("project_list"))
    assert response.status_code == 200
    assert team.project.title in response.content.decode()
    other = team.client_for("outsider").get(reverse("project_list"))
    assert team.project.title not in other.content.decode()


def test_creating_a_project_makes_the_creator_lead(team: Team) -> None:
    client = team.client_for("outsider")
    response = client.post(reverse("project_create"), {"title": "Hip fracture recovery"})
    project = Project.objects.get(title="Hip fracture recovery")
    assert response.status_code == 302
    assert Membership.objects.get(project=project, user=team.outsider).role == "lead"


def test_a_project_without_a_title_is_refused_next_to_the_field(team: Team) -> None:
    response = team.client_for("lead").post(reverse("project_create"), {"title": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Project.objects.filter(title="").exists()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_import_then_export_round_trips(team: Team, example: Path) -> None:
    client = team.client_for("researcher")
    upload = SimpleUploadedFile(example.name, example.read_bytes(), "application/yaml")
    response = client.post(reverse("project_import"), {"plan_file": upload})
    assert response.status_code == 302
    project = Project.objects.exclude(pk=team.project.pk).latest("pk")
    exported = client.get(reverse("project_export", args=[project.pk]))
    assert exported.status_code == 200
    assert exported["Content-Disposition"].startswith("attachment;")
    again = parse_plan(exported.content, "exported.yaml")
    assert again.plan.model_dump() == load_plan(example).plan.model_dump()


def test_an_invalid_plan_file_lists_problems_and_saves_nothing(team: Team) -> None:
    before = Project.objects.count()
    text = EXAMPLES[0].read_text().replace("resources: ", "resources: maybe #", 1)
    upload = SimpleUploadedFile("broken.yaml", text.encode(), "application/yaml")
    response = team.client_for("lead").post(reverse("project_import"), {"plan_file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not one of less, lean-less" in page
    assert "Nothing was saved" in page
    assert Project.objects.count() == before


def test_the_overview_shows_emphasis_stages_warnings_and_what_people_bring(team: Team) -> None:
    response = team.client_for("lead").get(reverse("project_dashboard", args=[team.project.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "lean-less" in page  # the falls example's emphasis
    assert "Independence at risk" in page or "independence" in page.lower()
    assert "Stage plan" in page and "What each party brings" in page


def test_replacing_the_plan_keeps_members_and_records_the_change(team: Team) -> None:
    lead = team.client_for("lead")
    other = EXAMPLES[1]
    upload = SimpleUploadedFile(other.name, other.read_bytes(), "application/yaml")
    response = lead.post(reverse("project_replace", args=[team.project.pk]), {"plan_file": upload})
    assert response.status_code == 302
    team.project.refresh_from_db()
    assert team.project.title == load_plan(other).plan.project.title
    assert team.project.memberships.count() == 4
    assert team.project.history.count() >= 2


def test_a_new_account_can_be_made(db: object) -> None:
    user = make_user("newcomer")
    assert user.check_password("a-long-test-password-42")

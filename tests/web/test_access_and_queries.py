"""Privacy on the pages this module owns, password reset, admin, and constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.core.assess import assess
from coprod.core.ids import Criterion
from coprod.formats.assessment_report import EMPHASIS_WORDS
from coprod.web.costs.models import BudgetLine, TeamMember, TimeLog
from coprod.web.projects import selectors, services
from coprod.web.projects.models import Membership, Project
from coprod.web.risks.models import ProjectRisk
from tests.web.conftest import Team, make_user

pytestmark = pytest.mark.django_db


def test_the_partner_sees_their_own_place_but_no_one_elses_name(team: Team) -> None:
    response = team.client_for("partner").get(
        reverse("project_partner_view", args=[team.project.pk])
    )
    page = response.content.decode()
    own = team.project.stakeholders.get(user=team.partner)
    others = team.project.stakeholders.exclude(user=team.partner)
    assert response.status_code == 200
    assert own.brings in page
    assert others.exists()
    for other in others:
        assert other.name not in page


def test_a_partner_opening_the_overview_lands_on_their_own_view(team: Team) -> None:
    response = team.client_for("partner").get(reverse("project_dashboard", args=[team.project.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("project_partner_view", args=[team.project.pk])


def test_the_observer_sees_the_overview_without_names(team: Team) -> None:
    response = team.client_for("observer").get(reverse("project_dashboard", args=[team.project.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for stakeholder in team.project.stakeholders.all():
        assert stakeholder.name not in page
    lead_page = team.client_for("lead").get(reverse("project_dashboard", args=[team.project.pk]))
    assert team.project.stakeholders.first().name in lead_page.content.decode()


@pytest.mark.parametrize("who", ["partner", "observer"])
def test_only_the_team_may_export_the_plan_file(team: Team, who: str) -> None:
    response = team.client_for(who).get(reverse("project_export", args=[team.project.pk]))
    assert response.status_code == 403


def test_password_reset_sends_a_link(team: Team) -> None:
    client = team.client_for("anonymous")
    response = client.post(reverse("password_reset"), {"email": team.lead.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_admin_lists_projects_for_staff(team: Team) -> None:
    team.lead.is_staff = team.lead.is_superuser = True
    team.lead.save()
    response = team.client_for("lead").get(reverse("admin:projects_project_changelist"))
    assert response.status_code == 200
    assert team.project.title in response.content.decode()


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_project_list_queries_do_not_grow_with_projects(team: Team) -> None:
    client = team.client_for("lead")
    url = reverse("project_list")
    before = _queries(client, url)
    for index in range(6):
        services.project_create(user=team.lead, title=f"Extra project {index}")
    assert _queries(client, url) == before


def test_dashboard_queries_do_not_grow_with_the_plan(team: Team) -> None:
    client = team.client_for("lead")
    url = reverse("project_dashboard", args=[team.project.pk])
    before = _queries(client, url)
    for index in range(8):
        services.aim_create(
            project=team.project, motivation="political", outcome=f"Outcome {index}", for_whom=[]
        )
        services.assessment_record(project=team.project, user=team.lead, note=f"gate {index}")
        team.project.stakeholders.create(name=f"Person {index}", group="practitioners")
        Membership.objects.create(
            project=team.project, user=make_user(f"extra{index}"), role="observer"
        )
        ProjectRisk.objects.create(
            project=team.project, challenge=f"Risk {index}", likelihood=3, impact=2, position=99
        )
        BudgetLine.objects.create(
            project=team.project,
            kind="other",
            description=f"Line {index}",
            amount=Decimal("10.00"),
            currency="GBP",
            position=99,
        )
        person = TeamMember.objects.create(project=team.project, name=f"Researcher {index}")
        TimeLog.objects.create(
            project=team.project,
            person=person,
            activity="Advisory group",
            date=dt.date(2026, 5, 1),
            hours=Decimal("2.50"),
        )
    assert _queries(client, url) == before


def _emphasis_shown(project: Project) -> str:
    plan = selectors.project_plan(project=selectors.plan_load(project=project))
    emphasis = assess(plan).emphasis.emphasis
    return f"{emphasis.value}: {EMPHASIS_WORDS[emphasis]}"


def test_the_cached_overview_changes_as_soon_as_the_plan_does(team: Team) -> None:
    client = team.client_for("lead")
    url = reverse("project_dashboard", args=[team.project.pk])
    before = _emphasis_shown(team.project)
    assert before in client.get(url).content.decode()
    services.criteria_update(
        project=team.project, answers={c.value: "more" for c in Criterion}, weights={}
    )
    after = _emphasis_shown(Project.objects.get(pk=team.project.pk))
    assert after != before
    assert after in client.get(url).content.decode()


def test_a_cached_overview_never_shows_names_to_a_role_that_may_not_see_them(team: Team) -> None:
    url = reverse("project_dashboard", args=[team.project.pk])
    name = team.project.stakeholders.first().name
    assert name in team.client_for("lead").get(url).content.decode()
    assert name not in team.client_for("observer").get(url).content.decode()

"""A project with one person in each role, and one outsider (the healthchecks pattern)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from coprod.formats.plan_file import load_plan
from coprod.web.accounts.models import User
from coprod.web.projects import services
from coprod.web.projects.models import Membership, Project, Role
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "falls-prevention-evaluation.yaml"
PASSWORD = "a-long-test-password-42"


@dataclass
class Team:
    project: Project
    lead: User
    researcher: User
    partner: User
    observer: User
    outsider: User

    def client_for(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(getattr(self, who))
        return client


def make_user(username: str) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        display_name=username.title(),
    )


def make_team(plan_path: Path = EXAMPLE) -> Team:
    users = {
        name: make_user(name) for name in ("lead", "researcher", "partner", "observer", "outsider")
    }
    project = services.project_import(user=users["lead"], plan=load_plan(plan_path).plan)
    for role in (Role.RESEARCHER, Role.PARTNER, Role.OBSERVER):
        Membership.objects.create(project=project, user=users[role.value], role=role)
    # The partner is one of the people in the plan.
    entry = project.stakeholders.filter(group="patients_public").first()
    if entry is not None:
        entry.user = users["partner"]
        entry.save()
    return Team(project=project, **users)


@pytest.fixture
def team(db: Any) -> Team:
    return make_team()

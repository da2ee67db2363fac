"""A demo organisation with two believable projects at different stages, and four demo users.

Every demo account's password is ``coprod-demo`` (the README says so). Loading twice changes
nothing: what exists is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from coprod.formats.plan_file import parse_plan
from coprod.web.accounts.models import User
from coprod.web.projects import services
from coprod.web.projects.models import Membership, Organisation, Project, Role
from coprod.web.risks import services as risk_services

PASSWORD = "coprod-demo"

USERS = {
    "lead": "Dr Amara Bell",
    "researcher": "Tom Reilly",
    "partner": None,  # named after the patient partner of the first project
    "observer": "Priya Shah",
}

# (example plan, the stage it has reached, who plays which role)
PROJECTS = [
    (
        "falls-prevention-evaluation.yaml",
        {
            "lead": Role.LEAD,
            "researcher": Role.RESEARCHER,
            "partner": Role.PARTNER,
            "observer": Role.OBSERVER,
        },
    ),
    (
        "diabetes-foot-service-codesign.yaml",
        {"lead": Role.LEAD, "researcher": Role.RESEARCHER, "observer": Role.OBSERVER},
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    users: list[str]
    projects: list[str]
    created: bool


def _example(name: str) -> bytes:
    return resources.files("coprod.examples").joinpath(name).read_bytes()


def _user(username: str, display_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@demo.coprod.invalid",
            display_name=display_name,
        )
    return user


def _demo_coproduction(project: Project, *, lead: User) -> None:
    """Running the coproduction: roster details and meetings, contributions and what became of
    them, decisions and the publishing agreement, who was heard, and one erasure done."""
    from coprod.web.decisions.demo import demo_decisions
    from coprod.web.ledger.demo import demo_ledger
    from coprod.web.participation.demo import demo_participation
    from coprod.web.people.demo import demo_people
    from coprod.web.privacy.demo import demo_privacy

    demo_people(project)
    demo_ledger(project, by=lead)
    demo_decisions(project, user=lead)
    demo_participation(project)
    demo_privacy(project, lead=lead)


@transaction.atomic
def demo_load() -> DemoSummary:
    organisation, _created = Organisation.objects.get_or_create(
        slug="northfield-ahr", defaults={"name": "Northfield Applied Health Research (demo)"}
    )
    if Project.objects.filter(organisation=organisation).exists():
        return DemoSummary(users=list(USERS), projects=[], created=False)
    first_plan = parse_plan(_example(PROJECTS[0][0]), PROJECTS[0][0]).plan
    partner_entry = next(s for s in first_plan.stakeholders if s.group.value == "patients_public")
    names = {**USERS, "partner": partner_entry.name}
    users = {username: _user(username, str(names[username])) for username in USERS}
    if not users["lead"].is_staff:
        users["lead"].is_staff = True  # the demo lead may open the admin's pages for projects
        users["lead"].save()
    titles = []
    for file_name, roles in PROJECTS:
        plan = parse_plan(_example(file_name), file_name).plan
        project = services.project_import(user=users["lead"], plan=plan, organisation=organisation)
        for username, role in roles.items():
            if role is not Role.LEAD:
                Membership.objects.create(project=project, user=users[username], role=role)
        if "partner" in roles:
            entry = project.stakeholders.get(name=partner_entry.name)
            entry.user = users["partner"]
            entry.save()
            _demo_coproduction(project, lead=users["lead"])
        # Table 1's risks for the stages the plan chose, for the team to review.
        risk_services.risk_seed_proposals(project=project)
        services.assessment_record(
            project=project,
            user=users["lead"],
            stage=project.current_stage,
            note="Demo: today's assessment, recorded when the demo was loaded.",
            date=dt.date.today(),
        )
        titles.append(project.title)
    return DemoSummary(users=list(USERS), projects=titles, created=True)

"""Roster details and activities for a demo project (the integrator calls
:func:`demo_people` from :mod:`coprod.web.projects.demo`, once the project is imported).

Every e-mail address is at example.org and every telephone number is one of Ofcom's numbers for
drama, so nothing here can reach a real person. Running it twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from coprod.web.people import services
from coprod.web.people.models import Activity
from coprod.web.projects.models import Project, Stakeholder

# A few details for people of the example plans, by name; anyone else gets a consent and no more.
DETAILS: dict[str, dict[str, Any]] = {
    "Margaret Okafor": {
        "phone": "0113 496 0412",
        "access_needs": "Large-print papers sent a week ahead; a seat near the door.",
        "aliases": ["Margaret", "Mrs Okafor"],
        "costs": True,
    },
    "Dennis Whitfield": {
        "access_needs": "Meetings after 1pm (he cares for his wife in the mornings); "
        "taxi rather than the bus.",
        "aliases": ["Dennis"],
        "costs": True,
    },
    "Tomasz Nowak": {"aliases": ["Tomasz", "Dr Nowak"], "costs": True},
    "Helen Marsh": {"aliases": ["Helen", "Professor Marsh"]},
    "Harjit Sandhu": {
        "access_needs": "Punjabi interpreter for long meetings; step-free access.",
        "aliases": ["Harjit"],
        "costs": True,
    },
    "Brenda Collins": {
        "access_needs": "Online only: she cannot travel in winter.",
        "aliases": ["Brenda"],
        "costs": True,
    },
    "Lucy Tran": {"aliases": ["Lucy"], "costs": True},
}
NOT_CONTACTABLE = {"Colin Ashworth", "Sandra Boateng"}


@dataclass(frozen=True)
class DemoActivity:
    kind: str
    title: str
    days_from_start: int
    stage: str
    method: str
    hours: str
    groups: tuple[str, ...]
    notes: str


ACTIVITIES = (
    DemoActivity(
        "meeting",
        "Study management group: agreeing the questions",
        0,
        "questions",
        "advisory_group",
        "2",
        ("researchers", "patients_public", "policy_makers", "managers"),
        "Agreed the three questions. Public contributors asked that 'dropping out of classes' be "
        "a question of its own; the team agreed.",
    ),
    DemoActivity(
        "workshop",
        "Workshop: what a good class looks like",
        35,
        "questions",
        "workshop",
        "3.5",
        ("researchers", "patients_public", "practitioners", "community_orgs"),
        "Sorted 40 cards on what helps people keep going to classes. Transport and the time of "
        "day came top.",
    ),
    DemoActivity(
        "document_review",
        "Review of the interview guide and information sheet",
        70,
        "data_collection",
        "document_review",
        "1.5",
        ("researchers", "patients_public"),
        "Contributors rewrote the information sheet in plainer words and asked for large print.",
    ),
    DemoActivity(
        "meeting",
        "Study management group: first findings",
        -1,  # placed a fortnight after the day the demo is loaded
        "analysis",
        "co_analysis_session",
        "2",
        ("researchers", "patients_public", "policy_makers", "managers"),
        "",
    ),
)


def _email(person: Stakeholder) -> str:
    return f"{slugify(person.name).replace('-', '.')}@example.org"


def _details(person: Stakeholder, joined: dt.date) -> dict[str, Any]:
    extra = DETAILS.get(person.name, {})
    contactable = person.name not in NOT_CONTACTABLE
    return {
        "contact_consent": contactable,
        "email": _email(person) if contactable else "",
        "phone": extra.get("phone", ""),
        "access_needs": extra.get("access_needs", ""),
        "aliases": extra.get("aliases", []),
        "joined": joined,
    }


@transaction.atomic
def demo_people(project: Project, *, today: dt.date | None = None) -> list[Activity]:
    """Contact details, access needs and names used in meetings for the roster of a demo project,
    a few people linked to the costs team, and three activities held plus one to come, with who
    attended. Returns the activities added (none if the project already has some)."""
    if Activity.objects.filter(project=project).exists():
        return []
    today = today or dt.date.today()
    start = project.start or (today - dt.timedelta(days=150))
    people = list(project.stakeholders.filter(erased_at__isnull=True).order_by("position", "id"))
    for person in people:
        services.stakeholder_update(person=person, **_details(person, start))
        if DETAILS.get(person.name, {}).get("costs"):
            services.stakeholder_link_team_member(person=person, member=services.NEW_TEAM_MEMBER)
    activities = []
    for index, plan in enumerate(ACTIVITIES):
        if plan.days_from_start < 0:
            day = today + dt.timedelta(days=14)
        else:
            day = min(start + dt.timedelta(days=plan.days_from_start), today)
        activity = services.activity_create(
            project=project,
            kind=plan.kind,
            title=plan.title,
            date=day,
            stage=plan.stage,
            method=plan.method,
            duration_hours=Decimal(plan.hours),
            notes=plan.notes,
        )
        present: dict[int, Decimal | None] = {}
        for position, person in enumerate(p for p in people if p.group in plan.groups):
            if (position + index) % 5 == 4:
                continue  # someone is always away
            # The public contributors stay on to read the papers and give feedback afterwards.
            present[person.pk] = (
                Decimal(plan.hours) + Decimal("0.5") if person.group == "patients_public" else None
            )
        services.attendance_set(activity=activity, present=present)
        activities.append(activity)
    return activities

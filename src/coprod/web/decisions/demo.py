"""Demo decisions, a dissemination agreement and terms of reference for a demo project.

:func:`demo_decisions` suits the falls-prevention example (it looks people up by their roster
names and falls back on anyone of the right group), and does nothing for a project that already
has decisions. Every row goes through the services, so it is in the history like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from coprod.web.decisions import selectors, services
from coprod.web.decisions.models import Decision
from coprod.web.ledger.models import Contribution
from coprod.web.projects.models import Project, Stakeholder


@dataclass(frozen=True)
class DemoDecisions:
    decisions: int
    lines: int
    terms: int


def _pick(people: list[Stakeholder], names: list[str], group: str, count: int) -> list[int]:
    """The people of these names, topped up with others of the group, up to ``count``."""
    chosen = [p.pk for name in names for p in people if p.name == name]
    for person in people:
        if len(chosen) >= count:
            break
        if person.group == group and person.pk not in chosen:
            chosen.append(person.pk)
    return chosen[:count]


@transaction.atomic
def demo_decisions(project: Project, *, user: Any = None) -> DemoDecisions:
    """Realistic decisions (one by vote with its counts and dissent, one by consensus answering
    the two oldest contributions when the ledger has any, one by the steering group and one by the
    lead kept from partners), an agreement on publishing with three lines, and terms of reference
    for one partner."""
    if Decision.objects.filter(project=project).exists():
        return DemoDecisions(0, 0, 0)
    people = selectors.roster(project)
    researchers = _pick(people, ["Helen Marsh", "Tomasz Nowak"], "researchers", 2)
    public = _pick(people, ["Margaret Okafor", "Dennis Whitfield"], "patients_public", 2)
    management = researchers + public
    steering = _pick(people, ["Colin Ashworth"], "other", 1) + _pick(
        people, ["Ruth Calloway", "Imran Siddiqui"], "policy_makers", 1
    )
    steering += _pick(people, ["Imran Siddiqui"], "managers", 1) + researchers[:1]
    steering = list(dict.fromkeys(steering))
    answered = list(
        Contribution.objects.filter(project=project)
        .order_by("made_on", "id")[:2]
        .values_list("pk", flat=True)
    )
    made = [
        services.decision_create(
            project=project,
            user=user,
            what=(
                "Recruit interviewees by post and through the older people's forum, not through "
                "class instructors."
            ),
            decided_on=dt.date(2026, 6, 10),
            method="vote",
            votes_for=3,
            votes_against=1,
            votes_abstain=None,
            participants=management,
            dissenters=public[-1:],
            others_present="",
            others_count=None,
            dissent=(
                "A public contributor felt that instructors know who has stopped coming and would "
                "reach more people. We will check recruitment numbers in January and think again "
                "if people who left the classes are missing."
            ),
            review_on=dt.date(2027, 1, 15),
            shared_with_partners=True,
        ),
        services.decision_create(
            project=project,
            user=user,
            what=(
                "Add confidence to go out and fear of falling to the survey as secondary "
                "outcomes, beside falls and admissions."
            ),
            decided_on=dt.date(2026, 7, 2),
            method="consensus",
            votes_for=None,
            votes_against=None,
            votes_abstain=None,
            participants=management,
            dissenters=[],
            others_present="Six members of the older people's advisory group",
            others_count=6,
            dissent="",
            answers=answered,
            review_on=None,
            shared_with_partners=True,
        ),
        services.decision_create(
            project=project,
            user=user,
            what="Fix the report's embargo to end on 15 July 2027, whatever the committee dates.",
            decided_on=dt.date(2026, 11, 9),
            method="steering_group",
            votes_for=None,
            votes_against=None,
            votes_abstain=None,
            participants=steering,
            dissenters=[],
            others_present="",
            others_count=None,
            dissent="",
            review_on=dt.date(2027, 6, 1),
            shared_with_partners=True,
        ),
        services.decision_create(
            project=project,
            user=user,
            what="Pay the independent chair's honorarium from the grant, not by the ICB.",
            decided_on=dt.date(2026, 4, 20),
            method="lead_decides",
            votes_for=None,
            votes_against=None,
            votes_abstain=None,
            participants=researchers,
            dissenters=[],
            others_present="",
            others_count=None,
            dissent="",
            review_on=None,
            shared_with_partners=False,
        ),
    ]
    if not project.has_dissemination_agreement:
        services.agreement_update(
            project=project,
            stakeholders_can_block=False,
            review_window_days=28,
            researchers_may_publish_unwelcome=True,
            embargo_until=dt.date(2027, 7, 15),
        )
    lines = [
        {
            "output": "Final evaluation report",
            "who": "The research team (university)",
            "partner_review": "comment",
            "review_window_days": 28,
            "embargo_until": dt.date(2027, 7, 15),
            "note": "The ICB and the council may publish a response alongside it.",
        },
        {
            "output": "Plain-language summary for participants and the public",
            "who": "The research team with the public contributors",
            "partner_review": "comment",
            "review_window_days": 14,
            "embargo_until": dt.date(2027, 7, 15),
            "note": "Public contributors review the wording; easy-read and large-print versions.",
        },
        {
            "output": "Journal articles",
            "who": "The research team; public contributors as co-authors where they qualify",
            "partner_review": "comment",
            "review_window_days": 28,
            "embargo_until": None,
            "note": "Partners check facts; they may not change the conclusions.",
        },
    ]
    for line in lines:
        services.publication_right_create(project=project, **line)
    terms = 0
    partner = next((p for p in people if p.user_id and p.group == "patients_public"), None)
    partner = partner or next((p for p in people if p.group == "patients_public"), None)
    if partner is not None:
        defaults = selectors.terms_defaults(project, partner)
        services.terms_save(
            project=project,
            person=partner,
            role=defaults.get("role", "Public contributor"),
            time=(
                "About 6 hours a month: a 3-hour management group meeting and time to read the "
                "papers, with more when drafts are reviewed."
            ),
            payment=(
                "Paid for meetings and preparation at the public contributor rate in the budget, "
                "within 30 days. Travel, taxis and carers' costs are met. You may decline payment."
            ),
            feedback=defaults.get("feedback", ""),
            recognition=(
                "Named in the report's acknowledgements unless you prefer not to be; a record of "
                "your involvement you can cite; co-authorship of articles where you qualify."
            ),
            disagreements=defaults.get("disagreements", ""),
            leaving=defaults.get("leaving", ""),
            agreed_on=dt.date(2026, 4, 20),
            review_on=dt.date(2027, 4, 20),
        )
        terms = 1
    return DemoDecisions(decisions=len(made), lines=len(lines), terms=terms)

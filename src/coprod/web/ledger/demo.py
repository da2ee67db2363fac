"""Demo contributions for a project: what a falls-prevention evaluation's partners might say.

:func:`demo_ledger` adds fifteen contributions across groups and dispositions, some told, some
overdue, one anonymous, dated back from today so that the feedback prompts show. It uses the
project's roster where it has one (the first person of each group speaks for it) and its
activities where there are any; loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from coprod.web.ledger import services
from coprod.web.ledger.models import Contribution
from coprod.web.projects.models import Project

# (days ago, group, kind, text, disposition, reason, what it changed, told days after, anonymous)
DEMO: list[tuple[int, str, str, str, str, str, str, int | None, bool]] = [
    (120, "patients_public", "concern",
     "The questionnaire is too long to fill in after a fall. People will give up half way.",
     "adopted", "We cut it from 42 to 18 questions and tested it with the panel.",
     "Outcome questionnaire, version 2", 14, False),
    (118, "practitioners", "evidence",
     "Home-hazard visits are booked weeks late in the north of the borough; it skews who gets one.",
     "adapted", "We now record the wait for each visit and report it by area.",
     "Analysis plan: waiting time added as a variable", 20, False),
    (110, "managers", "recommendation",
     "Report only the headline falls rate; the board has no time for detail.",
     "declined", "A single rate would hide who the programme reaches; we give the headline and "
     "the breakdown.", "", 21, False),
    (104, "patients_public", "idea",
     "Ask people who left the exercise classes why they stopped, not only those who stayed.",
     "adopted", "We added interviews with ten people who left.", "Sampling frame, version 3",
     25, False),
    (98, "policy_makers", "question",
     "Can the evaluation say whether the programme saves money for the council?",
     "out_of_scope", "An economic evaluation needs data the council does not hold; we name it "
     "as a gap in the report.", "", 30, False),
    (92, "community_orgs", "concern",
     "Our members who speak Punjabi or Polish never hear about the classes.",
     "adapted", "We added a question on how people heard of the programme and offered "
     "interpreters for the interviews.", "Interview guide: question 3 and interpreters", 18, False),
    (85, "patients_public", "interpretation",
     "People say the classes helped their confidence more than their balance; the falls rate "
     "will not show that.",
     "adopted", "Confidence (the short FES-I) is now a secondary outcome.",
     "Protocol amendment 2", 12, False),
    (80, "practitioners", "idea",
     "Use the falls clinic's own records instead of asking people to remember their falls.",
     "deferred", "We need the trust's data-sharing agreement first; we will come back to it in "
     "the spring.", "", None, False),
    (75, "managers", "concern",
     "Publishing area-level results could embarrass the teams in the worst areas.",
     "declined", "The agreement on publishing lets us report findings that are not welcome; "
     "we will share drafts with the teams first.", "", 16, False),
    (70, "patients_public", "concern",
     "The researchers talk over the public members in the advisory group.",
     "adopted", "The chair now asks the public members first on every item.",
     "Advisory group ground rules", 9, True),
    (60, "other", "question",
     "Will the findings be shared with the carers' forum?",
     "adopted", "We will present them at the forum in the autumn.",
     "Dissemination plan", None, False),
    (52, "practitioners", "recommendation",
     "Report falls per 1,000 people over 65, as the NHS does, so the figures compare.",
     "adopted", "Rates are now per 1,000 people aged 65 and over.", "Analysis plan", None, False),
    (45, "managers", "idea",
     "Add a cost per participant to the interim report.",
     "pending", "", "", None, False),
    (20, "patients_public", "question",
     "How will you make sure the people interviewed cannot be recognised in quotes?",
     "pending", "", "", None, False),
    (6, "community_orgs", "evidence",
     "Attendance drops in Ramadan; the spring figures will look worse for that reason.",
     "pending", "", "", None, False),
]  # fmt: skip


@transaction.atomic
def demo_ledger(project: Project, *, today: dt.date | None = None, by: Any = None) -> int:
    """Add the demo contributions to the project; the number added (0 when it has some)."""
    if Contribution.objects.filter(project=project).exists():
        return 0
    today = today or dt.date.today()
    people: dict[str, Any] = {}
    for person in project.stakeholders.filter(erased_at__isnull=True).order_by("position", "id"):
        people.setdefault(person.group, person)
    for person in people.values():  # the demo's people agreed to hear back
        if not person.contact_consent:
            person.contact_consent = True
            person.save(update_fields=["contact_consent"])
    activities = list(project.activities.order_by("date", "id"))
    recorder = by or project.created_by
    for index, (
        ago,
        group,
        kind,
        text,
        disposition,
        reason,
        changed,
        told_after,
        anonymous,
    ) in enumerate(DEMO):
        made_on = today - dt.timedelta(days=ago)
        before = [a for a in activities if a.date <= made_on]
        contribution = services.contribution_create(
            project=project,
            recorded_by=recorder,
            text=text,
            kind=kind,
            made_on=made_on,
            stakeholder=None if anonymous or index % 3 == 2 else people.get(group),
            group=group,
            anonymous=anonymous,
            activity=before[-1] if before else None,
        )
        if disposition != "pending":
            decided = made_on + dt.timedelta(days=min(10, ago // 2))
            told = made_on + dt.timedelta(days=told_after) if told_after is not None else None
            services.contribution_dispose(
                contribution=contribution,
                by=recorder,
                disposition=disposition,
                reason=reason,
                changed=changed,
                disposed_on=decided,
                told_on=told if told is None or told <= today else today,
            )
    return len(DEMO)

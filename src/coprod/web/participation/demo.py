"""Demo data: three meetings of the falls-prevention project's advisory group, analysed.

The transcripts are short and made up, written as Zoom, Teams and plain text would give them, and
name the people of the demo roster (``examples/falls-prevention-evaluation.yaml``). The
researchers do most of the talking and the public contributors little, so the demo shows what a
flag for an under-heard group looks like. Only figures are kept, as for any project.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from coprod.web.participation import services
from coprod.web.participation.models import MeetingBalance
from coprod.web.people.models import Activity, Attendance
from coprod.web.projects.models import Project, Stakeholder

# (title, days before today, who attended and said nothing, file name, lines)
MEETINGS: list[tuple[str, int, list[str], str, list[tuple[str, str]]]] = [
    (
        "Advisory group: the evaluation questions",
        70,
        ["Colin Ashworth"],
        "advisory-1.txt",
        [
            (
                "Dr Helen Marsh",
                "Welcome, everyone. Today we want to agree the questions the "
                "evaluation should answer, and we would like to hear from all of you.",
            ),
            (
                "Tomasz Nowak",
                "I have put the draft questions on the screen. The first asks "
                "whether the strength and balance classes reduce falls over twelve months.",
            ),
            (
                "Ruth Calloway",
                "The council will want to know about costs as well. The board "
                "asks every year whether the programme saves money on hospital admissions.",
            ),
            (
                "Dr Helen Marsh",
                "That is a fair point. We could add a question on admissions, "
                "though the data from the hospital trust may take months to arrive.",
            ),
            ("Margaret Okafor", "Could we ask why people stop going to the classes?"),
            (
                "Tomasz Nowak",
                "Yes. We planned interviews with people who left early, and that "
                "question fits them well. I will add it as question four.",
            ),
            (
                "Imran Siddiqui",
                "From the service side, we would also like to know which venues "
                "work best, because transport is our biggest cost after staff.",
            ),
            (
                "Dr Helen Marsh",
                "Good. So we have five questions. Let us go round once more to "
                "check that nobody's concern has been missed before we close.",
            ),
        ],
    ),
    (
        "Advisory group: recruitment and consent",
        42,
        [],
        "advisory-2.txt",
        [
            (
                "Tomasz Nowak",
                "Thanks for joining. Recruitment is behind: we have forty people "
                "from the classes and hoped for sixty by now.",
            ),
            (
                "Dr Helen Marsh",
                "The consent form is four pages long, and several people said "
                "it was hard to read. We would like your views on a shorter version.",
            ),
            (
                "Dennis Whitfield",
                "Make the print bigger and say plainly what happens to the "
                "answers. My neighbour would not sign anything she could not read.",
            ),
            ("Margaret Okafor", "And say they can stop at any time."),
            (
                "Gillian Pryce",
                "The physiotherapists could hand out the leaflet at the first "
                "class, if it is short enough to explain in a minute.",
            ),
            (
                "Tomasz Nowak",
                "That would help a great deal. I will draft a two-page form with "
                "larger print, and bring it back to the group next month.",
            ),
            (
                "Dr Helen Marsh",
                "Thank you. We will also ask the ethics committee whether the "
                "shorter form needs a new approval, and report back.",
            ),
        ],
    ),
    (
        "Advisory group: first findings",
        14,
        ["Sunita Lal"],
        "advisory-3.txt",
        [
            (
                "Dr Helen Marsh",
                "We have the first findings from the interviews. People value "
                "the classes, but many stop after a fall of their own or a spell in hospital.",
            ),
            (
                "Tomasz Nowak",
                "The numbers are small so far, so we are careful about what we "
                "say. Twelve of the thirty people we spoke to had stopped for that reason.",
            ),
            (
                "Ruth Calloway",
                "If that holds, the council could offer a follow-up call after "
                "a hospital stay. It would cost little compared with another admission.",
            ),
            ("Dennis Whitfield", "I stopped after my hip. Nobody rang."),
            (
                "Dr Helen Marsh",
                "Thank you for saying so, Dennis. That is exactly the kind of "
                "experience the findings need to reflect.",
            ),
            ("Margaret Okafor", "Will you tell the people you interviewed what you found?"),
            (
                "Tomasz Nowak",
                "Yes. We will send everyone a short summary in plain English, and "
                "the group can check it before it goes out.",
            ),
        ],
    ),
]


def _text(lines: list[tuple[str, str]]) -> bytes:
    return "\n".join(f"{who}: {said}" for who, said in lines).encode("utf-8")


@transaction.atomic
def demo_participation(project: Project) -> list[MeetingBalance]:
    """Analyse the demo meetings for the project (a meeting activity is added for each, unless
    one of that title exists). Does nothing once the project has analysed meetings."""
    if MeetingBalance.objects.filter(project=project).exists():
        return []
    roster = {s.name: s for s in Stakeholder.objects.filter(project=project)}
    made = []
    for title, days_ago, silent, file_name, lines in MEETINGS:
        activity = Activity.objects.filter(project=project, title=title).first()
        if activity is None:
            activity = Activity.objects.create(
                project=project,
                kind="meeting",
                title=title,
                date=dt.date.today() - dt.timedelta(days=days_ago),
                stage="analysis",
                method="advisory_group",
                duration_hours=2,
                created_by=project.created_by,
            )
        for name in silent:
            if name in roster:
                Attendance.objects.get_or_create(
                    project=project, activity=activity, stakeholder=roster[name]
                )
        made.append(
            services.meeting_upload(
                activity=activity,
                files=[services.Upload(file_name, _text(lines))],
                user=project.created_by,
            )
        )
    return made

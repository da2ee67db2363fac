"""Participation balance in the web (SPEC C8): uploads in every format, speakers confirmed and
remembered, the text kept or discarded, figures equal to the core's, privacy and permissions.

Expected figures are never written here: they are what the core computes from the same file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.core.participation import analyse
from coprod.formats.transcripts import parse_transcript
from coprod.web.participation import selectors, services
from coprod.web.participation.models import (
    GroupFigure,
    MeetingBalance,
    SpeakerFigure,
    SpeakerName,
    Transcript,
)
from coprod.web.people.models import Activity, Attendance
from coprod.web.projects.models import Project, Stakeholder
from tests.conftest import ROOT
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

MEETINGS = ROOT / "tests" / "data" / "meetings"
SECRET = "periwinkle-lighthouse"  # a phrase said in a meeting, that must never be stored


def activity(team: Team, title: str = "Advisory group", day: int = 1) -> Activity:
    return Activity.objects.create(
        project=team.project, kind="meeting", title=title, date=dt.date(2026, 3, day)
    )


def person(team: Team, name: str) -> Stakeholder:
    return Stakeholder.objects.get(project=team.project, name=name)


def attend(meeting: Activity, *people: Stakeholder) -> None:
    for someone in people:
        Attendance.objects.create(project=meeting.project, activity=meeting, stakeholder=someone)


def plain(*lines: tuple[str, str]) -> bytes:
    return "\n".join(f"{who}: {said}" for who, said in lines).encode()


ADVISORY = plain(
    ("Helen Marsh", "Welcome everyone, and thank you for coming to the advisory group today."),
    ("Margaret Okafor", f"Thank you. I read the leaflet and the print is too small {SECRET}."),
    ("Helen Marsh", "That is helpful. We will make the print larger in the next version."),
    ("Maggie", "Could we also ask people at the day centre what they think of it?"),
    ("Tomasz Nowak", "Yes, we can take it there next week and bring back what they say."),
    ("Helen Marsh", "Good. Let us move on to the recruitment of the second wave of sites."),
    ("Maggie", "I can help with that."),
)


def upload(
    client: Any, meeting: Activity, *files: tuple[str, bytes], fmt: str = "", project: Any = None
) -> Any:
    data: dict[str, Any] = {
        "activity": meeting.pk,
        "files": [SimpleUploadedFile(name, content) for name, content in files],
        "format": fmt,
    }
    pk = project.pk if project is not None else meeting.project_id
    return client.post(reverse("transcript_upload", args=[pk]), data)


# --- Uploads in every format -------------------------------------------------------------------


FILES = [
    ("ES2004a.first5min.vtt", "vtt"),
    ("ES2004a.first5min.zoom.vtt", "vtt"),
    ("ES2004a.first5min.teams.vtt", "vtt"),
    ("ES2004a.first5min.teams-cues.docx", "teams-docx"),
    ("ES2004a.first60.teams.docx", "teams-docx"),
    ("ES2004a.first60.otter.txt", "otter"),
    ("ES2004a.first60.txt", "plain"),
    ("ES2004a.first60.turns.json", "json"),
]


def _core_figures(path: Path) -> Any:
    from coprod.formats.transcripts import read_transcript

    return analyse(read_transcript(path))


@pytest.mark.parametrize(("name", "fmt"), FILES)
def test_each_format_uploads_and_its_figures_are_the_cores(team: Team, name: str, fmt: str) -> None:
    meeting = activity(team)
    response = upload(team.client_for("lead"), meeting, (name, (MEETINGS / name).read_bytes()))
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = MeetingBalance.objects.get(activity=meeting)
    assert Transcript.objects.get(meeting=stored).format == fmt
    expected = _core_figures(MEETINGS / name)
    rows = list(SpeakerFigure.objects.filter(meeting=stored).order_by("position"))
    assert [(r.name, r.turns, r.words) for r in rows] == [
        (s.name, s.turns, s.words) for s in expected.speakers
    ]
    assert stored.words == sum(s.words for s in expected.speakers)
    assert float(stored.gini) == pytest.approx(float(expected.gini), abs=1e-8)
    if expected.gini_seconds is not None:
        assert stored.timed
        assert float(stored.gini_seconds) == pytest.approx(float(expected.gini_seconds), abs=1e-8)
        for row, core in zip(rows, expected.speakers, strict=True):
            assert float(row.seconds) == pytest.approx(float(core.seconds), abs=1e-3)
    page = team.client_for("lead").get(
        reverse("meeting_balance", args=[team.project.pk, meeting.pk])
    )
    assert page.status_code == 200


def test_a_csv_of_turns_uploads(team: Team) -> None:
    meeting = activity(team)
    csv = (
        b"speaker,start,end,text\n"
        b"Helen Marsh,0,4,Hello and welcome\n"
        b"Margaret Okafor,4,9,Thank you all\n"
    )
    assert upload(team.client_for("lead"), meeting, ("turns.csv", csv)).status_code == 302
    stored = MeetingBalance.objects.get(activity=meeting)
    assert stored.timed and stored.words == 6
    names = {r.stakeholder.name for r in SpeakerFigure.objects.filter(meeting=stored)}
    assert {"Helen Marsh", "Margaret Okafor"} <= names


def test_figures_equal_the_cores_on_the_ami_turns(team: Team) -> None:
    """Shares, Gini and the top shares stored to 8 places are the core's exact fractions."""
    path = MEETINGS / "ES2004a.first60.turns.json"
    meeting = activity(team)
    services.meeting_upload(
        activity=meeting, files=[services.Upload(path.name, path.read_bytes())], user=team.lead
    )
    expected = analyse(parse_transcript(path.read_text(), path.name))
    stored = MeetingBalance.objects.get(activity=meeting)
    for field in ("gini", "top_share", "top_20_share"):
        assert abs(float(getattr(stored, field)) - _dec(getattr(expected, field))) <= 1e-8
    for row, core in zip(
        SpeakerFigure.objects.filter(meeting=stored).order_by("position"),
        expected.speakers,
        strict=True,
    ):
        assert abs(float(row.share_words) - float(core.share_words)) <= 1e-8
    # And the selectors give the exact fractions back.
    view = selectors.meeting_view(project=team.project, user=team.lead, activity_id=meeting.pk)
    assert view is not None
    assert [p.share_words for p in view.people] == [s.share_words for s in expected.speakers]


def _dec(value: Any) -> float:
    return float(value)


def test_several_files_of_one_meeting_follow_each_other(team: Team) -> None:
    """Part two's times start where part one ended, so one person's time is never merged away."""
    meeting = activity(team)
    part = b"WEBVTT\n\n00:00:00.000 --> 00:00:10.000\n<v Helen Marsh>Hello there everyone\n"
    services.meeting_upload(
        activity=meeting,
        files=[services.Upload("one.vtt", part), services.Upload("two.vtt", part)],
        user=team.lead,
    )
    row = SpeakerFigure.objects.get(meeting__activity=meeting, words__gt=0)
    assert row.seconds == 20
    assert row.words == 6


# --- Bad files ----------------------------------------------------------------------------------


def test_a_broken_file_names_its_line_and_saves_nothing(team: Team) -> None:
    meeting = activity(team)
    broken = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Helen Marsh>Hello\n\n00:00:05 -> 6\nOops\n"
    )
    before = _history_rows()
    response = upload(team.client_for("lead"), meeting, ("broken.vtt", broken))
    assert response.status_code == 400
    text = response.content.decode()
    assert "line 6" in text
    assert "expected a cue timing line" in text
    assert "Nothing was saved" in text
    assert not MeetingBalance.objects.exists() and not Transcript.objects.exists()
    assert _history_rows() == before


def test_every_problem_of_every_file_is_listed(team: Team) -> None:
    meeting = activity(team)
    response = upload(
        team.client_for("lead"),
        meeting,
        ("a.json", b'[{"speaker": "Ann"}]'),
        ("b.txt", b"\xff\xfe\x00garbage"),
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "a.json" in text and "expected a &#x27;text&#x27; value" in text
    assert "b.txt" in text and "UTF-8" in text


def test_a_file_too_large_is_refused_without_reading_it(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 1000)
    meeting = activity(team)
    response = upload(team.client_for("lead"), meeting, ("big.txt", b"Ann: hello\n" * 200))
    assert response.status_code == 400
    assert "big.txt" in response.content.decode()
    assert "larger than" in response.content.decode()
    assert not MeetingBalance.objects.exists()


def test_a_form_without_a_meeting_names_the_field(team: Team) -> None:
    response = team.client_for("lead").post(
        reverse("transcript_upload", args=[team.project.pk]),
        {"files": [SimpleUploadedFile("a.txt", ADVISORY)]},
    )
    assert response.status_code == 400
    assert 'href="#id_activity"' in response.content.decode()


def test_an_activity_of_another_project_is_refused(team: Team) -> None:
    other = Project.objects.create(title="Another project")
    foreign = Activity.objects.create(
        project=other, kind="meeting", title="Theirs", date=dt.date(2026, 1, 1)
    )
    response = upload(team.client_for("lead"), foreign, ("a.txt", ADVISORY), project=team.project)
    assert response.status_code == 400
    assert not MeetingBalance.objects.exists()


# --- Confirming speakers, and the mapping kept for the next meeting ------------------------------


def test_unknown_names_are_asked_and_the_answer_is_used_at_the_next_meeting(team: Team) -> None:
    client = team.client_for("lead")
    first = activity(team, "First", 1)
    response = upload(client, first, ("first.txt", ADVISORY))
    assert response.status_code == 302
    assert response["Location"] == reverse("speakers_confirm", args=[team.project.pk, first.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Maggie" in page and "needs your answer" in page
    meeting = MeetingBalance.objects.get(activity=first)
    assert meeting.to_confirm == 1
    okafor = person(team, "Margaret Okafor")
    rows, _people = selectors.confirm_rows(meeting=meeting)
    form = {}
    for index, row in enumerate(rows):
        form[f"person_{index}"] = str(okafor.pk) if row.name == "Maggie" else row.person
        form[f"group_{index}"] = ""
    response = client.post(response["Location"], form)
    assert response.status_code == 302
    kept = SpeakerName.objects.get(project=team.project)
    assert (kept.transcript_name, kept.stakeholder) == ("Maggie", okafor)
    assert kept.history.count() == 1
    meeting.refresh_from_db()
    assert meeting.to_confirm == 0
    okafor_row = SpeakerFigure.objects.get(meeting=meeting, stakeholder=okafor)
    assert okafor_row.turns == 3  # her own line and Maggie's two
    # The next meeting: Maggie is Margaret Okafor at once.
    second = activity(team, "Second", 8)
    response = upload(client, second, ("second.txt", ADVISORY))
    assert response["Location"] == reverse("meeting_balance", args=[team.project.pk, second.pk])
    assert SpeakerFigure.objects.get(meeting__activity=second, stakeholder=okafor).turns == 3


def test_someone_not_on_the_roster_counts_under_the_group_given(team: Team) -> None:
    meeting = activity(team)
    transcript = plain(
        ("Helen Marsh", "Welcome to the workshop."),
        ("Facilitator Jo", "Let us begin with a round of names and what brought you here."),
        ("Helen Marsh", "I am Helen."),
        ("Facilitator Jo", "Thank you."),
    )
    stored = services.meeting_upload(
        activity=meeting, files=[services.Upload("w.txt", transcript)], user=team.lead
    )
    services.speakers_confirm(
        meeting=stored,
        answers=[services.Answer("Facilitator Jo", None, "community_orgs")],
        user=team.lead,
    )
    row = SpeakerFigure.objects.get(meeting=stored, name="Facilitator Jo")
    assert row.stakeholder is None and row.group == "community_orgs" and row.confirmed
    assert GroupFigure.objects.filter(meeting=stored, group="community_orgs").exists()


def test_fixing_a_kept_name_later_works_out_the_meetings_again(team: Team) -> None:
    client = team.client_for("lead")
    meeting = activity(team)
    stored = services.meeting_upload(
        activity=meeting, files=[services.Upload("a.txt", ADVISORY)], user=team.lead
    )
    wrong, right = person(team, "Dennis Whitfield"), person(team, "Margaret Okafor")
    services.speakers_confirm(
        meeting=stored, answers=[services.Answer("Maggie", wrong)], user=team.lead
    )
    assert SpeakerFigure.objects.get(meeting=stored, stakeholder=wrong).turns == 2
    kept = SpeakerName.objects.get(key="maggie")
    url = reverse("participation_speaker_name_edit", args=[team.project.pk, kept.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"person": str(right.pk), "group": ""}).status_code == 302
    assert SpeakerFigure.objects.get(meeting=stored, stakeholder=right).turns == 3
    assert not SpeakerFigure.objects.filter(meeting=stored, stakeholder=wrong, words__gt=0)
    assert kept.history.count() == 2
    # Forgetting it asks again.
    client.post(reverse("participation_speaker_name_delete", args=[team.project.pk, kept.pk]))
    stored.refresh_from_db()
    assert stored.to_confirm == 1


def test_silent_attendees_are_counted_and_named_to_the_team_only(team: Team) -> None:
    meeting = activity(team)
    attend(meeting, person(team, "Ruth Calloway"), person(team, "Helen Marsh"))
    services.meeting_upload(
        activity=meeting, files=[services.Upload("a.txt", ADVISORY)], user=team.lead
    )
    silent = SpeakerFigure.objects.get(meeting__activity=meeting, silent=True)
    assert silent.stakeholder == person(team, "Ruth Calloway") and silent.words == 0
    url = reverse("meeting_balance", args=[team.project.pk, meeting.pk])
    lead_page = team.client_for("lead").get(url).content.decode()
    assert "Attended and said nothing: Ruth Calloway" in lead_page
    for who in ("partner", "observer"):
        page = team.client_for(who).get(url).content.decode()
        assert "Ruth Calloway" not in page
        assert "1 person who attended said nothing" in page


# --- Text discarded, or kept ------------------------------------------------------------------


def _history_rows() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label == "participation" and model.__name__.startswith("Historical")
    )


def _stored_anywhere(phrase: str) -> list[str]:
    """Every row of every table (history included) whose text holds the phrase."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            columns = [c.name for c in description]
            cursor.execute(f'SELECT * FROM "{table}"')  # the names come from the database
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, str) and phrase in value:
                        found.append(f"{table}.{column}")
    return found


def _files_holding(phrase: str, roots: list[Path], since: float) -> list[str]:
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            try:
                recent = path.is_file() and path.stat().st_mtime >= since
                if recent and phrase.encode() in path.read_bytes():
                    found.append(str(path))
            except OSError:
                continue
    return found


def test_no_transcript_text_is_stored_anywhere_when_the_project_discards_it(team: Team) -> None:
    assert team.project.discard_transcript_text
    since = time.time() - 1
    meeting = activity(team)
    client = team.client_for("lead")
    assert upload(client, meeting, ("a.txt", ADVISORY)).status_code == 302
    docx = (MEETINGS / "ES2004a.first60.teams.docx").read_bytes()
    assert upload(client, activity(team, "Other", 2), ("b.docx", docx)).status_code == 302
    stored = MeetingBalance.objects.get(activity=meeting)
    services.speakers_confirm(
        meeting=stored,
        answers=[services.Answer("Maggie", person(team, "Margaret Okafor"))],
        user=team.lead,
    )
    assert _stored_anywhere(SECRET) == []
    assert _stored_anywhere("leaflet") == []
    assert _stored_anywhere("{vocalsound}") == []  # from the Word file
    assert Transcript.objects.filter(meeting=stored).get().text == ""
    roots = [Path(tempfile.gettempdir())]
    if getattr(settings, "MEDIA_ROOT", None):
        roots.append(Path(settings.MEDIA_ROOT))
    assert _files_holding(SECRET, roots, since) == []
    page = client.get(reverse("meeting_balance", args=[team.project.pk, meeting.pk]))
    assert "was discarded once read" in page.content.decode()


def test_the_text_is_kept_when_the_project_keeps_it_and_dropped_when_it_stops(team: Team) -> None:
    project = team.project
    project.discard_transcript_text = False
    project.save()
    meeting = activity(team)
    client = team.client_for("lead")
    assert upload(client, meeting, ("a.txt", ADVISORY)).status_code == 302
    transcript = Transcript.objects.get(meeting__activity=meeting)
    assert SECRET in transcript.text
    assert all(SECRET not in (h.filename or "") for h in transcript.history.all())
    assert "Historical" not in " ".join(_stored_anywhere(SECRET))
    page = client.get(reverse("meeting_balance", args=[project.pk, meeting.pk])).content.decode()
    assert "is kept, so Coprod reads it again" in page
    project.discard_transcript_text = True
    project.save()
    assert _stored_anywhere(SECRET) == []
    assert MeetingBalance.objects.get(activity=meeting).text_kept is False


def test_kept_text_is_read_again_with_names_learnt_since(team: Team) -> None:
    """Plain text reads a label said once as a speaker only if it is known: once Jo is known,
    the kept text is read again and Jo's line becomes Jo's turn."""
    project = team.project
    project.discard_transcript_text = False
    project.save()
    transcript = plain(
        ("Helen Marsh", "Welcome."),
        ("Margaret Okafor", "Thank you for having us."),
        ("Helen Marsh", "Shall we start?"),
        ("Margaret Okafor", "Yes please."),
        ("Jo", "I have one question first."),
    )
    meeting = activity(team)
    stored = services.meeting_upload(
        activity=meeting, files=[services.Upload("a.txt", transcript)], user=team.lead
    )
    assert not SpeakerFigure.objects.filter(meeting=stored, name="Jo").exists()
    services.speakers_confirm(
        meeting=stored, answers=[services.Answer("Jo", None, "other")], user=team.lead
    )
    assert SpeakerFigure.objects.get(meeting=stored, name="Jo").words == 5


# --- Privacy per role ---------------------------------------------------------------------------


@pytest.fixture
def analysed(team: Team) -> list[Activity]:
    meetings = []
    for day in (1, 8, 15):
        meeting = activity(team, f"Advisory group {day}", day)
        attend(meeting, person(team, "Dennis Whitfield"))
        stored = services.meeting_upload(
            activity=meeting, files=[services.Upload("a.txt", ADVISORY)], user=team.lead
        )
        services.speakers_confirm(
            meeting=stored,
            answers=[services.Answer("Maggie", person(team, "Margaret Okafor"))],
            user=team.lead,
        )
        meetings.append(meeting)
    return meetings


def _pages(team: Team, meetings: list[Activity]) -> list[str]:
    pk = team.project.pk
    return [
        reverse("participation_overview", args=[pk]),
        reverse("meeting_balance", args=[pk, meetings[0].pk]),
    ]


def test_the_team_sees_names(team: Team, analysed: list[Activity]) -> None:
    for who in ("lead", "researcher"):
        for url in _pages(team, analysed):
            page = team.client_for(who).get(url).content.decode()
            assert "Helen Marsh" in page, url
    overview = team.client_for("lead").get(_pages(team, analysed)[0]).content.decode()
    assert "Dennis Whitfield" in overview  # attended three times and said nothing


@pytest.mark.parametrize("who", ["partner", "observer"])
def test_others_see_groups_and_anonymised_figures(
    team: Team, analysed: list[Activity], who: str
) -> None:
    names = list(Stakeholder.objects.filter(project=team.project).values_list("name", flat=True))
    for url in _pages(team, analysed):
        page = team.client_for(who).get(url).content.decode()
        assert "Person A" in page, url
        for name in names:
            assert name not in page, (url, name)
        assert "Maggie" not in page
    meeting = team.client_for(who).get(_pages(team, analysed)[1]).content.decode()
    assert "Patients, carers and the public" in meeting


def test_a_partner_sees_their_own_line_as_you(team: Team, analysed: list[Activity]) -> None:
    partner_entry = Stakeholder.objects.get(project=team.project, user=team.partner)
    assert partner_entry.name == "Margaret Okafor"
    page = team.client_for("partner").get(_pages(team, analysed)[1]).content.decode()
    assert "data-you" in page and ">You" in page


def test_charts_are_pngs_without_names_for_others(team: Team, analysed: list[Activity]) -> None:
    pk = team.project.pk
    for kind in ("people", "groups"):
        url = reverse("participation_meeting_chart", args=[pk, analysed[0].pk, kind])
        response = team.client_for("observer").get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")
    trend = team.client_for("partner").get(reverse("participation_trend_chart", args=[pk]))
    assert trend.content.startswith(b"\x89PNG")
    assert (
        team.client_for("lead")
        .get(reverse("participation_meeting_chart", args=[pk, analysed[0].pk, "nope"]))
        .status_code
        == 404
    )


def test_the_overview_names_the_usual_suspect_and_the_flagged_group(
    team: Team, analysed: list[Activity]
) -> None:
    view = selectors.overview(project=team.project, user=team.lead)
    # Helen Marsh and Margaret Okafor (with Maggie's lines) say more than an equal share.
    assert next(s.label for s in view.suspects) == "Helen Marsh"
    assert "Dennis Whitfield" not in [s.label for s in view.suspects]
    assert [flag.group.value for _label, flag in view.under_heard] == ["patients_public"]
    summary = selectors.dashboard_summary(team.project, user=team.observer)
    assert summary.meetings == 3 and summary.under_heard and summary.to_confirm == 0


def test_the_dashboard_section_renders(team: Team, analysed: list[Activity]) -> None:
    from django.template.loader import render_to_string

    summary = selectors.dashboard_summary(team.project, user=team.lead)
    html = render_to_string(
        "participation/_dashboard.html", {"summary": summary, "project": team.project}
    )
    assert "data-under-heard" in html and "Patients, carers and the public" in html


def test_the_summary_speaks_plainly(team: Team, analysed: list[Activity]) -> None:
    page = team.client_for("lead").get(_pages(team, analysed)[1]).content.decode()
    assert "of the words though they were" in page
    assert "people present, two spoke" in page or "people present, one spoke" in page


# --- Who may do what ----------------------------------------------------------------------------


ROLES = ["lead", "researcher", "partner", "observer", "outsider", "anonymous"]
READ = {"lead": 200, "researcher": 200, "partner": 200, "observer": 200, "outsider": 404}
WRITE = {"lead": 200, "researcher": 200, "partner": 403, "observer": 403, "outsider": 404}


def _urls(team: Team, meeting: Activity, name_id: int) -> list[tuple[str, str, dict[str, int]]]:
    pk, a = team.project.pk, meeting.pk
    return [
        ("get", reverse("participation_overview", args=[pk]), READ),
        ("get", reverse("participation_trend_chart", args=[pk]), READ),
        ("get", reverse("meeting_balance", args=[pk, a]), READ),
        ("get", reverse("participation_meeting_chart", args=[pk, a, "people"]), READ),
        ("get", reverse("participation_meeting_chart", args=[pk, a, "groups"]), READ),
        ("get", reverse("transcript_upload", args=[pk]), WRITE),
        ("get", reverse("speakers_confirm", args=[pk, a]), WRITE),
        ("get", reverse("participation_speaker_names", args=[pk]), WRITE),
        ("get", reverse("participation_speaker_name_edit", args=[pk, name_id]), WRITE),
    ]


@pytest.mark.parametrize("who", ROLES)
def test_who_may_see_what(team: Team, analysed: list[Activity], who: str) -> None:
    name_id = SpeakerName.objects.get().pk
    client = team.client_for(who)
    for _method, url, expected in _urls(team, analysed[0], name_id):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected[who], (who, url)


POSTS = ["upload", "confirm", "name_edit", "name_delete", "meeting_delete"]


@pytest.mark.parametrize("who", ["partner", "observer", "outsider", "anonymous"])
@pytest.mark.parametrize("what", POSTS)
def test_refused_writes_change_nothing(
    team: Team, analysed: list[Activity], who: str, what: str
) -> None:
    pk, meeting = team.project.pk, analysed[0]
    kept = SpeakerName.objects.get()
    before = _history_rows(), SpeakerFigure.objects.count(), SpeakerName.objects.count()
    client = team.client_for(who)
    url, data = {
        "upload": (
            reverse("transcript_upload", args=[pk]),
            {"activity": meeting.pk, "files": [SimpleUploadedFile("a.txt", ADVISORY)]},
        ),
        "confirm": (reverse("speakers_confirm", args=[pk, meeting.pk]), {"person_0": "none"}),
        "name_edit": (
            reverse("participation_speaker_name_edit", args=[pk, kept.pk]),
            {"person": "none"},
        ),
        "name_delete": (reverse("participation_speaker_name_delete", args=[pk, kept.pk]), {}),
        "meeting_delete": (reverse("participation_meeting_delete", args=[pk, meeting.pk]), {}),
    }[what]
    response = client.post(url, data)
    expected = {"partner": 403, "observer": 403, "outsider": 404, "anonymous": 302}[who]
    assert response.status_code == expected
    assert (_history_rows(), SpeakerFigure.objects.count(), SpeakerName.objects.count()) == before


@pytest.mark.parametrize("who", ["lead", "researcher"])
def test_the_team_may_remove_a_meetings_figures(
    team: Team, analysed: list[Activity], who: str
) -> None:
    url = reverse("participation_meeting_delete", args=[team.project.pk, analysed[0].pk])
    assert team.client_for(who).post(url).status_code == 302
    assert not MeetingBalance.objects.filter(activity=analysed[0]).exists()
    assert not Transcript.objects.filter(meeting__activity=analysed[0]).exists()


def test_a_meeting_not_analysed_is_404(team: Team) -> None:
    meeting = activity(team)
    url = reverse("meeting_balance", args=[team.project.pk, meeting.pk])
    assert team.client_for("lead").get(url).status_code == 404


# --- Queries stay constant as meetings grow -----------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _add_meetings(team: Team, count: int, start: int) -> None:
    for day in range(start, start + count):
        meeting = activity(team, f"Meeting {day}", day)
        attend(meeting, person(team, "Dennis Whitfield"))
        services.meeting_upload(
            activity=meeting, files=[services.Upload("a.txt", ADVISORY)], user=team.lead
        )


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_page_queries_do_not_grow_with_meetings(team: Team, who: str) -> None:
    _add_meetings(team, 2, 1)
    client = team.client_for(who)
    pk = team.project.pk
    first = Activity.objects.filter(project=team.project).order_by("date").first()
    assert first is not None
    urls = [
        reverse("participation_overview", args=[pk]),
        reverse("participation_trend_chart", args=[pk]),
        reverse("meeting_balance", args=[pk, first.pk]),
    ]
    two = [_queries(client, url) for url in urls]
    _add_meetings(team, 6, 3)
    assert [_queries(client, url) for url in urls] == two


def test_the_dashboard_summary_runs_a_fixed_number_of_queries(team: Team) -> None:
    _add_meetings(team, 2, 1)
    project = Project.objects.get(pk=team.project.pk)
    with CaptureQueriesContext(connection) as two:
        selectors.dashboard_summary(project, user=team.lead)
    _add_meetings(team, 6, 3)
    project = Project.objects.get(pk=team.project.pk)
    with CaptureQueriesContext(connection) as eight:
        summary = selectors.dashboard_summary(project, user=team.lead)
    assert len(eight) == len(two)
    assert summary.meetings == 8


# --- Demo data ------------------------------------------------------------------------------------


def test_the_demo_analyses_meetings_for_the_demo_roster(team: Team) -> None:
    from coprod.web.participation.demo import demo_participation

    made = demo_participation(team.project)
    assert len(made) == 3
    view = selectors.overview(project=team.project, user=team.lead)
    assert len(view.meetings) == 3
    assert all(m.meeting.to_confirm == 0 for m in view.meetings)
    assert view.under_heard  # the demo shows what a flag looks like
    assert demo_participation(team.project) == []  # loading twice adds nothing


def test_erasing_a_person_leaves_no_name_of_theirs_here(team: Team) -> None:
    meeting = activity(team)
    okafor = person(team, "Margaret Okafor")
    stored = services.meeting_upload(
        activity=meeting, files=[services.Upload("a.txt", ADVISORY)], user=team.lead
    )
    services.speakers_confirm(
        meeting=stored, answers=[services.Answer("Maggie", okafor)], user=team.lead
    )
    services.participation_erase(stakeholder=okafor)
    assert not SpeakerName.objects.exists() and not SpeakerName.history.exists()
    assert _stored_anywhere("Maggie") == []
    kept = Transcript.objects.get(meeting=stored)
    assert all("Okafor" not in (t[0] or "") for t in kept.turns)
    row = SpeakerFigure.objects.get(meeting=stored, stakeholder=okafor)
    assert row.name == "" and row.turns == 3

"""Writes. Each runs in one transaction and leaves history; a refused file saves nothing.

Reading is the formats layer's (:mod:`coprod.formats.transcripts`, :mod:`coprod.formats.
transcript_docx`); matching names to the roster and every figure are the core's
(:mod:`coprod.core.speaker_matching`, :mod:`coprod.core.participation`). This module only
decides what is kept: the figures, each turn's speaker, times and word count (never its words),
and the text itself only while the project asks to keep transcripts.
"""

from __future__ import annotations

import contextlib
import decimal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from coprod.core.ids import Group
from coprod.core.participation import (
    MeetingFigures,
    MeetingTally,
    Roster,
    RosterPerson,
    SpeakerMapping,
    Turn,
    merge_consecutive,
    normalise_name,
)
from coprod.core.problems import FileProblems, Problem
from coprod.core.speaker_matching import How, MatchResult, SpeakerMatch, match_speakers
from coprod.formats.transcripts import TranscriptFormat, detect_format, parse_transcript
from coprod.web.participation.models import (
    GroupFigure,
    MeetingBalance,
    SpeakerFigure,
    SpeakerName,
    Transcript,
)
from coprod.web.people.models import Activity, Attendance
from coprod.web.projects.models import Project, Stakeholder

MAX_FILE_BYTES = 10 * 1024 * 1024  # a two-hour meeting's transcript is well under 1 MB
MAX_FILES = 10
WORD_FORMAT = TranscriptFormat.teams_docx.value


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and its bytes, held in memory only."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ReadFile:
    upload: Upload
    format: str
    turns: list[Turn]


# --- The roster and the confirmed names, as the core's types -------------------------------------


@dataclass(frozen=True)
class RosterIndex:
    roster: Roster
    person_of: dict[int, RosterPerson]  # stakeholder id -> the core's person
    stakeholder_of: dict[str, Stakeholder]  # the person's name, ignoring case and spacing
    people: tuple[Stakeholder, ...] = ()


def roster_index(project: Project) -> RosterIndex:
    """The project's roster (people not erased) as the core's :class:`Roster` (one query)."""
    people = tuple(
        Stakeholder.objects.filter(project=project, erased_at__isnull=True).only(
            "id", "name", "group", "aliases", "user_id", "project_id"
        )
    )
    person_of: dict[int, RosterPerson] = {}
    stakeholder_of: dict[str, Stakeholder] = {}
    for person in people:
        aliases = tuple(a.strip() for a in person.aliases or () if isinstance(a, str) and a.strip())
        person_of[person.pk] = RosterPerson(
            person.name, Group(person.group) if person.group else None, aliases
        )
        stakeholder_of.setdefault(normalise_name(person.name), person)
    return RosterIndex(Roster(tuple(person_of.values())), person_of, stakeholder_of, people)


@dataclass(frozen=True)
class Confirmed:
    mapping: SpeakerMapping
    groups: dict[str, str]  # key -> group, for people not on the roster


def confirmed_names(project: Project) -> Confirmed:
    """The names a person confirmed, as the core's :class:`SpeakerMapping` (one query)."""
    confirmed: dict[str, str | None] = {}
    names: dict[str, str] = {}
    groups: dict[str, str] = {}
    for row in SpeakerName.objects.filter(project=project).select_related("stakeholder"):
        if row.stakeholder is not None and row.stakeholder.erased_at is not None:
            continue
        confirmed[row.key] = row.stakeholder.name if row.stakeholder else None
        names[row.key] = row.transcript_name
        if row.group:
            groups[row.key] = row.group
    return Confirmed(SpeakerMapping(confirmed, names), groups)


def _known(index: RosterIndex, confirmed: Confirmed) -> Any:
    def known(label: str) -> bool:
        return index.roster.match(label) is not None or confirmed.mapping.get(label)[0]

    return known


# --- Reading uploads ------------------------------------------------------------------------------


def _is_word(upload: Upload) -> bool:
    return upload.data.startswith(b"PK\x03\x04") or upload.name.lower().endswith(".docx")


def _parse(upload: Upload, fmt: str, known: Any) -> tuple[str, list[Turn]]:
    chosen = TranscriptFormat(fmt) if fmt else None
    if chosen is TranscriptFormat.teams_docx or (chosen is None and _is_word(upload)):
        from coprod.formats.transcript_docx import parse_docx

        return WORD_FORMAT, merge_consecutive(parse_docx(upload.data, upload.name))
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("is not a Word document or UTF-8 text (byte %(byte)s)") % {"byte": error.start}
        raise FileProblems([Problem(upload.name, None, None, "", message)]) from None
    used = chosen or detect_format(text, upload.name)
    return used.value, parse_transcript(text, upload.name, used, known=known)


def transcripts_read(
    *, files: Sequence[Upload], fmt: str = "", known: Any = None
) -> list[ReadFile]:
    """Every file read into turns, or :class:`FileProblems` naming every problem in every file."""
    problems: list[Problem] = []
    read: list[ReadFile] = []
    for upload in files:
        if len(upload.data) > MAX_FILE_BYTES:
            message = _("is larger than %(size)s MB") % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            problems.append(Problem(upload.name, None, None, "", message))
            continue
        try:
            used, turns = _parse(upload, fmt, known)
        except FileProblems as error:
            problems.extend(error.problems)
            continue
        if not any(turn.speaker for turn in turns):
            message = _("has no speaker's name anywhere, so nobody's share can be counted")
            problems.append(Problem(upload.name, None, None, "", message))
            continue
        read.append(ReadFile(upload, used, turns))
    if problems:
        raise FileProblems(problems)
    return read


# --- Turns without their words ------------------------------------------------------------------


def turn_data(turn: Turn) -> list[Any]:
    """A turn as kept: its speaker, its word count and its timed spans, never its words."""
    bare = turn.without_text()
    return [bare.speaker, bare.words, [[str(a), str(b)] for a, b in bare.spans]]


def turn_from(data: Sequence[Any], offset: Fraction = Fraction(0)) -> Turn:
    speaker, words, spans = data
    timed = tuple((Fraction(a) + offset, Fraction(b) + offset) for a, b in spans)
    return Turn(speaker, None, None, "", None, timed, int(words))


def _meeting_turns(transcripts: Sequence[Transcript]) -> Iterator[Turn]:
    """The turns of every file of a meeting, one after another: each file's times start where
    the file before it ended, so parts of one meeting never overlap."""
    offset = Fraction(0)
    for transcript in transcripts:
        end = offset
        for data in transcript.turns:
            turn = turn_from(data, offset)
            if turn.spans:
                end = max(end, max(b for _, b in turn.spans))
            yield turn
        offset = end


# --- Analysis -------------------------------------------------------------------------------------


def _decimal(value: Fraction | None, places: int) -> Decimal | None:
    if value is None:
        return None
    with decimal.localcontext() as context:
        context.prec = 40
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_EVEN)


def _off_roster(matched: MatchResult, confirmed: Confirmed) -> MatchResult:
    """Names confirmed as "not on the roster" with a group count under that group."""
    matches = []
    for match in matched.matches:
        group = confirmed.groups.get(normalise_name(match.transcript_name))
        if match.person is None and group:
            person = RosterPerson(" ".join(match.transcript_name.split()), Group(group))
            match = SpeakerMatch(match.transcript_name, person, How.confirmed)
        matches.append(match)
    return MatchResult(tuple(matches), matched.suggestions, matched.unmatched)


@dataclass(frozen=True)
class Analysis:
    figures: MeetingFigures
    matched: MatchResult
    names: tuple[str, ...]


def analyse(
    turns: Iterable[Turn], index: RosterIndex, confirmed: Confirmed, attended: Iterable[int]
) -> Analysis:
    """The core's figures for one meeting. Speakers are matched against the whole roster; the
    people counted as present are those who spoke and the roster people recorded as attending."""
    tally = MeetingTally().add_all(turns)
    matched = _off_roster(match_speakers(tally.names, index.roster, confirmed.mapping), confirmed)
    present: list[RosterPerson] = [index.person_of[i] for i in attended if i in index.person_of]
    for match in matched.matches:
        if match.person is not None and match.person not in present:
            present.append(match.person)
    figures = tally.figures(Roster(tuple(present)), matched=matched)
    return Analysis(figures, matched, tally.names)


def _store(
    meeting: MeetingBalance, analysis: Analysis, index: RosterIndex, user: Any
) -> MeetingBalance:
    figures, matched = analysis.figures, analysis.matched
    on_roster = set(index.person_of.values())
    guessed = {
        normalise_name(m.person.name)
        for m in matched.matches
        if m.person is not None and m.how in (How.first_name, How.fuzzy)
    }
    guessed |= {normalise_name(s.transcript_name) for s in matched.suggestions}
    guessed |= {normalise_name(n) for n in matched.unmatched}
    roster_people = {
        normalise_name(m.person.name)
        for m in matched.matches
        if m.person is not None and m.person in on_roster
    } | {normalise_name(p.name) for p in on_roster}
    off_roster = {
        normalise_name(m.person.name)
        for m in matched.matches
        if m.person is not None and m.person not in on_roster
    }
    SpeakerFigure.objects.filter(meeting=meeting).delete()
    GroupFigure.objects.filter(meeting=meeting).delete()
    silent = {normalise_name(n) for n in figures.silent}
    speakers = []
    for position, speaker in enumerate(figures.speakers):
        key = normalise_name(speaker.name)
        stakeholder = (
            index.stakeholder_of.get(key)
            if key in roster_people and key not in off_roster
            else None
        )
        speakers.append(
            SpeakerFigure(
                project_id=meeting.project_id,
                meeting=meeting,
                position=position,
                stakeholder=stakeholder,
                name="" if stakeholder else speaker.name,
                group=speaker.group.value if speaker.group else "",
                turns=speaker.turns,
                words=speaker.words,
                seconds=_decimal(speaker.seconds, 3),
                share_words=_decimal(speaker.share_words, 8),
                share_seconds=_decimal(speaker.share_seconds, 8),
                silent=key in silent,
                confirmed=key not in guessed,
            )
        )
    SpeakerFigure.objects.bulk_create(speakers)
    GroupFigure.objects.bulk_create(
        GroupFigure(
            project_id=meeting.project_id,
            meeting=meeting,
            position=position,
            group=group.group.value if group.group else "",
            people=group.people,
            words=group.words,
            seconds=_decimal(group.seconds, 3),
            share_words=_decimal(group.share_words, 8),
            share_seconds=_decimal(group.share_seconds, 8),
        )
        for position, group in enumerate(figures.groups)
    )
    timed = figures.gini_seconds is not None or any(s.seconds for s in figures.speakers)
    meeting.timed = timed
    meeting.words = sum(s.words for s in figures.speakers)
    meeting.seconds = (
        _decimal(sum((s.seconds or Fraction(0) for s in figures.speakers), Fraction(0)), 3)
        if timed
        else None
    )
    meeting.gini = _decimal(figures.gini, 8)
    meeting.gini_seconds = _decimal(figures.gini_seconds, 8)
    meeting.top_share = _decimal(figures.top_share, 8)
    meeting.top_20_share = _decimal(figures.top_20_share, 8)
    meeting.unattributed_turns = figures.unattributed_turns
    meeting.unattributed_words = figures.unattributed_words
    meeting.to_confirm = len(matched.to_confirm())
    meeting.analysed_by = user
    meeting.save()
    return meeting


def _reread(transcript: Transcript, known: Any) -> None:
    """Read a kept file again, so that plain text's speakers follow the names now known."""
    data = bytes(transcript.data) if transcript.data else transcript.text.encode("utf-8")
    read = transcripts_read(
        files=[Upload(transcript.filename, data)], fmt=transcript.format, known=known
    )[0]
    transcript.turns = [turn_data(t) for t in read.turns]
    transcript.speakers = list(MeetingTally().add_all(read.turns).names)
    transcript.save(update_fields=["turns", "speakers"])


def meeting_analyse(*, meeting: MeetingBalance, user: Any = None) -> MeetingBalance:
    """Work the figures out again from what is kept (the text first, where it is kept)."""
    project = meeting.project
    index = roster_index(project)
    confirmed = confirmed_names(project)
    transcripts = list(meeting.transcripts.all())
    for transcript in transcripts:
        if transcript.text or transcript.data:
            # Read once already: should it fail now, the turns from then stay.
            with contextlib.suppress(FileProblems):
                _reread(transcript, _known(index, confirmed))
    attended = Attendance.objects.filter(activity_id=meeting.activity_id).values_list(
        "stakeholder_id", flat=True
    )
    analysis = analyse(_meeting_turns(transcripts), index, confirmed, list(attended))
    return _store(meeting, analysis, index, user)


@transaction.atomic
def meeting_upload(
    *, activity: Activity, files: Sequence[Upload], fmt: str = "", user: Any = None
) -> MeetingBalance:
    """Read the files of one meeting and keep its figures, replacing any earlier analysis of it.
    A file with a problem raises :class:`FileProblems` and nothing is saved."""
    if not files:
        raise FileProblems([Problem("", None, None, "", _("expected at least one file"))])
    if len(files) > MAX_FILES:
        message = _("expected at most %(count)s files for one meeting") % {"count": MAX_FILES}
        raise FileProblems([Problem("", None, None, "", message)])
    project = activity.project
    index = roster_index(project)
    confirmed = confirmed_names(project)
    read = transcripts_read(files=files, fmt=fmt, known=_known(index, confirmed))
    keep = not project.discard_transcript_text
    meeting, _created = MeetingBalance.objects.get_or_create(
        activity=activity, defaults={"project": project}
    )
    for old in meeting.transcripts.all():
        old.delete()
    for position, item in enumerate(read):
        word = item.format == WORD_FORMAT
        Transcript.objects.create(
            project=project,
            meeting=meeting,
            position=position,
            filename=item.upload.name[-255:],
            format=item.format,
            speakers=list(MeetingTally().add_all(item.turns).names),
            turns=[turn_data(turn) for turn in item.turns],
            text=item.upload.data.decode("utf-8-sig") if keep and not word else "",
            data=item.upload.data if keep and word else None,
        )
    meeting.text_kept = keep
    return meeting_analyse(meeting=meeting, user=user)


def _meetings_naming(project: Project, keys: set[str]) -> list[MeetingBalance]:
    meeting_ids = {
        meeting_id
        for meeting_id, speakers in Transcript.objects.filter(project=project).values_list(
            "meeting_id", "speakers"
        )
        if keys & {normalise_name(name) for name in speakers}
    }
    return list(
        MeetingBalance.objects.filter(pk__in=meeting_ids).select_related("project", "activity")
    )


@dataclass(frozen=True)
class Answer:
    """Who a transcript name is: a roster person, or nobody on the roster (with a group if
    known)."""

    transcript_name: str
    stakeholder: Stakeholder | None
    group: str = ""


def _save_answer(project: Project, answer: Answer, user: Any) -> bool:
    """Keep one answer; whether anything changed."""
    key = normalise_name(answer.transcript_name)
    group = "" if answer.stakeholder is not None else answer.group
    row = SpeakerName.objects.filter(project=project, key=key).first()
    stakeholder_id = answer.stakeholder.pk if answer.stakeholder else None
    if row is not None and row.stakeholder_id == stakeholder_id and row.group == group:
        return False
    if row is None:
        row = SpeakerName(project=project, key=key)
    row.transcript_name = " ".join(answer.transcript_name.split())[:200]
    row.stakeholder = answer.stakeholder
    row.group = group
    row.confirmed_by = user
    row.save()
    return True


def _check_answer(project: Project, answer: Answer) -> None:
    if answer.stakeholder is not None and answer.stakeholder.project_id != project.pk:
        raise ValueError("a person from another project's roster")
    if answer.group and answer.group not in {g.value for g in Group}:
        raise ValueError(f"not a group: {answer.group!r}")


@transaction.atomic
def speakers_confirm(
    *, meeting: MeetingBalance, answers: Sequence[Answer], user: Any = None
) -> MeetingBalance:
    """Keep the answers for this project, and work out again every meeting that has these names
    (this one included)."""
    project = meeting.project
    for answer in answers:
        _check_answer(project, answer)
    changed = {normalise_name(a.transcript_name) for a in answers if _save_answer(project, a, user)}
    for other in _meetings_naming(project, changed):
        if other.pk != meeting.pk:
            meeting_analyse(meeting=other, user=user)
    return meeting_analyse(meeting=meeting, user=user)


@transaction.atomic
def speaker_name_update(
    *, row: SpeakerName, stakeholder: Stakeholder | None, group: str = "", user: Any = None
) -> SpeakerName:
    """Fix a kept answer; the meetings with that name are worked out again."""
    answer = Answer(row.transcript_name, stakeholder, group)
    _check_answer(row.project, answer)
    if _save_answer(row.project, answer, user):
        for meeting in _meetings_naming(row.project, {row.key}):
            meeting_analyse(meeting=meeting, user=user)
    row.refresh_from_db()
    return row


@transaction.atomic
def speaker_name_delete(*, row: SpeakerName, user: Any = None) -> None:
    """Forget a kept answer: the name is matched afresh, and waits for a person if need be."""
    project, key = row.project, row.key
    row.delete()
    for meeting in _meetings_naming(project, {key}):
        meeting_analyse(meeting=meeting, user=user)


@transaction.atomic
def meeting_delete(*, meeting: MeetingBalance) -> None:
    """Remove a meeting's analysis: its figures, and whatever was kept of its transcripts."""
    for transcript in meeting.transcripts.all():
        transcript.delete()
    meeting.delete()


def transcripts_discard(*, project: Project) -> int:
    """Drop every kept transcript text of the project (when it stops keeping them). The turns'
    speakers, times and word counts stay, so the figures can still be worked out again."""
    count = (
        Transcript.objects.filter(project=project)
        .exclude(text="", data__isnull=True)
        .update(text="", data=None)
    )
    MeetingBalance.objects.filter(project=project, text_kept=True).update(text_kept=False)
    return count


@transaction.atomic
def participation_erase(*, stakeholder: Stakeholder) -> None:
    """What erasing a roster person needs here: the names confirmed for them are forgotten (with
    their history), and the speaker labels that named them in the kept turns are replaced, so no
    name of theirs stays. Their figures stay, counted for the (erased) roster entry."""
    project = stakeholder.project
    rows = SpeakerName.objects.filter(project=project, stakeholder=stakeholder)
    keys = {normalise_name(stakeholder.name)} | {row.key for row in rows}
    keys |= {normalise_name(a) for a in stakeholder.aliases or () if isinstance(a, str)}
    ids = list(rows.values_list("id", flat=True))
    rows.delete()
    SpeakerName.history.filter(id__in=ids).delete()  # after: deleting leaves a history row
    label = f"erased-{stakeholder.pk}"
    for transcript in Transcript.objects.filter(project=project):
        turns = [
            [label if t[0] and normalise_name(t[0]) in keys else t[0], t[1], t[2]]
            for t in transcript.turns
        ]
        speakers = [label if normalise_name(n) in keys else n for n in transcript.speakers]
        if turns != transcript.turns or speakers != transcript.speakers:
            Transcript.objects.filter(pk=transcript.pk).update(
                turns=turns, speakers=list(dict.fromkeys(speakers)), text="", data=None
            )

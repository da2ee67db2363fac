"""Participation balance in a meeting: who is heard, by person and by stakeholder group (issue 6).

Pure arithmetic on turns a reader produced. Shares and Gini coefficients are exact fractions, so
shares sum to exactly 1 and the figures do not depend on the order of the turns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from coprod.core.ids import Group
from coprod.core.speaker_matching import (
    MatchResult,
    Roster,
    RosterPerson,
    SpeakerMapping,
    match_speakers,
    normalise_name,
)

__all__ = [
    "GroupFigures",
    "MeetingFigures",
    "MeetingTally",
    "Roster",
    "RosterPerson",
    "SeriesFigures",
    "SpeakerFigures",
    "SpeakerMapping",
    "Turn",
    "across",
    "analyse",
    "count_words",
    "discard_text",
    "gini",
    "meeting_data",
    "merge_consecutive",
    "normalise_name",
    "series_data",
    "top_share",
    "union_length",
]

Span = tuple[Fraction, Fraction]

_MARK = re.compile(r"^\{[^}]*\}$")
_WORDLIKE = re.compile(r"\w")


def count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit; ``{marks}`` such as AMI's are not
    words, nor is punctuation standing alone."""
    # Most tokens are plain words: isalnum() settles them without the slower regular expressions.
    return sum(
        1
        for token in text.split()
        if token.isalnum() or (_WORDLIKE.search(token) and not _MARK.match(token))
    )


@dataclass(frozen=True)
class Turn:
    """What one speaker said without interruption. ``spans`` are the timed pieces (cues) it was
    made from; ``start``/``end`` are None when the transcript has no times."""

    speaker: str | None
    start: Fraction | None
    end: Fraction | None
    text: str
    line: int | None = None
    spans: tuple[Span, ...] = ()
    word_count: int | None = None

    @property
    def words(self) -> int:
        """Words spoken: counted from the text, or kept from before the text was dropped."""
        return count_words(self.text) if self.word_count is None else self.word_count

    def without_text(self) -> Turn:
        """The same turn with its figures only: the words counted, the text gone."""
        return Turn(self.speaker, self.start, self.end, "", self.line, _spans(self), self.words)

    @property
    def seconds(self) -> Fraction | None:
        """Time spoken: the union of the spans, so overlapping cues are not counted twice."""
        spans = self.spans or (
            ((self.start, self.end),) if self.start is not None and self.end is not None else ()
        )
        if not spans:
            return None
        return union_length(spans)


def union_length(spans: Iterable[Span]) -> Fraction:
    """The length of the union of intervals."""
    total = Fraction(0)
    current: Span | None = None
    for start, end in sorted(spans):
        if current is None or start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        total += current[1] - current[0]
    return total


def _same_speaker(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and normalise_name(a) == normalise_name(b)


def discard_text(turns: Iterable[Turn]) -> Iterator[Turn]:
    """The turns with their figures only, one at a time: for a caller that must not keep what was
    said (Coprod's web app drops the text after analysis unless a project asks to keep it)."""
    for turn in turns:
        yield turn.without_text()


def merge_consecutive(turns: Iterable[Turn]) -> list[Turn]:
    """Join consecutive turns (cues) by the same named speaker into one turn."""
    merged: list[Turn] = []
    for turn in turns:
        if merged and _same_speaker(merged[-1].speaker, turn.speaker):
            last = merged[-1]
            starts = [t for t in (last.start, turn.start) if t is not None]
            ends = [t for t in (last.end, turn.end) if t is not None]
            counted = last.word_count is not None or turn.word_count is not None
            merged[-1] = Turn(
                speaker=last.speaker,
                start=min(starts) if starts else None,
                end=max(ends) if ends else None,
                text=f"{last.text} {turn.text}".strip(),
                line=last.line,
                spans=_spans(last) + _spans(turn),
                word_count=last.words + turn.words if counted else None,
            )
        else:
            merged.append(
                Turn(
                    turn.speaker,
                    turn.start,
                    turn.end,
                    turn.text,
                    turn.line,
                    _spans(turn),
                    turn.word_count,
                )
            )
    return merged


def _spans(turn: Turn) -> tuple[Span, ...]:
    if turn.spans:
        return turn.spans
    if turn.start is not None and turn.end is not None:
        return ((turn.start, turn.end),)
    return ()


@dataclass(frozen=True)
class SpeakerFigures:
    name: str
    group: Group | None
    turns: int
    words: int
    seconds: Fraction | None
    share_words: Fraction | None
    share_seconds: Fraction | None


@dataclass(frozen=True)
class GroupFigures:
    group: Group | None
    people: int
    words: int
    seconds: Fraction | None
    share_words: Fraction | None
    share_seconds: Fraction | None


@dataclass(frozen=True)
class MeetingFigures:
    """One meeting's figures. No text of what was said is kept here, only counts and times.
    ``matching`` says how each transcript name was matched to the roster; ``unmatched`` lists the
    names that were not (suggested ones included), for a person to confirm."""

    speakers: tuple[SpeakerFigures, ...]
    groups: tuple[GroupFigures, ...]
    gini: Fraction | None
    gini_seconds: Fraction | None
    top_share: Fraction | None
    top_20_share: Fraction | None
    silent: tuple[str, ...]
    unattributed_turns: int = 0
    unattributed_words: int = 0
    unmatched: tuple[str, ...] = ()
    matching: MatchResult = field(default_factory=MatchResult)


def gini(values: Sequence[Fraction | int]) -> Fraction | None:
    """The Gini coefficient of non-negative values: 0 when all are equal, at most 1 - 1/n.
    None when there are no values or they sum to zero."""
    n = len(values)
    total = sum(values, Fraction(0))
    if n == 0 or total == 0:
        return None
    ordered = sorted(Fraction(v) for v in values)
    # sum_i sum_j |x_i - x_j| = 2 * sum_i (2i - n - 1) x_(i), with i counted from 1.
    weighted = sum(((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1)), Fraction(0))
    return weighted / (n * total)


def top_share(shares: Sequence[Fraction], fraction: Fraction = Fraction(0)) -> Fraction | None:
    """The share held by the top ceil(fraction * n) people (at least one)."""
    if not shares:
        return None
    count = max(1, math.ceil(fraction * len(shares)))
    return sum(sorted(shares, reverse=True)[:count], Fraction(0))


def _share(part: Fraction | int, whole: Fraction | int) -> Fraction | None:
    return Fraction(part) / whole if whole else None


@dataclass
class _Speaker:
    name: str
    turns: int = 0
    words: int = 0
    spans: list[Span] = field(default_factory=list)


class MeetingTally:
    """A meeting's counts, gathered one turn (or cue) at a time so that a reader can stream and
    nothing of what was said needs to be kept. Consecutive turns by the same speaker (ignoring
    case and spacing) count as one turn; turns without a speaker are counted apart."""

    def __init__(self) -> None:
        self._speakers: dict[str, _Speaker] = {}
        self._last: str | None = None
        self._timed = True
        self._any = False
        self.unattributed_turns = 0
        self.unattributed_words = 0

    def add(self, turn: Turn) -> None:
        self._any = True
        spans = _spans(turn)
        if not spans:
            self._timed = False
        if turn.speaker is None or not turn.speaker.strip():
            self.unattributed_turns += 1
            self.unattributed_words += turn.words
            self._last = None
            return
        key = normalise_name(turn.speaker)
        speaker = self._speakers.get(key)
        if speaker is None:
            speaker = self._speakers[key] = _Speaker(" ".join(turn.speaker.split()))
        if key != self._last:
            speaker.turns += 1
        self._last = key
        speaker.words += turn.words
        speaker.spans.extend(spans)

    def add_all(self, turns: Iterable[Turn]) -> MeetingTally:
        for turn in turns:
            self.add(turn)
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """The transcript's speaker names, in the order they first spoke."""
        return tuple(s.name for s in self._speakers.values())

    @property
    def timed(self) -> bool:
        return self._any and self._timed

    def figures(
        self,
        roster: Roster | None = None,
        mapping: SpeakerMapping | None = None,
        matched: MatchResult | None = None,
    ) -> MeetingFigures:
        """Figures per person and per group. Transcript names are matched to the roster (see
        :mod:`coprod.core.speaker_matching`) unless ``matched`` gives the result already;
        suggested and unmatched names count under their transcript name with no group. Roster
        people who said nothing appear with zeros and count in the concentration figures."""
        roster = roster or Roster()
        if matched is None:
            matched = (
                match_speakers(self.names, roster, mapping) if roster.people else MatchResult()
            )
        people: dict[str, tuple[str, Group | None, list[int], list[Span]]] = {}
        for speaker in self._speakers.values():
            person = matched.person_for(speaker.name)
            name = person.name if person else speaker.name
            entry = people.setdefault(
                normalise_name(name), (name, person.group if person else None, [0, 0], [])
            )
            entry[2][0] += speaker.turns
            entry[2][1] += speaker.words
            entry[3].extend(speaker.spans)
        silent = []
        for roster_person in roster.people:
            key = normalise_name(roster_person.name)
            if key not in people:
                silent.append(roster_person.name)
                people[key] = (roster_person.name, roster_person.group, [0, 0], [])
        return _figures(list(people.values()), self, matched, tuple(silent))


def _figures(
    people: list[tuple[str, Group | None, list[int], list[Span]]],
    tally: MeetingTally,
    matched: MatchResult,
    silent: tuple[str, ...],
) -> MeetingFigures:
    timed = tally.timed
    total_words = sum(counts[1] for _, _, counts, _ in people)
    seconds = [union_length(spans) if timed else None for _, _, _, spans in people]
    total_seconds = sum((s for s in seconds if s is not None), Fraction(0))
    speakers = [
        SpeakerFigures(
            name=name,
            group=group,
            turns=counts[0],
            words=counts[1],
            seconds=secs,
            share_words=_share(counts[1], total_words),
            share_seconds=_share(secs, total_seconds) if secs is not None else None,
        )
        for (name, group, counts, _), secs in zip(people, seconds, strict=True)
    ]
    speakers.sort(key=lambda s: (-s.words, -(s.seconds or 0), normalise_name(s.name)))
    group_figures = _groups(speakers, total_words, total_seconds if timed else None)
    word_shares = [s.share_words for s in speakers if s.share_words is not None]
    confirmed_absent = {
        normalise_name(m.transcript_name) for m in matched.matches if m.person is None
    }
    return MeetingFigures(
        speakers=tuple(speakers),
        groups=group_figures,
        gini=gini([s.words for s in speakers]),
        gini_seconds=gini([s.seconds for s in speakers if s.seconds is not None])
        if timed
        else None,
        top_share=top_share(word_shares),
        top_20_share=top_share(word_shares, Fraction(1, 5)),
        silent=silent,
        unattributed_turns=tally.unattributed_turns,
        unattributed_words=tally.unattributed_words,
        unmatched=tuple(
            n
            for n in (*(s.transcript_name for s in matched.suggestions), *matched.unmatched)
            if normalise_name(n) not in confirmed_absent
        ),
        matching=matched,
    )


def analyse(
    turns: Iterable[Turn], roster: Roster | None = None, mapping: SpeakerMapping | None = None
) -> MeetingFigures:
    """Figures per person and per group for one meeting (see :meth:`MeetingTally.figures`).
    ``turns`` may be a generator: each turn is counted and let go."""
    return MeetingTally().add_all(turns).figures(roster, mapping)


def _groups(
    speakers: Sequence[SpeakerFigures], total_words: int, total_seconds: Fraction | None
) -> tuple[GroupFigures, ...]:
    if not any(s.group is not None for s in speakers):
        return ()
    order: dict[Group | None, list[SpeakerFigures]] = {}
    for speaker in speakers:
        order.setdefault(speaker.group, []).append(speaker)
    result = []
    for group, members in order.items():
        words = sum(m.words for m in members)
        secs = (
            sum((m.seconds or Fraction(0) for m in members), Fraction(0))
            if total_seconds is not None
            else None
        )
        result.append(
            GroupFigures(
                group=group,
                people=len(members),
                words=words,
                seconds=secs,
                share_words=_share(words, total_words),
                share_seconds=_share(secs, total_seconds)
                if secs is not None and total_seconds is not None
                else None,
            )
        )
    result.sort(key=lambda g: (-g.words, g.group or "~"))
    return tuple(result)


@dataclass(frozen=True)
class SeriesFigures:
    """Across a series of meetings: who is above an equal share of words in most meetings,
    and each group's share of words meeting by meeting."""

    usual_suspects: tuple[str, ...]
    above_equal: tuple[tuple[str, int], ...]
    meetings: int
    group_trend: tuple[tuple[Group | None, tuple[Fraction | None, ...]], ...]


def across(meetings: Sequence[MeetingFigures]) -> SeriesFigures:
    """The people above an equal share in more than half the meetings they could speak in."""
    above: dict[str, int] = {}
    display: dict[str, str] = {}
    for meeting in meetings:
        people = [s for s in meeting.speakers if s.share_words is not None]
        if not people:
            continue
        equal = Fraction(1, len(people))
        for speaker in people:
            key = normalise_name(speaker.name)
            display.setdefault(key, speaker.name)
            above.setdefault(key, 0)
            if speaker.share_words is not None and speaker.share_words > equal:
                above[key] += 1
    suspects = tuple(
        display[k]
        for k, n in sorted(above.items(), key=lambda kv: (-kv[1], kv[0]))
        if 2 * n > len(meetings)
    )
    group_ids: list[Group | None] = []
    for meeting in meetings:
        for g in meeting.groups:
            if g.group not in group_ids:
                group_ids.append(g.group)
    trend = tuple(
        (
            gid,
            tuple(
                next((g.share_words for g in m.groups if g.group == gid), None) for m in meetings
            ),
        )
        for gid in group_ids
    )
    return SeriesFigures(
        usual_suspects=suspects,
        above_equal=tuple(
            (display[k], n) for k, n in sorted(above.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        meetings=len(meetings),
        group_trend=trend,
    )


def _num(value: Fraction | None, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def meeting_data(figures: MeetingFigures) -> dict[str, Any]:
    """The figures as plain data (JSON's shape): what a caller keeps once the text is gone."""
    matching = figures.matching
    return {
        "speakers": [
            {
                "name": s.name,
                "group": s.group.value if s.group else None,
                "turns": s.turns,
                "words": s.words,
                "seconds": _num(s.seconds, 3),
                "share_words": _num(s.share_words),
                "share_seconds": _num(s.share_seconds),
            }
            for s in figures.speakers
        ],
        "groups": [
            {
                "group": g.group.value if g.group else None,
                "people": g.people,
                "words": g.words,
                "share_words": _num(g.share_words),
                "seconds": _num(g.seconds, 3),
                "share_seconds": _num(g.share_seconds),
            }
            for g in figures.groups
        ],
        "gini": _num(figures.gini),
        "gini_seconds": _num(figures.gini_seconds),
        "top_share": _num(figures.top_share),
        "top_20_share": _num(figures.top_20_share),
        "silent": list(figures.silent),
        "unmatched": list(figures.unmatched),
        "unattributed": {
            "turns": figures.unattributed_turns,
            "words": figures.unattributed_words,
        },
        "matching": [
            {
                "transcript_name": m.transcript_name,
                "roster_name": m.person.name if m.person else None,
                "how": m.how.value,
                "score": round(m.score, 1),
            }
            for m in matching.matches
        ],
        "suggestions": [
            {
                "transcript_name": s.transcript_name,
                "candidates": [{"name": p.name, "score": round(c, 1)} for p, c in s.candidates],
            }
            for s in matching.suggestions
        ],
    }


def series_data(series: SeriesFigures) -> dict[str, Any]:
    """The figures across meetings as plain data (JSON's shape)."""
    return {
        "meetings": series.meetings,
        "usual_suspects": list(series.usual_suspects),
        "above_equal_share": [{"name": n, "meetings": c} for n, c in series.above_equal],
        "group_trend": [
            {"group": g.value if g else None, "share_words": [_num(v) for v in shares]}
            for g, shares in series.group_trend
        ],
    }

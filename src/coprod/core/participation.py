"""Participation balance in a meeting: who is heard, by person and by stakeholder group (issue 6).

Pure arithmetic on turns a reader produced. Shares and Gini coefficients are exact fractions, so
shares sum to exactly 1 and the figures do not depend on the order of the turns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from coprod.core.ids import Group

Span = tuple[Fraction, Fraction]

_MARK = re.compile(r"^\{[^}]*\}$")
_WORDLIKE = re.compile(r"\w")


def count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit; ``{marks}`` such as AMI's are not
    words, nor is punctuation standing alone."""
    return sum(1 for token in text.split() if _WORDLIKE.search(token) and not _MARK.match(token))


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


def merge_consecutive(turns: Iterable[Turn]) -> list[Turn]:
    """Join consecutive turns (cues) by the same named speaker into one turn."""
    merged: list[Turn] = []
    for turn in turns:
        if merged and _same_speaker(merged[-1].speaker, turn.speaker):
            last = merged[-1]
            starts = [t for t in (last.start, turn.start) if t is not None]
            ends = [t for t in (last.end, turn.end) if t is not None]
            merged[-1] = Turn(
                speaker=last.speaker,
                start=min(starts) if starts else None,
                end=max(ends) if ends else None,
                text=f"{last.text} {turn.text}".strip(),
                line=last.line,
                spans=_spans(last) + _spans(turn),
            )
        else:
            merged.append(
                Turn(turn.speaker, turn.start, turn.end, turn.text, turn.line, _spans(turn))
            )
    return merged


def _spans(turn: Turn) -> tuple[Span, ...]:
    if turn.spans:
        return turn.spans
    if turn.start is not None and turn.end is not None:
        return ((turn.start, turn.end),)
    return ()


def normalise_name(name: str) -> str:
    """Case and spacing do not distinguish names."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class RosterPerson:
    name: str
    group: Group | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Roster:
    people: tuple[RosterPerson, ...] = ()

    def match(self, speaker: str) -> RosterPerson | None:
        """The roster person whose name or alias equals ``speaker``, ignoring case and spacing."""
        wanted = normalise_name(speaker)
        for person in self.people:
            if wanted in {normalise_name(n) for n in (person.name, *person.aliases)}:
                return person
        return None


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
    speakers: tuple[SpeakerFigures, ...]
    groups: tuple[GroupFigures, ...]
    gini: Fraction | None
    gini_seconds: Fraction | None
    top_share: Fraction | None
    top_20_share: Fraction | None
    silent: tuple[str, ...]
    unattributed_turns: int = 0
    unattributed_words: int = 0
    unmatched: tuple[str, ...] = field(default=())


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


def analyse(turns: Iterable[Turn], roster: Roster | None = None) -> MeetingFigures:
    """Figures per person and per group for one meeting. Turns without a speaker are counted
    apart as unattributed. Roster people who said nothing appear with zeros and count in the
    concentration figures."""
    roster = roster or Roster()
    merged = merge_consecutive(turns)
    timed = bool(merged) and all(t.seconds is not None for t in merged)
    names: dict[str, str] = {}
    groups: dict[str, Group | None] = {}
    counts: dict[str, list[int]] = {}
    spans: dict[str, list[Span]] = {}
    unmatched: list[str] = []
    unattributed_turns = unattributed_words = 0
    for turn in merged:
        if turn.speaker is None or not turn.speaker.strip():
            unattributed_turns += 1
            unattributed_words += count_words(turn.text)
            continue
        person = roster.match(turn.speaker) if roster.people else None
        name = person.name if person else " ".join(turn.speaker.split())
        key = normalise_name(name)
        if key not in names:
            names[key] = name
            groups[key] = person.group if person else None
            counts[key] = [0, 0]
            spans[key] = []
            if roster.people and person is None:
                unmatched.append(name)
        counts[key][0] += 1
        counts[key][1] += count_words(turn.text)
        spans[key].extend(_spans(turn))
    silent = []
    for person in roster.people:
        key = normalise_name(person.name)
        if key not in names:
            silent.append(person.name)
            names[key], groups[key], counts[key], spans[key] = person.name, person.group, [0, 0], []
    total_words = sum(c[1] for c in counts.values())
    seconds = {k: union_length(s) for k, s in spans.items()} if timed else {}
    total_seconds = sum(seconds.values(), Fraction(0))
    speakers = []
    for key, name in names.items():
        secs = seconds.get(key) if timed else None
        speakers.append(
            SpeakerFigures(
                name=name,
                group=groups[key],
                turns=counts[key][0],
                words=counts[key][1],
                seconds=secs,
                share_words=_share(counts[key][1], total_words),
                share_seconds=_share(secs, total_seconds) if secs is not None else None,
            )
        )
    speakers.sort(key=lambda s: (-s.words, -(s.seconds or 0), normalise_name(s.name)))
    group_figures = _groups(speakers, total_words, total_seconds if timed else None)
    word_shares = [s.share_words for s in speakers if s.share_words is not None]
    return MeetingFigures(
        speakers=tuple(speakers),
        groups=group_figures,
        gini=gini([s.words for s in speakers]),
        gini_seconds=gini([s.seconds for s in speakers if s.seconds is not None])
        if timed
        else None,
        top_share=top_share(word_shares),
        top_20_share=top_share(word_shares, Fraction(1, 5)),
        silent=tuple(silent),
        unattributed_turns=unattributed_turns,
        unattributed_words=unattributed_words,
        unmatched=tuple(unmatched),
    )


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

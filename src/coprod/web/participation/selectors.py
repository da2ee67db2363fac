"""Reads. Each runs a fixed number of queries, whatever the number of meetings or people.

The stored figures are turned back into the core's :class:`MeetingFigures`, and every flag and
trend is the core's (:func:`coprod.core.participation.across`,
:mod:`coprod.core.participation_flags`). What this module adds is who may see which name:
the team sees names; everyone else sees "Person A", "Person B"… and a partner sees "You".
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from coprod.core.ids import Group
from coprod.core.participation import (
    GroupFigures,
    MeetingFigures,
    SeriesFigures,
    SpeakerFigures,
    across,
)
from coprod.core.participation_flags import (
    SOURCE,
    GroupBalance,
    UnderHeard,
    few_hold_most,
    group_balance,
    under_heard,
)
from coprod.web.participation.labels import group_label
from coprod.web.participation.models import (
    GroupFigure,
    MeetingBalance,
    SpeakerFigure,
    SpeakerName,
)
from coprod.web.participation.permissions import participation_permissions
from coprod.web.people.models import Activity
from coprod.web.projects.models import Project

# --- The stored figures as the core's ---------------------------------------------------------


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def speaker_key(row: SpeakerFigure) -> str:
    """Who a row is, across meetings: the roster person, or the name of someone not on it."""
    if row.stakeholder_id is not None:
        return f"stakeholder:{row.stakeholder_id}"
    return f"name:{' '.join(row.name.split()).casefold()}"


def figures_of(
    meeting: MeetingBalance, speakers: Sequence[SpeakerFigure], groups: Sequence[GroupFigure]
) -> MeetingFigures:
    """The core's figures for a stored meeting; speakers are named by :func:`speaker_key`, so
    no name is needed to work out flags and trends."""
    total = meeting.words

    def share(words: int) -> Fraction | None:
        return Fraction(words, total) if total else None

    return MeetingFigures(
        speakers=tuple(
            SpeakerFigures(
                name=speaker_key(row),
                group=Group(row.group) if row.group else None,
                turns=row.turns,
                words=row.words,
                seconds=_fraction(row.seconds),
                share_words=share(row.words),
                share_seconds=_fraction(row.share_seconds),
            )
            for row in speakers
        ),
        groups=tuple(
            GroupFigures(
                group=Group(row.group) if row.group else None,
                people=row.people,
                words=row.words,
                seconds=_fraction(row.seconds),
                share_words=share(row.words),
                share_seconds=_fraction(row.share_seconds),
            )
            for row in groups
        ),
        gini=_fraction(meeting.gini),
        gini_seconds=_fraction(meeting.gini_seconds),
        top_share=_fraction(meeting.top_share),
        top_20_share=_fraction(meeting.top_20_share),
        silent=tuple(speaker_key(row) for row in speakers if row.silent),
        unattributed_turns=meeting.unattributed_turns,
        unattributed_words=meeting.unattributed_words,
    )


# --- Names, or "Person A" ----------------------------------------------------------------------


def letter(index: int) -> str:
    """A, B, … Z, AA, AB, …"""
    letters = string.ascii_uppercase
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = letters[rest] + text
    return text


def person_name(row: SpeakerFigure) -> str:
    if row.stakeholder is not None:
        return row.stakeholder.name
    return row.name or _("Someone not on the roster")


@dataclass
class Labeller:
    """Gives each person a label this user may see, the same one every time it is asked."""

    names: bool
    user_id: int | None
    given: dict[str, str] = field(default_factory=dict)

    def __call__(self, row: SpeakerFigure) -> str:
        if self.names:
            return person_name(row)
        if row.stakeholder is not None and row.stakeholder.user_id == self.user_id:
            return _("You")
        key = speaker_key(row)
        if key not in self.given:
            self.given[key] = _("Person %(letter)s") % {"letter": letter(len(self.given))}
        return self.given[key]


# --- One meeting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    label: str
    group: str  # blank unless the user may see names
    on_roster: bool
    turns: int
    words: int
    seconds: Decimal | None
    share_words: Fraction | None
    share_seconds: Fraction | None
    confirmed: bool
    is_you: bool


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    people: int
    words: int
    seconds: Decimal | None
    share_words: Fraction | None
    share_seconds: Fraction | None
    share_present: Fraction | None
    under: bool


@dataclass(frozen=True)
class MeetingView:
    activity: Activity
    meeting: MeetingBalance
    figures: MeetingFigures
    people: list[PersonRow]
    groups: list[GroupRow]
    silent: list[str]  # names, for the team only
    silent_count: int
    present: int
    few: tuple[int, Fraction] | None
    names: bool


def _group_rows(groups: Sequence[GroupFigure], figures: MeetingFigures) -> list[GroupRow]:
    balance: dict[Group | None, GroupBalance] = {b.group: b for b in group_balance(figures)}
    rows = []
    for row, core in zip(groups, figures.groups, strict=True):
        found = balance.get(core.group)
        rows.append(
            GroupRow(
                group=row.group,
                label=group_label(row.group) or _("Group not known"),
                people=row.people,
                words=row.words,
                seconds=row.seconds,
                share_words=core.share_words,
                share_seconds=core.share_seconds,
                share_present=found.share_present if found else None,
                under=bool(found and found.under and core.group is not None),
            )
        )
    return rows


def meeting_view(*, project: Project, user: Any, activity_id: int) -> MeetingView | None:
    """One analysed meeting as this user may see it; None when it has not been analysed (three
    queries)."""
    meeting = (
        MeetingBalance.objects.filter(project=project, activity_id=activity_id)
        .select_related("activity")
        .first()
    )
    if meeting is None:
        return None
    speakers = list(SpeakerFigure.objects.filter(meeting=meeting).select_related("stakeholder"))
    groups = list(GroupFigure.objects.filter(meeting=meeting))
    figures = figures_of(meeting, speakers, groups)
    names = participation_permissions(user, project)["participation.view_names"]
    label = Labeller(names, user.pk)
    people = [
        PersonRow(
            label=label(row),
            group=row.group if names else "",
            on_roster=row.stakeholder_id is not None,
            turns=row.turns,
            words=row.words,
            seconds=row.seconds,
            share_words=core.share_words,
            share_seconds=core.share_seconds,
            confirmed=row.confirmed,
            is_you=row.stakeholder is not None and row.stakeholder.user_id == user.pk,
        )
        for row, core in zip(speakers, figures.speakers, strict=True)
        if names or not row.silent
    ]
    silent = [person_name(row) for row in speakers if row.silent]
    return MeetingView(
        activity=meeting.activity,
        meeting=meeting,
        figures=figures,
        people=people,
        groups=_group_rows(groups, figures),
        silent=silent if names else [],
        silent_count=len(silent),
        present=len(speakers),
        few=few_hold_most(figures),
        names=names,
    )


# --- Across meetings ----------------------------------------------------------------------------


def _meetings(project: Project) -> QuerySet[MeetingBalance]:
    return (
        MeetingBalance.objects.filter(project=project)
        .select_related("activity")
        .prefetch_related(
            Prefetch(
                "speakers",
                queryset=SpeakerFigure.objects.select_related("stakeholder").order_by("position"),
            ),
            Prefetch("groups", queryset=GroupFigure.objects.order_by("position")),
        )
        .order_by("activity__date", "activity_id")
    )


@dataclass(frozen=True)
class MeetingLine:
    meeting: MeetingBalance
    activity: Activity
    figures: MeetingFigures
    few: tuple[int, Fraction] | None
    under: list[str]  # group labels heard below their presence at this meeting


@dataclass(frozen=True)
class Suspect:
    label: str
    above: int
    meetings: int
    is_you: bool


@dataclass(frozen=True)
class TrendRow:
    group: str
    label: str
    shares: list[Fraction | None]
    present: list[Fraction | None]

    @property
    def cells(self) -> list[tuple[Fraction | None, Fraction | None]]:
        return list(zip(self.shares, self.present, strict=True))


@dataclass(frozen=True)
class SilentRow:
    name: str
    silent: int
    attended: int


@dataclass(frozen=True)
class Overview:
    meetings: list[MeetingLine]
    series: SeriesFigures
    suspects: list[Suspect]
    above_equal: list[Suspect]
    trend: list[TrendRow]
    under_heard: list[tuple[str, UnderHeard]]
    silent: list[SilentRow]
    names: bool
    to_confirm: int


def overview(*, project: Project, user: Any) -> Overview:
    """Every analysed meeting of the project, the trend of each group, the usual suspects and
    who attended but said nothing (four queries, whatever the number of meetings)."""
    meetings = list(_meetings(project))
    names = participation_permissions(user, project)["participation.view_names"]
    label = Labeller(names, user.pk)
    rows: dict[str, SpeakerFigure] = {}
    silent: dict[str, list[int]] = {}
    lines = []
    for meeting in meetings:
        speakers = list(meeting.speakers.all())
        figures = figures_of(meeting, speakers, list(meeting.groups.all()))
        for row in speakers:
            key = speaker_key(row)
            rows.setdefault(key, row)
            counts = silent.setdefault(key, [0, 0])
            counts[0] += int(row.silent)
            counts[1] += 1
        lines.append(
            MeetingLine(
                meeting=meeting,
                activity=meeting.activity,
                figures=figures,
                few=few_hold_most(figures),
                under=[
                    group_label(b.group.value)
                    for b in group_balance(figures)
                    if b.group is not None and b.under
                ],
            )
        )
    all_figures = [line.figures for line in lines]
    series = across(all_figures)

    def suspect(key: str, count: int) -> Suspect:
        row = rows[key]
        return Suspect(
            label=label(row),
            above=count,
            meetings=series.meetings,
            is_you=row.stakeholder is not None and row.stakeholder.user_id == user.pk,
        )

    pairs = [(key, count) for key, count in series.above_equal if count]
    above = [suspect(key, count) for key, count in pairs]
    usual = set(series.usual_suspects)
    suspects = [s for (key, _count), s in zip(pairs, above, strict=True) if key in usual]
    present_by_group: dict[Group | None, list[Fraction | None]] = {}
    for index, figures in enumerate(all_figures):
        for balance in group_balance(figures):
            present_by_group.setdefault(balance.group, [None] * len(all_figures))[index] = (
                balance.share_present
            )
    trend = [
        TrendRow(
            group=group.value if group else "",
            label=group_label(group.value) if group else _("Group not known"),
            shares=list(shares),
            present=present_by_group.get(group, [None] * len(all_figures)),
        )
        for group, shares in series.group_trend
    ]
    flagged = [(group_label(u.group.value), u) for u in under_heard(all_figures)]
    silent_rows = (
        [
            SilentRow(person_name(rows[key]), counts[0], counts[1])
            for key, counts in silent.items()
            if counts[0]
        ]
        if names
        else []
    )
    silent_rows.sort(key=lambda r: (-r.silent, r.name))
    return Overview(
        meetings=lines,
        series=series,
        suspects=suspects,
        above_equal=above,
        trend=trend,
        under_heard=flagged,
        silent=silent_rows,
        names=names,
        to_confirm=sum(m.to_confirm for m in meetings),
    )


# --- For the project's overview -----------------------------------------------------------------


@dataclass(frozen=True)
class DashboardSummary:
    meetings: int
    under_heard: list[tuple[str, UnderHeard]]
    to_confirm: int
    may_change: bool
    source: Any


def dashboard_summary(project: Project, *, user: Any) -> DashboardSummary:
    """What the project's overview shows: how many meetings are analysed, any group heard less
    than its presence in most of them (the core's :func:`under_heard`), and names waiting (two
    queries)."""
    meetings = list(
        MeetingBalance.objects.filter(project=project).prefetch_related(
            Prefetch("groups", queryset=GroupFigure.objects.order_by("position"))
        )
    )
    all_figures = [figures_of(m, [], list(m.groups.all())) for m in meetings]
    flagged = [(group_label(u.group.value), u) for u in under_heard(all_figures)]
    may_change = participation_permissions(user, project)["participation.change"]
    return DashboardSummary(
        meetings=len(meetings),
        under_heard=flagged,
        to_confirm=sum(m.to_confirm for m in meetings) if may_change else 0,
        may_change=may_change,
        source=SOURCE,
    )


# --- For the team's pages -----------------------------------------------------------------------


def unanalysed_activities(*, project: Project) -> list[Activity]:
    """The project's activities with no analysed transcript, newest first (one query)."""
    return list(
        Activity.objects.filter(project=project, participation__isnull=True).order_by(
            "-date", "-id"
        )
    )


def speaker_names(*, project: Project) -> list[SpeakerName]:
    return list(
        SpeakerName.objects.filter(project=project)
        .select_related("stakeholder", "confirmed_by")
        .order_by("key")
    )


# --- Confirming speakers ------------------------------------------------------------------------


@dataclass(frozen=True)
class NameRow:
    """A transcript name on the confirming page, with what Coprod suggests."""

    name: str
    person: str  # a stakeholder id, "none" (not on the roster), or "" (nobody suggested)
    group: str
    how: str  # confirmed, exact, alias, first_name, fuzzy, suggestion, unmatched
    score: float
    candidates: list[tuple[str, float]]
    needs_answer: bool


def confirm_rows(*, meeting: MeetingBalance) -> tuple[list[NameRow], list[Any]]:
    """Every name in the meeting's transcripts with Coprod's suggestion, those needing a person
    first; and the roster people to choose from (four queries)."""
    from coprod.core.participation import normalise_name
    from coprod.core.speaker_matching import How, match_speakers
    from coprod.web.participation.services import confirmed_names, roster_index

    project = meeting.project
    index = roster_index(project)
    confirmed = confirmed_names(project)
    names: list[str] = []
    seen: set[str] = set()
    for transcript in meeting.transcripts.all().only("speakers"):
        for name in transcript.speakers:
            if normalise_name(name) not in seen:
                seen.add(normalise_name(name))
                names.append(name)
    matched = match_speakers(names, index.roster, confirmed.mapping)

    def person_id(name: str) -> str:
        stakeholder = index.stakeholder_of.get(normalise_name(name))
        return str(stakeholder.pk) if stakeholder else ""

    rows: list[NameRow] = []
    for match in matched.matches:
        group = confirmed.groups.get(normalise_name(match.transcript_name), "")
        rows.append(
            NameRow(
                name=match.transcript_name,
                person=person_id(match.person.name) if match.person else "none",
                group=group if match.person is None else "",
                how=match.how.value,
                score=match.score,
                candidates=[],
                needs_answer=match.how in (How.first_name, How.fuzzy),
            )
        )
    for suggestion in matched.suggestions:
        rows.append(
            NameRow(
                name=suggestion.transcript_name,
                person=person_id(suggestion.candidates[0][0].name),
                group="",
                how="suggestion",
                score=suggestion.candidates[0][1],
                candidates=[(p.name, score) for p, score in suggestion.candidates],
                needs_answer=True,
            )
        )
    for name in matched.unmatched:
        rows.append(NameRow(name, "", "", "unmatched", 0.0, [], True))
    rows.sort(key=lambda r: not r.needs_answer)
    people = sorted(index.people, key=lambda s: (s.group, s.name.casefold()))
    return rows, people

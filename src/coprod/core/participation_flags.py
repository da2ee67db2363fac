"""Flags on a meeting's participation figures: who holds most of the words, and which stakeholder
group is heard less than its presence (issue 6, SPEC C8).

Table 1 of the paper warns, at the stage of developing mixed research teams, that "'Usual
suspects' can take over, where coproductive discussions are dominated by certain individuals"
(:data:`SOURCE`). These rules turn a meeting's figures (:class:`MeetingFigures`, from
:mod:`coprod.core.participation`) into what a facilitator can act on:

- :func:`few_hold_most`: the fewest people who between them spoke more than half of the words;
- :func:`group_balance`: each group's share of the words beside its share of the people present;
- :func:`under_heard`: a group whose share of the words was below its share of those present in
  most of the meetings it attended (more than half of them, and at least :data:`MIN_MEETINGS`).

Everything is an exact fraction; no text is produced here, so the words shown to people can be
translated by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from coprod.core.ids import Group
from coprod.core.participation import MeetingFigures
from coprod.core.sources import Source

__all__ = [
    "MIN_MEETINGS",
    "SOURCE",
    "GroupBalance",
    "UnderHeard",
    "few_hold_most",
    "group_balance",
    "under_heard",
]

SOURCE = Source(
    document="oliver2019",
    locator="Table 1 (developing mixed research teams)",
    quote=(
        "'Usual suspects' can take over, where coproductive discussions are dominated by certain "
        "individuals"
    ),
)

# "Consistently" needs more than one meeting: a single meeting is flagged on its own page only.
MIN_MEETINGS = 2


def few_hold_most(figures: MeetingFigures) -> tuple[int, Fraction] | None:
    """The fewest people who spoke more than half of the words, and their share together.
    None when nobody spoke a word."""
    shares = sorted((s.share_words for s in figures.speakers if s.share_words), reverse=True)
    held = Fraction(0)
    for count, share in enumerate(shares, start=1):
        held += share
        if 2 * held > 1:
            return count, held
    return None


@dataclass(frozen=True)
class GroupBalance:
    """One group in one meeting. ``group`` is None for people whose group is not known.
    ``under`` when the group's share of the words is below its share of those present."""

    group: Group | None
    people: int
    share_words: Fraction
    share_present: Fraction

    @property
    def under(self) -> bool:
        return self.share_words < self.share_present


def group_balance(figures: MeetingFigures) -> tuple[GroupBalance, ...]:
    """Each group's share of the words beside its share of the people present (everyone in the
    figures: those who spoke and those on the roster who attended and said nothing). Empty when
    no group is known or nobody spoke."""
    present = sum(g.people for g in figures.groups)
    if not present or not any(g.share_words is not None for g in figures.groups):
        return ()
    return tuple(
        GroupBalance(
            group=g.group,
            people=g.people,
            share_words=g.share_words or Fraction(0),
            share_present=Fraction(g.people, present),
        )
        for g in figures.groups
    )


@dataclass(frozen=True)
class UnderHeard:
    """A group heard less than its presence in ``under`` of the ``meetings`` it attended."""

    group: Group
    under: int
    meetings: int


def under_heard(meetings: Sequence[MeetingFigures]) -> tuple[UnderHeard, ...]:
    """The known groups whose share of the words was below their share of those present in more
    than half of the meetings they attended, and in at least :data:`MIN_MEETINGS` of them;
    most consistently under-heard first."""
    attended: dict[Group, int] = {}
    under: dict[Group, int] = {}
    for meeting in meetings:
        for balance in group_balance(meeting):
            if balance.group is None:
                continue
            attended[balance.group] = attended.get(balance.group, 0) + 1
            under[balance.group] = under.get(balance.group, 0) + int(balance.under)
    flagged = [
        UnderHeard(group, under[group], attended[group])
        for group in attended
        if under[group] >= MIN_MEETINGS and 2 * under[group] > attended[group]
    ]
    return tuple(
        sorted(flagged, key=lambda u: (-Fraction(u.under, u.meetings), -u.under, u.group.value))
    )

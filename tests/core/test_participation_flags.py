"""Flags on participation figures: the few who hold most words, the groups heard least."""

from __future__ import annotations

import re
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from coprod.core.ids import Group
from coprod.core.participation import MeetingFigures, Roster, RosterPerson, Turn, analyse
from coprod.core.participation_flags import (
    MIN_MEETINGS,
    SOURCE,
    few_hold_most,
    group_balance,
    under_heard,
)
from tests.conftest import ROOT

PAPER = ROOT / "tests" / "data" / "oliver-kothari-mays-2019.txt"

ROSTER = Roster(
    (
        RosterPerson("Ann Lee", Group.RESEARCHERS),
        RosterPerson("Bob Hart", Group.RESEARCHERS),
        RosterPerson("Cat Moss", Group.PATIENTS_PUBLIC),
        RosterPerson("Dan Ode", Group.PATIENTS_PUBLIC),
    )
)


def meeting(words: dict[str, int], roster: Roster = ROSTER) -> MeetingFigures:
    turns = [Turn(name, None, None, "", word_count=n) for name, n in words.items()]
    return analyse(turns, roster)


def test_source_is_the_papers_own_words() -> None:
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("’", "'")).casefold()

    assert SOURCE.quote is not None
    assert norm(SOURCE.quote) in norm(PAPER.read_text(encoding="utf-8"))
    assert SOURCE.locator.startswith("Table 1")


def test_few_hold_most_counts_the_fewest_people_past_half() -> None:
    figures = meeting({"Ann Lee": 70, "Bob Hart": 20, "Cat Moss": 6, "Dan Ode": 4})
    assert few_hold_most(figures) == (1, Fraction(70, 100))
    figures = meeting({"Ann Lee": 40, "Bob Hart": 30, "Cat Moss": 20, "Dan Ode": 10})
    assert few_hold_most(figures) == (2, Fraction(70, 100))
    # Exactly half is not more than half.
    figures = meeting({"Ann Lee": 50, "Bob Hart": 50})
    assert few_hold_most(figures) == (2, Fraction(1))


def test_few_hold_most_is_none_without_words() -> None:
    assert few_hold_most(meeting({})) is None


def test_group_balance_sets_words_beside_presence() -> None:
    # Everyone on the roster is present; the patients speak 10 of 100 words but are half the room.
    figures = meeting({"Ann Lee": 60, "Bob Hart": 30, "Cat Moss": 10})
    balance = {b.group: b for b in group_balance(figures)}
    assert balance[Group.PATIENTS_PUBLIC].share_words == Fraction(1, 10)
    assert balance[Group.PATIENTS_PUBLIC].share_present == Fraction(1, 2)
    assert balance[Group.PATIENTS_PUBLIC].under
    assert not balance[Group.RESEARCHERS].under
    assert sum(b.share_present for b in balance.values()) == 1


def test_group_balance_is_empty_without_groups() -> None:
    assert group_balance(meeting({"Zed": 5}, Roster())) == ()


def test_a_group_under_in_most_meetings_is_flagged() -> None:
    quiet = meeting({"Ann Lee": 60, "Bob Hart": 30, "Cat Moss": 10})
    fair = meeting({"Ann Lee": 20, "Bob Hart": 20, "Cat Moss": 30, "Dan Ode": 30})
    flagged = under_heard([quiet, quiet, fair])
    assert [(u.group, u.under, u.meetings) for u in flagged] == [(Group.PATIENTS_PUBLIC, 2, 3)]
    # Under in half the meetings only: not "most".
    assert under_heard([quiet, quiet, fair, fair]) == ()


def test_one_meeting_is_never_consistent() -> None:
    quiet = meeting({"Ann Lee": 60, "Bob Hart": 30, "Cat Moss": 10})
    assert MIN_MEETINGS == 2
    assert under_heard([quiet]) == ()
    assert under_heard([quiet, quiet])[0].group is Group.PATIENTS_PUBLIC


words = st.integers(min_value=0, max_value=500)


@st.composite
def meetings(draw: st.DrawFn) -> list[MeetingFigures]:
    count = draw(st.integers(min_value=0, max_value=6))
    return [
        meeting({p.name: draw(words) for p in ROSTER.people if draw(st.booleans())})
        for _ in range(count)
    ]


@given(meetings(), st.randoms())
def test_order_of_meetings_does_not_matter(series: list[MeetingFigures], rnd: object) -> None:
    shuffled = list(series)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert set(under_heard(series)) == set(under_heard(shuffled))


@given(meetings())
def test_a_flagged_group_was_under_in_most_of_its_meetings(series: list[MeetingFigures]) -> None:
    for flag in under_heard(series):
        balances = [
            b for m in series for b in group_balance(m) if b.group is flag.group and b.under
        ]
        assert len(balances) == flag.under
        assert 2 * flag.under > flag.meetings >= flag.under >= MIN_MEETINGS


@given(st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=8))
def test_few_hold_most_holds_more_than_half(counts: list[int]) -> None:
    roster = Roster(tuple(RosterPerson(f"P{i}", Group.OTHER) for i in range(len(counts))))
    figures = meeting({f"P{i}": n for i, n in enumerate(counts)}, roster)
    result = few_hold_most(figures)
    assert result is not None
    people, held = result
    ordered = sorted(counts, reverse=True)
    assert held == Fraction(sum(ordered[:people]), sum(counts))
    assert 2 * held > 1
    # One person fewer would not be enough.
    assert 2 * Fraction(sum(ordered[: people - 1]), sum(counts)) <= 1

"""The participation figures: shares, Gini coefficients, groups, the roster, across meetings."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.core.ids import Group
from coprod.core.participation import (
    Roster,
    RosterPerson,
    Turn,
    across,
    analyse,
    count_words,
    discard_text,
    gini,
    meeting_data,
    merge_consecutive,
    top_share,
    union_length,
)


def t(speaker: str | None, text: str, start: float | None = None, end: float | None = None) -> Turn:
    return Turn(
        speaker,
        None if start is None else Fraction(str(start)),
        None if end is None else Fraction(str(end)),
        text,
    )


def test_count_words_skips_marks_and_punctuation() -> None:
    assert count_words("{vocalsound} Are we {disfmarker} we're not ?") == 4


def test_gini_known_values() -> None:
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 4]) == Fraction(3, 4)
    assert gini([1, 3]) == Fraction(1, 4)
    assert gini([]) is None
    assert gini([0, 0]) is None


def test_union_length_counts_overlap_once() -> None:
    assert union_length([(Fraction(0), Fraction(2)), (Fraction(1), Fraction(3))]) == 3
    assert union_length([(Fraction(5), Fraction(6)), (Fraction(0), Fraction(1))]) == 2


def test_consecutive_cues_by_one_speaker_are_one_turn() -> None:
    merged = merge_consecutive(
        [t("Ann", "a", 0, 1), t("ann ", "b", 1, 2), t("Bob", "c", 2, 3), t("Ann", "d", 3, 4)]
    )
    assert [(m.speaker, m.text) for m in merged] == [("Ann", "a b"), ("Bob", "c"), ("Ann", "d")]
    assert merged[0].seconds == 2


def test_figures_per_person_and_group_with_roster() -> None:
    roster = Roster(
        (
            RosterPerson("Ann Lee", Group.PATIENTS_PUBLIC, ("Ann",)),
            RosterPerson("Dr Bob Smith", Group.RESEARCHERS, ("Bob",)),
            RosterPerson("Cy", Group.PATIENTS_PUBLIC),
        )
    )
    turns = [
        t("ANN", "one two three", 0, 3),
        t("bob", "one", 3, 4),
        t("Ann", "four", 4, 5),
        t(None, "who said this", 5, 6),
        t("Zed", "hello there", 6, 8),
    ]
    figures = analyse(turns, roster)
    by_name = {s.name: s for s in figures.speakers}
    assert by_name["Ann Lee"].words == 4 and by_name["Ann Lee"].turns == 2
    assert by_name["Ann Lee"].seconds == 4
    assert by_name["Ann Lee"].share_words == Fraction(4, 7)
    assert by_name["Cy"].words == 0 and by_name["Cy"].share_words == 0
    assert figures.silent == ("Cy",)
    assert figures.unmatched == ("Zed",)
    assert figures.unattributed_turns == 1 and figures.unattributed_words == 3
    groups = {g.group: g for g in figures.groups}
    assert groups[Group.PATIENTS_PUBLIC].words == 4
    assert groups[Group.PATIENTS_PUBLIC].share_seconds == Fraction(4, 7)
    assert groups[None].words == 2
    assert figures.top_share == Fraction(4, 7)
    assert figures.gini == gini([4, 1, 0, 2])


def test_no_times_gives_no_seconds() -> None:
    figures = analyse([t("A", "x y"), t("B", "z")])
    assert all(s.seconds is None and s.share_seconds is None for s in figures.speakers)
    assert figures.gini_seconds is None
    assert figures.groups == ()


def test_top_twenty_percent() -> None:
    shares = [Fraction(n, 15) for n in (5, 4, 3, 2, 1)]
    assert top_share(shares, Fraction(1, 5)) == Fraction(5, 15)
    assert top_share([*shares, Fraction(0)], Fraction(1, 5)) == Fraction(9, 15)


def test_across_finds_the_usual_suspects() -> None:
    meetings = [
        analyse([t("A", "a b c d"), t("B", "x"), t("C", "y")]),
        analyse([t("A", "a b c d"), t("B", "x y z w v"), t("C", "y")]),
        analyse([t("A", "a b c d"), t("B", "x"), t("C", "y")]),
    ]
    series = across(meetings)
    assert series.usual_suspects == ("A",)
    assert dict(series.above_equal) == {"A": 3, "B": 1, "C": 0}


names = st.sampled_from(["Ann", "Bob", "Cy", "Dee", "Eve"])
turn_lists = st.lists(
    st.builds(
        lambda name, words, start, length: t(name, " ".join(["w"] * words), start, start + length),
        names,
        st.integers(min_value=0, max_value=30),
        st.integers(min_value=0, max_value=500),
        st.integers(min_value=1, max_value=20),
    ),
    min_size=1,
    max_size=40,
)


@settings(deadline=None)
@given(turn_lists)
def test_shares_sum_to_one_and_gini_in_range(turns: list[Turn]) -> None:
    figures = analyse(turns)
    words = [s.share_words for s in figures.speakers]
    if all(w is not None for w in words):
        assert sum(w for w in words if w is not None) == 1
        assert figures.gini is not None and 0 <= figures.gini < 1
    seconds = [s.share_seconds for s in figures.speakers]
    assert sum(s for s in seconds if s is not None) == 1
    assert figures.gini_seconds is not None and 0 <= figures.gini_seconds < 1


@settings(deadline=None)
@given(turn_lists, st.randoms(use_true_random=False))
def test_figures_do_not_depend_on_turn_order(turns: list[Turn], rnd: random.Random) -> None:
    shuffled = list(turns)
    rnd.shuffle(shuffled)
    a, b = analyse(turns), analyse(shuffled)
    assert {s.name: s.words for s in a.speakers} == {s.name: s.words for s in b.speakers}
    assert a.gini == b.gini and a.top_share == b.top_share
    assert {s.name: s.seconds for s in a.speakers} == {s.name: s.seconds for s in b.speakers}


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=1000))
def test_gini_is_zero_when_all_equal(people: int, value: int) -> None:
    assert gini([value] * people) == 0


def test_a_turn_without_its_text_keeps_its_figures() -> None:
    turn = t("Ann", "{vocalsound} three real words", 0, 2)
    bare = turn.without_text()
    assert bare.text == "" and bare.words == 3 and bare.seconds == 2
    merged = merge_consecutive([bare, t("Ann", "and two", 2, 3).without_text()])
    assert merged[0].words == 5 and merged[0].text == ""


@settings(deadline=None)
@given(turn_lists)
def test_figures_are_the_same_without_the_text(turns: list[Turn]) -> None:
    assert meeting_data(analyse(discard_text(turns))) == meeting_data(analyse(turns))


@settings(deadline=None)
@given(turn_lists)
def test_turns_count_runs_of_one_speaker(turns: list[Turn]) -> None:
    """Counting cue by cue (streaming) gives the turns that merging the whole list gives."""
    merged = merge_consecutive(turns)
    expected: dict[str, int] = {}
    for turn in merged:
        assert turn.speaker is not None
        expected[turn.speaker] = expected.get(turn.speaker, 0) + 1
    assert {s.name: s.turns for s in analyse(iter(turns)).speakers} == expected


def test_analyse_takes_a_generator_and_keeps_no_text() -> None:
    said = "a secret nobody should keep"

    def turns() -> Iterator[Turn]:
        for i in range(1000):
            yield t("Ann" if i % 3 else "Bob", said, i, i + 1)

    figures = analyse(turns())
    assert said not in repr(figures)
    assert {s.name: s.words for s in figures.speakers} == {"Ann": 666 * 5, "Bob": 334 * 5}


@settings(deadline=None)
@given(st.lists(st.sampled_from(["word", "{mark}", "?", "it's", "x1", "—", "{a", "é", ".,"])))
def test_count_words_agrees_with_its_definition(tokens: list[str]) -> None:
    text = " ".join(tokens)
    expected = sum(
        1
        for tok in tokens
        if any(ch.isalnum() or ch == "_" for ch in tok) and not (tok[0] == "{" and tok[-1] == "}")
    )
    assert count_words(text) == expected

"""Matching transcript names to the roster: titles, post-nominals, tags, order, first names,
near spellings, and a confirmed mapping applied first."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.core.ids import Group
from coprod.core.participation import Turn, analyse
from coprod.core.speaker_matching import (
    MATCH_AT,
    How,
    Roster,
    RosterPerson,
    SpeakerMapping,
    clean_name,
    match_speakers,
    proposals,
)

ANN = RosterPerson("Ann Lee", Group.PATIENTS_PUBLIC)
ANNA = RosterPerson("Anna Jones", Group.RESEARCHERS)
BOB = RosterPerson("Robert Smith", Group.PRACTITIONERS, ("Bob Smith",))
ZOE = RosterPerson("Zoë Ó Briain", Group.POLICY_MAKERS)
ROSTER = Roster((ANN, ANNA, BOB, ZOE))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Dr. Ann Lee (she/her)", "ann lee"),
        ("Lee, Ann [External]", "ann lee"),
        ("Ann Lee, PhD, MP", "ann lee"),
        ("Cllr Ann  LEE OBE", "ann lee"),
        ("Prof Zoe O Briain AM", "zoe o briain"),
        ("Mrs. Mary-Jane O'Neil (Guest)", "mary jane oneil"),
        ("Am Smith", "am smith"),  # a post-nominal at the front is a first name
        ("Dr", "dr"),  # a name that is only a title keeps it
    ],
)
def test_clean_name(name: str, key: str) -> None:
    assert clean_name(name) == key


def _how(name: str, roster: Roster = ROSTER, mapping: SpeakerMapping | None = None) -> object:
    result = match_speakers([name], roster, mapping)
    if result.matches:
        match = result.matches[0]
        return (match.person.name if match.person else None, match.how)
    if result.suggestions:
        return ("suggest", tuple(p.name for p, _ in result.suggestions[0].candidates))
    return "unmatched"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ann lee", ("Ann Lee", How.exact)),
        ("Dr. Ann Lee (she/her)", ("Ann Lee", How.exact)),
        ("Lee, Ann [External]", ("Ann Lee", How.exact)),
        ("Zoe O'Briain", ("Zoë Ó Briain", How.fuzzy)),
        ("Zoe O Briain MP", ("Zoë Ó Briain", How.exact)),
        ("Bob Smith (Guest)", ("Robert Smith", How.alias)),
        ("Robert", ("Robert Smith", How.first_name)),
        ("Anne Lee", ("Ann Lee", How.fuzzy)),
        ("Carol", "unmatched"),
    ],
)
def test_each_step(name: str, expected: object) -> None:
    assert _how(name) == expected


def test_an_ambiguous_first_name_is_a_suggestion_not_a_match() -> None:
    roster = Roster((ANN, RosterPerson("Ann Jones")))
    result = match_speakers(["Ann"], roster)
    assert not result.matches
    assert {p.name for p, _ in result.suggestions[0].candidates} == {"Ann Jones", "Ann Lee"}


def test_a_near_name_without_a_clear_lead_is_a_suggestion() -> None:
    roster = Roster((RosterPerson("Jon Smith"), RosterPerson("John Smith")))
    result = match_speakers(["Jonh Smith"], roster)
    assert not result.matches
    assert {p.name for p, _ in result.suggestions[0].candidates} == {"Jon Smith", "John Smith"}


def test_fuzzy_scores_are_reported_and_above_the_threshold() -> None:
    match = match_speakers(["Anne Lee"], ROSTER).matches[0]
    assert MATCH_AT <= match.score < 100


def test_a_confirmed_mapping_comes_first_and_can_say_not_on_the_roster() -> None:
    mapping = SpeakerMapping().confirm("Ann", "Anna Jones").confirm("Ann Lee", None)
    result = match_speakers(["ANN", "ann  lee", "Robert"], ROSTER, mapping)
    found = {
        m.transcript_name: (m.person.name if m.person else None, m.how) for m in result.matches
    }
    assert found == {
        "ANN": ("Anna Jones", How.confirmed),
        "ann  lee": (None, How.confirmed),
        "Robert": ("Robert Smith", How.first_name),
    }


def test_a_confirmed_name_no_longer_on_the_roster_falls_back_to_matching() -> None:
    mapping = SpeakerMapping().confirm("Ann Lee", "Somebody Gone")
    assert _how("Ann Lee", mapping=mapping) == ("Ann Lee", How.exact)


def test_proposals_list_what_needs_a_person() -> None:
    result = match_speakers(["Ann Lee", "Robert", "Anne Lee", "Carol"], ROSTER)
    assert [(p.transcript_name, p.roster_name) for p in proposals(result)] == [
        ("Robert", "Robert Smith"),
        ("Anne Lee", "Ann Lee"),
        ("Carol", None),
    ]
    assert result.to_confirm() == ("Robert", "Anne Lee", "Carol")


def test_matched_names_add_up_per_person_in_the_figures() -> None:
    turns = [
        Turn("Dr Ann Lee", None, None, "one two"),
        Turn("Bob Smith (Guest)", None, None, "three"),
        Turn("Lee, Ann", None, None, "four five six"),
        Turn("Carol", None, None, "seven"),
    ]
    figures = analyse(turns, ROSTER)
    words = {s.name: s.words for s in figures.speakers}
    assert words == {
        "Ann Lee": 5,
        "Robert Smith": 1,
        "Carol": 1,
        "Anna Jones": 0,
        "Zoë Ó Briain": 0,
    }
    assert {s.name: s.turns for s in figures.speakers}["Ann Lee"] == 2
    assert figures.unmatched == ("Carol",)
    assert figures.silent == ("Anna Jones", "Zoë Ó Briain")
    confirmed = analyse(turns, ROSTER, SpeakerMapping().confirm("carol", None))
    assert confirmed.unmatched == ()


first_names = st.sampled_from(["Ann", "Bilal", "Chidi", "Dorota", "Eilidh", "Siân", "José"])
surnames = st.sampled_from(["Lee", "Khan", "Okafor", "Nowak", "MacLeod", "Jones", "Núñez"])
titles = st.sampled_from(["", "Dr ", "Dr. ", "Mrs. ", "Prof ", "Cllr ", "Mx "])
after = st.sampled_from(
    ["", " AM", " MP", " OBE", ", PhD", " (she/her)", " (Guest)", " [External]"]
)


@settings(deadline=None)
@given(first_names, surnames, titles, after, st.booleans(), st.booleans())
def test_a_decorated_roster_name_matches_its_person_exactly(
    first: str, last: str, title: str, tail: str, upper: bool, reverse: bool
) -> None:
    person = RosterPerson(f"{first} {last}")
    roster = Roster((person, RosterPerson("Someone Else"), RosterPerson("Pat Other")))
    name = f"{last}, {first}" if reverse else f"{first} {last}"
    name = f"{title}{name}{tail}"
    name = name.upper() if upper else name
    match = match_speakers([name], roster).matches[0]
    assert match.person == person
    assert match.how is How.exact


@settings(deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20), max_size=8), st.randoms(use_true_random=False))
def test_each_name_gets_one_answer_whatever_the_order(names: list[str], rnd: object) -> None:
    shuffled = list(names)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = match_speakers(names, ROSTER), match_speakers(shuffled, ROSTER)
    assert {m.transcript_name: m.person for m in a.matches} == {
        m.transcript_name: m.person for m in b.matches
    }
    answered = len(a.matches) + len(a.suggestions) + len(a.unmatched)
    assert answered == len({" ".join(n.split()).casefold() for n in names})

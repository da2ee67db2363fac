"""Matching the names in a transcript to the people on a project's roster (issue 6).

Meeting tools show people as they signed in: "Dr. Ann Lee (she/her)", "Lee, Ann [External]",
"ann lee", "Ann". A facilitator's roster says "Ann Lee". Each transcript name goes through these
steps in order, and the first that gives exactly one person wins:

1. **confirmed**: a mapping a person confirmed at an earlier meeting (see :class:`SpeakerMapping`);
   it may also say "not on the roster".
2. **exact**: the roster name, once case, spacing, accents, punctuation, titles ("Dr", "Mrs.",
   "Prof", "Cllr"…), post-nominals ("AM", "MP", "OBE", "PhD"…), tags in brackets ("(she/her)",
   "(Guest)", "[External]") and the "Last, First" order are set aside.
3. **alias**: one of the person's aliases, cleaned the same way.
4. **first_name**: the transcript gives one word, and exactly one person on the roster has that
   first name.
5. **fuzzy**: the rapidfuzz similarity of the cleaned names (the better of the token-sort ratio
   and the ratio with spaces set aside) is at least :data:`MATCH_AT` (90 of 100) and at least
   :data:`CLEAR_LEAD` points ahead of the next person.

A step that finds several people, or a fuzzy score from :data:`SUGGEST_AT` (70) up that is not a
clear match, gives a *suggestion* for a person to confirm; it is not applied. Names with nothing
above :data:`SUGGEST_AT` are *unmatched*. Nothing is guessed silently: every match says how it was
made and with what score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from coprod.core.ids import Group

MATCH_AT = 90.0
SUGGEST_AT = 70.0
CLEAR_LEAD = 5.0

# Words that say who someone is, not which person: dropped from the front of a name.
_TITLE_WORDS = (
    "mr mrs ms miss mx dr doctor prof professor cllr councillor sir dame lord lady rev revd "
    "reverend fr hon rt right honourable"
)
# Letters after a name: dropped from its end (never from its front, so "Am" stays a first name).
_POST_NOMINAL_WORDS = (
    "am ms mp msp mla mep mbe obe cbe kbe dbe frs phd dphil md mbbs mbchb frcp frcs frcgp mrcgp "
    "mrcp fmedsci rn rgn rmn bsc msc ma ba mph jp qc kc ceng jr snr jnr ii iii"
)
TITLES = frozenset(_TITLE_WORDS.split())
POST_NOMINALS = frozenset(_POST_NOMINAL_WORDS.split())
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_APOSTROPHES = re.compile(r"['’`]")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """Case and spacing do not distinguish names."""
    return " ".join(name.split()).casefold()


def _plain_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(part: str) -> list[str]:
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", part)).split()


def clean_name(name: str) -> str:
    """The name as a comparable key: no accents, case, punctuation, bracketed tags, titles or
    post-nominals, and "Last, First" turned round. Never empty when the name has a letter left:
    a name made only of titles ("Dr") keeps them."""
    text = _plain_letters(_BRACKETS.sub(" ", name)).casefold()
    parts = [_words(part) for part in text.split(",")]
    parts = [p for p in parts if p]
    # "Lee, Ann, PhD": parts after the first that hold only post-nominals are letters, not names.
    while len(parts) > 1 and all(w in POST_NOMINALS for w in parts[-1]):
        parts.pop()
    parts = [_trimmed(p) for p in parts]
    words = [*parts[1], *parts[0]] if len(parts) == 2 else [w for p in parts for w in p]
    return " ".join(_trimmed(words))


def _trimmed(words: list[str]) -> list[str]:
    """Without titles in front or post-nominals behind, keeping one word at least."""
    kept = list(words)
    while len(kept) > 1 and kept[0] in TITLES:
        kept.pop(0)
    while len(kept) > 1 and kept[-1] in POST_NOMINALS:
        kept.pop()
    return kept


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

    def by_name(self, name: str) -> RosterPerson | None:
        """The person with exactly this name, ignoring case and spacing."""
        wanted = normalise_name(name)
        return next((p for p in self.people if normalise_name(p.name) == wanted), None)


class How(StrEnum):
    confirmed = "confirmed"
    exact = "exact"
    alias = "alias"
    first_name = "first_name"
    fuzzy = "fuzzy"


@dataclass(frozen=True)
class SpeakerMatch:
    """A transcript name attributed to a roster person. ``person`` is None only for a name a
    person confirmed is not on the roster. ``score`` is 100 except for fuzzy matches."""

    transcript_name: str
    person: RosterPerson | None
    how: How
    score: float = 100.0


@dataclass(frozen=True)
class Suggestion:
    """A transcript name that may be one of ``candidates`` (best first); a person must confirm."""

    transcript_name: str
    candidates: tuple[tuple[RosterPerson, float], ...]


@dataclass(frozen=True)
class SpeakerMapping:
    """Confirmed answers, kept from one meeting to the next: transcript name (ignoring case and
    spacing) to a roster name, or to None for "not on the roster". ``names`` keeps each
    transcript name as it was first written."""

    confirmed: Mapping[str, str | None] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)

    def get(self, transcript_name: str) -> tuple[bool, str | None]:
        """(whether the name was confirmed, the roster name or None)."""
        key = normalise_name(transcript_name)
        if key in self.confirmed:
            return True, self.confirmed[key]
        return False, None

    def confirm(self, transcript_name: str, roster_name: str | None) -> SpeakerMapping:
        """A copy with one more confirmed answer (replacing an earlier one for the name)."""
        key = normalise_name(transcript_name)
        return SpeakerMapping(
            {**self.confirmed, key: roster_name},
            {**self.names, key: self.names.get(key, " ".join(transcript_name.split()))},
        )


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[SpeakerMatch, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    unmatched: tuple[str, ...] = ()

    def person_for(self, transcript_name: str) -> RosterPerson | None:
        key = normalise_name(transcript_name)
        for match in self.matches:
            if normalise_name(match.transcript_name) == key:
                return match.person
        return None

    def to_confirm(self) -> tuple[str, ...]:
        """Names a person should look at: suggestions, unmatched names, and matches made by first
        name or by similarity, which are likely but not certain."""
        guessed = [m.transcript_name for m in self.matches if m.how in (How.first_name, How.fuzzy)]
        return (*guessed, *(s.transcript_name for s in self.suggestions), *self.unmatched)


@dataclass(frozen=True)
class _Index:
    """The roster's cleaned names, worked out once per roster rather than once per speaker."""

    names: tuple[tuple[str, RosterPerson], ...]
    aliases: tuple[tuple[str, RosterPerson], ...]
    first: Mapping[str, tuple[RosterPerson, ...]]


def _index(roster: Roster) -> _Index:
    names = tuple((clean_name(p.name), p) for p in roster.people)
    aliases = tuple((clean_name(a), p) for p in roster.people for a in p.aliases)
    first: dict[str, list[RosterPerson]] = {}
    for key, person in names:
        if key:
            first.setdefault(key.split()[0], []).append(person)
    return _Index(names, aliases, {k: tuple(v) for k, v in first.items()})


def _unique(people: Iterable[RosterPerson]) -> tuple[RosterPerson, ...]:
    seen: dict[int, RosterPerson] = {}
    for person in people:
        seen.setdefault(id(person), person)
    return tuple(seen.values())


def _fuzzy(key: str, index: _Index) -> list[tuple[RosterPerson, float]]:
    """Each person's best token-sort ratio over their name and aliases, best first."""
    best: dict[int, tuple[RosterPerson, float]] = {}
    for other, person in (*index.names, *index.aliases):
        # Spaces set aside too, so that "O'Briain" and "O Briain" come close.
        score = max(
            float(fuzz.token_sort_ratio(key, other)),
            float(fuzz.ratio(key.replace(" ", ""), other.replace(" ", ""))),
        )
        if id(person) not in best or score > best[id(person)][1]:
            best[id(person)] = (person, score)
    return sorted(best.values(), key=lambda ps: (-ps[1], ps[0].name))


def _match_one(
    name: str, roster: Roster, index: _Index, mapping: SpeakerMapping
) -> SpeakerMatch | Suggestion | None:
    confirmed, roster_name = mapping.get(name)
    if confirmed:
        person = roster.by_name(roster_name) if roster_name is not None else None
        if roster_name is None or person is not None:
            return SpeakerMatch(name, person, How.confirmed)
    key = clean_name(name)
    steps = (
        (How.exact, _unique(p for k, p in index.names if k == key)),
        (How.alias, _unique(p for k, p in index.aliases if k == key)),
        (How.first_name, index.first.get(key, ()) if key and " " not in key else ()),
    )
    for how, people in steps:
        if len(people) == 1:
            return SpeakerMatch(name, people[0], how)
        if len(people) > 1:
            return Suggestion(name, tuple((p, 100.0) for p in people))
    scored = [ps for ps in _fuzzy(key, index) if ps[1] >= SUGGEST_AT]
    if not scored:
        return None
    runner_up = scored[1][1] if len(scored) > 1 else 0.0
    if scored[0][1] >= MATCH_AT and scored[0][1] - runner_up >= CLEAR_LEAD:
        return SpeakerMatch(name, scored[0][0], How.fuzzy, scored[0][1])
    return Suggestion(name, tuple(scored[:3]))


def match_speakers(
    names: Iterable[str], roster: Roster, mapping: SpeakerMapping | None = None
) -> MatchResult:
    """Match each transcript name (once each, ignoring case and spacing) to the roster."""
    mapping = mapping or SpeakerMapping()
    index = _index(roster)
    matches: list[SpeakerMatch] = []
    suggestions: list[Suggestion] = []
    unmatched: list[str] = []
    seen: set[str] = set()
    for name in names:
        if normalise_name(name) in seen:
            continue
        seen.add(normalise_name(name))
        found = _match_one(name, roster, index, mapping)
        if isinstance(found, SpeakerMatch):
            matches.append(found)
        elif isinstance(found, Suggestion):
            suggestions.append(found)
        else:
            unmatched.append(name)
    return MatchResult(tuple(matches), tuple(suggestions), tuple(unmatched))


@dataclass(frozen=True)
class Proposal:
    """A line for a person to confirm: the transcript name, the roster name proposed (None when
    nothing came close) and why."""

    transcript_name: str
    roster_name: str | None
    note: str


def proposals(result: MatchResult) -> tuple[Proposal, ...]:
    """What a person should confirm after a meeting, most certain first: matches by first name or
    by similarity, then suggestions, then names with nothing close on the roster."""
    found = [
        Proposal(
            m.transcript_name,
            m.person.name,
            "matched by first name" if m.how is How.first_name else f"similar ({m.score:.0f}/100)",
        )
        for m in result.matches
        if m.person is not None and m.how in (How.first_name, How.fuzzy)
    ]
    suggested = [
        Proposal(
            s.transcript_name,
            s.candidates[0][0].name,
            "could be " + ", ".join(f"{p.name} ({score:.0f}/100)" for p, score in s.candidates),
        )
        for s in result.suggestions
    ]
    missing = [Proposal(n, None, "nobody close on the roster") for n in result.unmatched]
    return (*found, *suggested, *missing)

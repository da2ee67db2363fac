"""Terms of reference: each blank part is named with why it matters and its source."""

from __future__ import annotations

import datetime as dt

import pytest

from coprod.core.terms import PARTS, TermsOfReference, terms_gaps

FULL = TermsOfReference(
    person="Zoë Ó Briain",
    role="Public contributor on the advisory group",
    time="About 4 hours a month",
    payment="£27.50 an hour, and travel",
    feedback="A 'you said, we did' note after each meeting",
    recognition="Named in the report",
    disagreements="Raised with the chair; the steering group decides",
    leaving="Tell the coordinator at any time; no reason needed",
    review_on=dt.date(2026, 9, 1),
)


def test_complete_terms_have_no_gaps() -> None:
    assert terms_gaps(FULL) == []


def test_every_blank_part_is_a_gap_with_a_source() -> None:
    gaps = terms_gaps(TermsOfReference(person="Sam", role="  "))
    assert [gap.part for gap in gaps] == list(PARTS)
    for gap in gaps:
        assert gap.why and gap.label
        assert gap.source.document == "oliver2019" and gap.source.quote
    leaving = next(gap for gap in gaps if gap.part == "leaving")
    assert leaving.source.quote == "establishing ground rules and processes"
    feedback = next(gap for gap in gaps if gap.part == "feedback")
    assert any(s.document == "uksp2019" for s in feedback.also)


def test_parts_in_document_order() -> None:
    parts = FULL.parts()
    assert [p for p, _, _ in parts] == list(PARTS)
    assert parts[-1][2] == "1 September 2026"


def test_a_person_is_needed() -> None:
    with pytest.raises(ValueError):
        TermsOfReference(person=" ")

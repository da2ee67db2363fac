"""The decision log and publication rights."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from coprod.core.decisions import (
    Decision,
    DecisionMethod,
    PartnerReview,
    PublicationRight,
    decision_problems,
    decision_source,
    publication_status,
    vote_outcome,
)

VOTE = DecisionMethod.VOTE
CONSENSUS = DecisionMethod.CONSENSUS


def fields(problems: list[tuple[str, str]]) -> list[str]:
    return [field for field, _ in problems]


def test_a_complete_vote_has_no_problems() -> None:
    assert decision_problems(
        method=VOTE, votes_for=5, votes_against=2, votes_abstain=1, participants=8,
        dissent=None, what="Recruit through GP surgeries",
    ) == []  # fmt: skip


def test_a_vote_needs_its_counts() -> None:
    problems = decision_problems(method=VOTE, participants=0, dissent=None, what="x")
    assert fields(problems) == ["votes_for", "votes_against"]
    assert "how many voted for" in problems[0][1]


def test_counts_must_be_non_negative_whole_numbers() -> None:
    problems = decision_problems(
        method=VOTE, votes_for=-1, votes_against=2, participants=0, dissent=None, what="x"
    )
    assert ("votes_for", "A vote count is a whole number, 0 or more.") in problems


def test_counts_cannot_exceed_who_took_part() -> None:
    problems = decision_problems(
        method=VOTE, votes_for=5, votes_against=4, votes_abstain=1, participants=8,
        dissent=None, what="x",
    )  # fmt: skip
    assert any("10 votes are recorded but only 8" in message for _, message in problems)
    # Without a number of participants the counts are not checked against it.
    assert (
        decision_problems(
            method=VOTE, votes_for=5, votes_against=4, participants=0, dissent=None, what="x"
        )
        == []
    )


def test_counts_are_only_for_votes() -> None:
    problems = decision_problems(
        method=DecisionMethod.LEAD_DECIDES, votes_for=3, participants=0, dissent=None, what="x"
    )
    assert fields(problems) == ["votes_for"]
    assert "only for decisions taken by vote" in problems[0][1]


def test_consensus_with_dissent_is_allowed_with_a_note() -> None:
    problems = decision_problems(
        method=CONSENSUS, participants=6, dissent="Sam stood aside", what="x"
    )
    assert fields(problems) == ["dissent"]
    assert problems[0][1].startswith("Note:")


def test_what_and_method_are_needed() -> None:
    assert fields(decision_problems(method=None, participants=0, dissent=None, what=" ")) == [
        "what", "method",
    ]  # fmt: skip


def test_vote_outcome_counts_votes_cast_only() -> None:
    assert vote_outcome(3, 2) == "carried"
    assert vote_outcome(2, 3) == "not carried"
    assert vote_outcome(2, 2) == "tied"


def test_decision_record() -> None:
    decision = Decision(
        what="Recruit through GP surgeries", decided_on=dt.date(2026, 3, 1), method=VOTE,
        votes_for=5, votes_against=2, votes_abstain=1,
        participants=("Zoë Ó Briain", "Ama", "Raj", "Li", "Sam", "Jo", "Kit", "Mo"),
    )  # fmt: skip
    assert decision.how() == "By vote: 5 for, 2 against, 1 abstained (carried)"
    assert decision.took_part == 8
    assert decision.problems() == []
    lead = Decision(what="x", decided_on=dt.date(2026, 3, 1), method=DecisionMethod.LEAD_DECIDES)
    assert lead.how() == "The lead decided" and lead.outcome is None
    source, _ = decision_source()
    assert source.quote and "How are decisions taken" in source.quote


def test_publication_right_defaults_to_comment_and_checks_its_window() -> None:
    right = PublicationRight(output="Final report", who="The research team")
    assert right.partner_review is PartnerReview.COMMENT
    with pytest.raises(ValidationError):
        PublicationRight(output="x", who="y", review_window_days=400)
    with pytest.raises(ValidationError):
        PublicationRight(output="", who="y")


def test_publication_status() -> None:
    today = dt.date(2026, 6, 1)
    embargoed = PublicationRight(output="x", who="The team", embargo_until=dt.date(2026, 7, 1))
    assert publication_status(embargoed, today).startswith("Embargoed until 1 July 2026")
    comment = PublicationRight(output="x", who="The team", review_window_days=28)
    shared = dt.date(2026, 5, 20)
    assert publication_status(comment, today, draft_shared_on=shared).startswith(
        "In partners' review window until 17 June 2026"
    )
    assert publication_status(comment, dt.date(2026, 7, 1), draft_shared_on=shared).startswith(
        "Free to publish"
    )
    assert "28 days to comment" in publication_status(comment, today)
    veto = PublicationRight(output="x", who="The team", partner_review=PartnerReview.VETO)
    assert "partners can stop publication" in publication_status(veto, today)
    free = PublicationRight(output="x", who="Partners", partner_review=PartnerReview.NONE)
    assert publication_status(free, today) == "Free to publish: Partners may publish it."


def test_plan_files_with_and_without_rights_load() -> None:
    from coprod.core.plan import Plan
    from coprod.formats.plan_schema import plan_schema

    base = {"coprod": 1, "project": {"title": "T"}, "criteria": {}}
    old = Plan.model_validate({**base, "governance": {"dissemination": {"review_window_days": 30}}})
    assert old.governance and old.governance.dissemination
    assert old.governance.dissemination.rights == []
    assert not old.governance.dissemination.gives_veto()
    rights = [{"output": "Report", "who": "Researchers", "partner_review": "veto"}]
    new = Plan.model_validate({**base, "governance": {"dissemination": {"rights": rights}}})
    assert new.governance and new.governance.dissemination
    assert new.governance.dissemination.gives_veto()
    with pytest.raises(ValidationError):
        Plan.model_validate(
            {**base, "governance": {"dissemination": {"rights": [{"output": "R", "who": "W",
                                                                   "partner_review": "maybe"}]}}}
        )  # fmt: skip
    definitions = plan_schema()["$defs"]
    assert set(definitions["PublicationRight"]["properties"]) == {
        "output", "who", "partner_review", "review_window_days", "embargo_until", "note",
    }  # fmt: skip

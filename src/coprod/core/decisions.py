"""The decision log and the dissemination agreement (SPEC C7).

The paper asks "How are decisions taken, and how will responsibility and accountability be
shared?" (key question 4) and warns that "Shared decision-making is threatened when process
dominated by certain voices or interests" (Table 1). A :class:`Decision` therefore records how it
was taken (:data:`DecisionMethod`: consensus, a vote with its counts, the lead decides, or a
steering group), who took part, any dissent, the contributions it answered and when to review it.
:func:`decision_problems` names what is missing or inconsistent in a decision, field by field, in
plain words, for a form or an import to show; it never refuses a decision the team chose to take.

For dissemination, a plan's :class:`~coprod.core.plan.PublicationRight` says who may publish an
output, whether partners may comment on it first (the default) or veto it, for how many days, and
until when it is embargoed; :func:`publication_status` says where an output stands on a given day.
Table 1 warns that researchers "may be prevented from sharing unwanted findings": the decision
aid's ``dissemination-block`` warning fires when any right gives partners a veto.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from coprod.core.ids import DecisionRule, PartnerReview
from coprod.core.plan import PublicationRight
from coprod.core.sources import Source

__all__ = [
    "Decision",
    "DecisionMethod",
    "PartnerReview",
    "PublicationRight",
    "VoteOutcome",
    "decision_problems",
    "decision_source",
    "publication_status",
    "vote_outcome",
]

DecisionMethod = DecisionRule
"""How a decision was taken: consensus, vote, lead_decides, steering_group."""

METHOD_LABELS: dict[DecisionRule, str] = {
    DecisionRule.CONSENSUS: "By consensus",
    DecisionRule.VOTE: "By vote",
    DecisionRule.LEAD_DECIDES: "The lead decided",
    DecisionRule.STEERING_GROUP: "The steering group decided",
}

VoteOutcome = Literal["carried", "not carried", "tied"]


def decision_source() -> tuple[Source, tuple[Source, ...]]:
    """The passages the decision log rests on (rule ``decision-record`` in the catalogue)."""
    from coprod.core.catalogue import default_catalogue

    rule = default_catalogue().rules["decision-record"]
    return rule.source, rule.also


def vote_outcome(votes_for: int, votes_against: int) -> VoteOutcome:
    """A simple majority of the votes cast; abstentions are not votes cast, so they never count."""
    if votes_for > votes_against:
        return "carried"
    if votes_for < votes_against:
        return "not carried"
    return "tied"


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decision_problems(
    *,
    method: DecisionRule | None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    participants: int = 0,
    dissent: str | None = None,
    what: str | None = None,
) -> list[tuple[str, str]]:
    """What is missing or inconsistent in a decision, as (field, plain message) pairs.

    ``participants`` is how many people took part (0 when the record does not say); vote counts
    are checked against it only when it is given. A consensus with recorded dissent is allowed
    (people may stand aside) but gets a note, so the log does not call a split decision unanimous.
    """
    problems: list[tuple[str, str]] = []
    if not (what or "").strip():
        problems.append(("what", "Say what was decided."))
    if method is None:
        problems.append(
            ("method", "Say how it was decided: consensus, a vote, the lead, or a steering group.")
        )
    counts = {
        "votes_for": votes_for,
        "votes_against": votes_against,
        "votes_abstain": votes_abstain,
    }
    given = {name: value for name, value in counts.items() if value is not None}
    for name, value in given.items():
        if not _is_count(value) or value < 0:
            problems.append((name, "A vote count is a whole number, 0 or more."))
    valid = all(_is_count(value) and value >= 0 for value in given.values())
    if method is DecisionRule.VOTE:
        for name in ("votes_for", "votes_against"):
            if counts[name] is None:
                label = "for" if name == "votes_for" else "against"
                problems.append((name, f"A vote needs its counts: how many voted {label}?"))
        cast = sum(v for v in given.values() if v is not None)
        if valid and participants and cast > participants:
            problems.append(
                (
                    "votes_for",
                    f"{cast} votes are recorded but only {participants} people took part.",
                )
            )
    elif given and method is not None:
        problems.append(
            (
                "votes_for",
                f"Vote counts are only for decisions taken by vote, not "
                f"“{METHOD_LABELS[method].lower()}”. Remove them or change how it was decided.",
            )
        )
    if not _is_count(participants) or participants < 0:
        problems.append(("participants", "The number who took part is a whole number, 0 or more."))
    if method is DecisionRule.CONSENSUS and (dissent or "").strip():
        problems.append(
            (
                "dissent",
                "Note: dissent is recorded on a consensus decision. That is allowed (people may "
                "stand aside), but say so, so the log does not read as unanimous.",
            )
        )
    return problems


@dataclass(frozen=True)
class Decision:
    """One entry of the decision log, as its documents show it.

    ``participants`` names who took part; where names are not to be shown, give
    ``participant_count`` instead. ``answers`` holds short texts of the contributions the decision
    answered.
    """

    what: str
    decided_on: dt.date
    method: DecisionRule
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    participants: tuple[str, ...] = ()
    participant_count: int | None = None
    dissent: str | None = None
    answers: tuple[str, ...] = ()
    review_on: dt.date | None = None

    @property
    def took_part(self) -> int:
        return len(self.participants) or (self.participant_count or 0)

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def outcome(self) -> VoteOutcome | None:
        if self.method is not DecisionRule.VOTE:
            return None
        if self.votes_for is None or self.votes_against is None:
            return None
        return vote_outcome(self.votes_for, self.votes_against)

    def how(self) -> str:
        """How it was decided, in words: 'By vote: 5 for, 2 against, 1 abstained (carried)'."""
        if self.method is not DecisionRule.VOTE or self.outcome is None:
            return self.method_label
        votes = f"{self.votes_for} for, {self.votes_against} against"
        if self.votes_abstain:
            votes += f", {self.votes_abstain} abstained"
        return f"{self.method_label}: {votes} ({self.outcome})"

    def problems(self) -> list[tuple[str, str]]:
        return decision_problems(
            method=self.method,
            votes_for=self.votes_for,
            votes_against=self.votes_against,
            votes_abstain=self.votes_abstain,
            participants=self.took_part,
            dissent=self.dissent,
            what=self.what,
        )


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def review_ends(right: PublicationRight, draft_shared_on: dt.date) -> dt.date | None:
    """The last day of partners' review of a draft shared on ``draft_shared_on``."""
    if right.partner_review is PartnerReview.NONE or right.review_window_days is None:
        return None
    return draft_shared_on + dt.timedelta(days=right.review_window_days)


def publication_status(
    right: PublicationRight, today: dt.date, *, draft_shared_on: dt.date | None = None
) -> str:
    """Where an output stands on ``today``, in plain words, for a page or a document.

    An embargo comes first; then, once a draft has been shared, the partners' review window. A
    veto is named as such, because it means partners can stop publication.
    """
    if right.embargo_until is not None and today < right.embargo_until:
        return f"Embargoed until {_day(right.embargo_until)}: nobody publishes it before then."
    ends = review_ends(right, draft_shared_on) if draft_shared_on else None
    if ends is not None and today <= ends:
        verb = (
            "review (they can stop publication)"
            if right.partner_review is PartnerReview.VETO
            else "comment"
        )
        return f"In partners' review window until {_day(ends)}: partners may {verb}."
    if right.partner_review is PartnerReview.VETO:
        return f"{right.who} may publish it once partners agree: partners can stop publication."
    if right.partner_review is PartnerReview.COMMENT and draft_shared_on is None:
        window = (
            f"{right.review_window_days} days" if right.review_window_days is not None else "time"
        )
        return f"{right.who} may publish it after partners have had {window} to comment on a draft."
    return f"Free to publish: {right.who} may publish it."

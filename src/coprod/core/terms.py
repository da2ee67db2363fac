"""Terms of reference: a role agreement for each partner (SPEC C2 and C7).

The paper's cautious approach starts with "establishing ground rules and processes" and "good
facilitation and management of expectations", and asks each party "What is everyone bringing to
the table?" and how the costs "be borne and defrayed by those involved". A partner's terms of
reference answer those questions for one person: their role, the time asked, payment, how they
hear what became of their input, how their work is recognised, how disagreements are settled, how
to leave, and when the terms are reviewed.

:func:`terms_gaps` names each part left blank, with why it matters and the passage it rests on
(the ``terms-*`` rules of the catalogue, some also pointing to the UK Standards for Public
Involvement). A blank part is a gap to fill, never an error: the team decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from coprod.core.sources import Source

__all__ = ["PARTS", "Gap", "TermsOfReference", "terms_gaps"]

PARTS: tuple[str, ...] = (
    "role",
    "time",
    "payment",
    "feedback",
    "recognition",
    "disagreements",
    "leaving",
    "review_on",
)
"""The parts of a role agreement, in the order a document lists them."""

HEADINGS: dict[str, str] = {
    "role": "Your role",
    "time": "Time we ask of you",
    "payment": "Payment and expenses",
    "feedback": "How you will hear what became of your input",
    "recognition": "How your work is recognised",
    "disagreements": "If we disagree",
    "leaving": "If you want to step back or leave",
    "review_on": "When we review these terms",
}


@dataclass(frozen=True)
class TermsOfReference:
    """One partner's role agreement. Every part but ``person`` may be left blank for now."""

    person: str
    role: str | None = None
    time: str | None = None
    payment: str | None = None
    feedback: str | None = None
    recognition: str | None = None
    disagreements: str | None = None
    leaving: str | None = None
    review_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.person.strip():
            raise ValueError("terms of reference need the person's name")

    def parts(self) -> list[tuple[str, str, str | None]]:
        """(part, heading, text) for each part, in document order; text None when blank."""
        rows = []
        for name in PARTS:
            value = getattr(self, name)
            if isinstance(value, dt.date):
                text: str | None = f"{value.day} {value:%B %Y}"
            else:
                text = value.strip() if isinstance(value, str) and value.strip() else None
            rows.append((name, HEADINGS[name], text))
        return rows


@dataclass(frozen=True)
class Gap:
    """A part of the terms left blank: what it is, why it matters, and where that comes from."""

    part: str
    label: str
    why: str
    source: Source
    also: tuple[Source, ...] = ()


def terms_gaps(terms: TermsOfReference) -> list[Gap]:
    """Each blank part of ``terms``, in document order, with why it matters and its source."""
    from coprod.core.catalogue import default_catalogue

    rules = default_catalogue().rules
    known = {f.name for f in fields(terms)}
    gaps = []
    for part, _heading, text in terms.parts():
        assert part in known  # PARTS and the dataclass must agree
        if text is None:
            rule = rules[f"terms-{part.removesuffix('_on')}"]
            gaps.append(
                Gap(part, rule.label, " ".join(rule.message.split()), rule.source, rule.also)
            )
    return gaps

"""Step 1 of the decision aid: how much emphasis the context puts on coproduction (Table 2).

The rule, and why it holds the four properties Coprod promises:

* Each answer sits on a symmetric scale: less = -2, lean-less = -1, neutral = 0, lean-more = +1,
  more = +2. ``unknown`` is left out.
* The score is the weighted mean of the answered criteria, in exact fractions so that no rounding
  can break symmetry at a boundary.
* The score maps to an emphasis through thresholds symmetric about zero. So all ``more`` (score 2)
  gives ``more``, all ``less`` gives ``less``; negating every answer negates the score and so
  mirrors the emphasis; and raising one answer raises the score (weights are positive), which can
  only move the emphasis towards ``more``.
* When more than a third of the criteria are ``unknown`` the answer is ``insufficient``.

The score itself is never shown: Table 2 is the paper's "early thoughts", and a number would claim
a precision the evidence does not have.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from coprod.core.ids import Answer, Criterion, Emphasis

ANSWER_VALUE: dict[Answer, int] = {
    Answer.LESS: -2,
    Answer.LEAN_LESS: -1,
    Answer.NEUTRAL: 0,
    Answer.LEAN_MORE: 1,
    Answer.MORE: 2,
}

MAX_UNKNOWN_SHARE = Fraction(1, 3)
_OUTER = Fraction(3, 2)
_INNER = Fraction(1, 2)

MIRROR: dict[Answer, Answer] = {
    Answer.LESS: Answer.MORE,
    Answer.LEAN_LESS: Answer.LEAN_MORE,
    Answer.NEUTRAL: Answer.NEUTRAL,
    Answer.LEAN_MORE: Answer.LEAN_LESS,
    Answer.MORE: Answer.LESS,
    Answer.UNKNOWN: Answer.UNKNOWN,
}

EMPHASIS_ORDER: tuple[Emphasis, ...] = (
    Emphasis.LESS,
    Emphasis.LEAN_LESS,
    Emphasis.BALANCED,
    Emphasis.LEAN_MORE,
    Emphasis.MORE,
)


@dataclass(frozen=True)
class Pull:
    """One criterion's part in the result."""

    criterion: Criterion
    answer: Answer
    weight: Fraction

    @property
    def direction(self) -> str:
        """'more', 'less', 'none' (neutral) or 'unknown'."""
        if self.answer is Answer.UNKNOWN:
            return "unknown"
        value = ANSWER_VALUE[self.answer]
        return "more" if value > 0 else "less" if value < 0 else "none"

    @property
    def strength(self) -> Fraction:
        """Signed weighted contribution; used only to rank the criteria that drove the result."""
        if self.answer is Answer.UNKNOWN:
            return Fraction(0)
        return self.weight * ANSWER_VALUE[self.answer]


@dataclass(frozen=True)
class EmphasisResult:
    emphasis: Emphasis
    pulls: tuple[Pull, ...]
    unknown: tuple[Criterion, ...]

    def drivers(self) -> list[Pull]:
        """Criteria that pulled the same way as the result, strongest first.

        For a balanced result, the strongest pulls either way, since those are what held it level.
        """
        target = {
            Emphasis.MORE: "more",
            Emphasis.LEAN_MORE: "more",
            Emphasis.LESS: "less",
            Emphasis.LEAN_LESS: "less",
        }.get(self.emphasis)
        pulling = [p for p in self.pulls if p.direction in ("more", "less")]
        if target is not None:
            pulling = [p for p in pulling if p.direction == target]
        return sorted(pulling, key=lambda p: (-abs(p.strength), list(Criterion).index(p.criterion)))


def mirror(answers: Mapping[Criterion, Answer]) -> dict[Criterion, Answer]:
    """Every answer reversed: what the project would look like from the other pole of Table 2."""
    return {criterion: MIRROR[answer] for criterion, answer in answers.items()}


def _as_fraction(weight: Decimal | Fraction | int) -> Fraction:
    return weight if isinstance(weight, Fraction) else Fraction(weight)


def _band(score: Fraction) -> Emphasis:
    if score >= _OUTER:
        return Emphasis.MORE
    if score >= _INNER:
        return Emphasis.LEAN_MORE
    if score > -_INNER:
        return Emphasis.BALANCED
    if score > -_OUTER:
        return Emphasis.LEAN_LESS
    return Emphasis.LESS


def emphasis_for(
    answers: Mapping[Criterion, Answer],
    weights: Mapping[Criterion, Decimal | Fraction | int] | None = None,
) -> EmphasisResult:
    """The emphasis Table 2 puts on coproduction for these answers and weights (default 1 each)."""
    weights = weights or {}
    pulls: list[Pull] = []
    for criterion in Criterion:
        weight = _as_fraction(weights.get(criterion, 1))
        if weight <= 0:
            raise ValueError(f"weight for {criterion.value} must be positive")
        pulls.append(Pull(criterion, answers.get(criterion, Answer.UNKNOWN), weight))
    unknown = tuple(p.criterion for p in pulls if p.answer is Answer.UNKNOWN)
    answered = [p for p in pulls if p.answer is not Answer.UNKNOWN]
    if not answered or Fraction(len(unknown), len(pulls)) > MAX_UNKNOWN_SHARE:
        return EmphasisResult(Emphasis.INSUFFICIENT, tuple(pulls), unknown)
    total_weight = sum((p.weight for p in answered), Fraction(0))
    score = sum((p.strength for p in answered), Fraction(0)) / total_weight
    return EmphasisResult(_band(score), tuple(pulls), unknown)

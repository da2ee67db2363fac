"""The four properties promised for the emphasis rule, over random answers and weights."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod.core.emphasis import EMPHASIS_ORDER, MIRROR, emphasis_for, mirror
from coprod.core.ids import Answer, Criterion, Emphasis

SCALE = [Answer.LESS, Answer.LEAN_LESS, Answer.NEUTRAL, Answer.LEAN_MORE, Answer.MORE]
CRITERIA = list(Criterion)

weights_st = st.dictionaries(
    st.sampled_from(CRITERIA),
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal("10"), places=2),
)
answers_st = st.fixed_dictionaries({c: st.sampled_from([*SCALE, Answer.UNKNOWN]) for c in CRITERIA})
# At most three unknown: enough answered for the rule to speak.
unknown_sets = st.sets(st.sampled_from(CRITERIA), max_size=3)


def rank(emphasis: Emphasis) -> int:
    return EMPHASIS_ORDER.index(emphasis)


@given(unknown=unknown_sets, weights=weights_st)
def test_all_more_gives_more(unknown: set[Criterion], weights: dict[Criterion, Decimal]) -> None:
    answers = {c: Answer.UNKNOWN if c in unknown else Answer.MORE for c in CRITERIA}
    assert emphasis_for(answers, weights).emphasis is Emphasis.MORE


@given(unknown=unknown_sets, weights=weights_st)
def test_all_less_gives_less(unknown: set[Criterion], weights: dict[Criterion, Decimal]) -> None:
    answers = {c: Answer.UNKNOWN if c in unknown else Answer.LESS for c in CRITERIA}
    assert emphasis_for(answers, weights).emphasis is Emphasis.LESS


@given(answers=answers_st, weights=weights_st)
def test_reversing_every_answer_reverses_the_emphasis(
    answers: dict[Criterion, Answer], weights: dict[Criterion, Decimal]
) -> None:
    result = emphasis_for(answers, weights).emphasis
    reversed_result = emphasis_for(mirror(answers), weights).emphasis
    if result is Emphasis.INSUFFICIENT:
        assert reversed_result is Emphasis.INSUFFICIENT
    else:
        assert rank(reversed_result) == len(EMPHASIS_ORDER) - 1 - rank(result)


@given(answers=answers_st, weights=weights_st, which=st.sampled_from(CRITERIA))
def test_moving_one_answer_towards_more_never_moves_towards_less(
    answers: dict[Criterion, Answer], weights: dict[Criterion, Decimal], which: Criterion
) -> None:
    before = emphasis_for(answers, weights).emphasis
    if answers[which] in (Answer.UNKNOWN, Answer.MORE):
        return
    raised = {**answers, which: SCALE[SCALE.index(answers[which]) + 1]}
    after = emphasis_for(raised, weights).emphasis
    if before is Emphasis.INSUFFICIENT:
        assert after is Emphasis.INSUFFICIENT  # answering more did not change the unknowns
    else:
        assert rank(after) >= rank(before)


@given(answers=answers_st, weights=weights_st)
def test_more_than_a_third_unknown_is_insufficient_and_names_them(
    answers: dict[Criterion, Answer], weights: dict[Criterion, Decimal]
) -> None:
    result = emphasis_for(answers, weights)
    unknown = [c for c in CRITERIA if answers[c] is Answer.UNKNOWN]
    assert list(result.unknown) == unknown
    assert (result.emphasis is Emphasis.INSUFFICIENT) == (len(unknown) * 3 > len(CRITERIA))


@given(answers=answers_st, weights=weights_st, factor=st.integers(min_value=2, max_value=50))
def test_scaling_every_weight_changes_nothing(
    answers: dict[Criterion, Answer], weights: dict[Criterion, Decimal], factor: int
) -> None:
    full = {c: weights.get(c, Decimal(1)) for c in CRITERIA}
    scaled = {c: w * factor for c, w in full.items()}
    assert emphasis_for(answers, full).emphasis is emphasis_for(answers, scaled).emphasis


def test_default_weights_are_equal() -> None:
    answers = dict.fromkeys(CRITERIA, Answer.NEUTRAL)
    answers[Criterion.CONTESTATION] = Answer.MORE
    answers[Criterion.RESOURCES] = Answer.LESS
    assert emphasis_for(answers).emphasis is Emphasis.BALANCED
    weighted = emphasis_for(answers, {Criterion.RESOURCES: Fraction(5)})
    assert weighted.emphasis is not Emphasis.BALANCED


def test_a_weight_tips_the_balance_towards_its_criterion() -> None:
    answers = dict.fromkeys(CRITERIA, Answer.NEUTRAL)
    answers[Criterion.COOPERATION] = Answer.MORE
    answers[Criterion.RESOURCES] = Answer.LESS
    towards_more = emphasis_for(answers, {Criterion.COOPERATION: Decimal(9)}).emphasis
    towards_less = emphasis_for(answers, {Criterion.RESOURCES: Decimal(9)}).emphasis
    assert rank(towards_more) > rank(Emphasis.BALANCED) > rank(towards_less)


def test_non_positive_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        emphasis_for({}, {Criterion.RESOURCES: Decimal(0)})


def test_mirror_is_its_own_inverse() -> None:
    for answer, opposite in MIRROR.items():
        assert MIRROR[opposite] is answer


def test_drivers_follow_the_result() -> None:
    answers = dict.fromkeys(CRITERIA, Answer.LEAN_MORE)
    answers[Criterion.RESOURCES] = Answer.LESS
    answers[Criterion.PURPOSE] = Answer.MORE
    result = emphasis_for(answers)
    drivers = [p.criterion for p in result.drivers()]
    assert result.emphasis in (Emphasis.LEAN_MORE, Emphasis.MORE)
    assert drivers[0] is Criterion.PURPOSE
    assert Criterion.RESOURCES not in drivers

"""The contribution ledger: adoption by group and its test, feedback prompts, "you said, we did"."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats  # type: ignore[import-untyped]

from coprod.core.contributions import (
    ADOPTED,
    DECIDED,
    DEFAULT_FEEDBACK_DAYS,
    ContributionKind,
    GroupCounts,
    Said,
    adoption_by_group,
    feedback_overdue,
    p_text,
    percent,
    you_said_we_did,
)
from coprod.core.ids import Disposition, Group, Stage

PUBLIC = Group.PATIENTS_PUBLIC
MANAGERS = Group.MANAGERS
PRACTITIONERS = Group.PRACTITIONERS


def test_what_counts_as_adopted_and_decided() -> None:
    assert {Disposition.ADOPTED, Disposition.ADAPTED} == ADOPTED
    assert Disposition.PENDING not in DECIDED
    assert {Disposition.DEFERRED, Disposition.DECLINED, Disposition.OUT_OF_SCOPE} <= DECIDED
    assert ADOPTED <= DECIDED
    assert [kind.value for kind in ContributionKind] == [
        "idea", "question", "concern", "evidence", "interpretation", "recommendation",
    ]  # fmt: skip


def test_group_counts_share_is_exact_and_checked() -> None:
    assert GroupCounts(PUBLIC, 1, 3).share == Fraction(1, 3)
    assert GroupCounts(PUBLIC, 1, 3).percent == 33
    assert GroupCounts(PUBLIC, 0, 0).share is None
    with pytest.raises(ValueError, match="cannot exceed"):
        GroupCounts(PUBLIC, 4, 3)
    with pytest.raises(ValueError, match="negative"):
        GroupCounts(PUBLIC, -1, 3)
    with pytest.raises(TypeError):
        GroupCounts(PUBLIC, True, 3)


def test_large_counts_use_chi_square_and_match_scipy() -> None:
    result = adoption_by_group([GroupCounts(MANAGERS, 60, 100), GroupCounts(PUBLIC, 30, 100)])
    assert result.test is not None
    assert result.test.method == "chi-square"
    # Rows follow the order of Group, whatever order they were given in.
    assert result.test.table == ((30, 70), (60, 40))
    expected = stats.chi2_contingency([[30, 70], [60, 40]])
    assert result.test.statistic == pytest.approx(expected.statistic)
    assert result.test.p_value == pytest.approx(expected.pvalue)
    assert result.test.dof == 1
    assert result.test.expected_min == 45.0
    assert result.verdict.startswith("The groups' shares differ more than chance would explain")
    assert "p < 0.001" in result.verdict
    assert "patients" in result.verdict and "30%" in result.verdict
    assert result.caution is None


def test_hand_checkable_chi_square_without_difference() -> None:
    # Equal shares: chi-square is 0 and p is 1 (Yates' correction cannot make it negative).
    result = adoption_by_group([GroupCounts(PUBLIC, 10, 20), GroupCounts(MANAGERS, 10, 20)])
    assert result.test is not None
    assert result.test.method == "chi-square"
    assert result.test.statistic == 0.0
    assert result.test.p_value == pytest.approx(1.0)
    assert result.verdict.startswith("No clear difference between the groups' shares (p = 1.0)")


def test_three_groups_large_counts_chi_square_two_degrees_of_freedom() -> None:
    counts = [GroupCounts(PUBLIC, 20, 50), GroupCounts(PRACTITIONERS, 30, 50),
              GroupCounts(MANAGERS, 40, 50)]  # fmt: skip
    result = adoption_by_group(counts)
    assert result.test is not None and result.test.method == "chi-square"
    expected = stats.chi2_contingency([[20, 30], [30, 20], [40, 10]])
    assert result.test.dof == 2
    assert result.test.statistic == pytest.approx(expected.statistic)
    assert result.test.p_value == pytest.approx(expected.pvalue)


def test_small_two_by_two_uses_fisher_and_matches_scipy() -> None:
    # The table of scipy's own example: [[8, 2], [1, 5]] gives p = 0.03497.
    result = adoption_by_group([GroupCounts(PUBLIC, 8, 10), GroupCounts(MANAGERS, 1, 6)])
    assert result.test is not None
    assert result.test.method == "fisher"
    assert result.test.p_value == pytest.approx(0.034965034965034975)
    assert result.test.statistic == pytest.approx(20.0)
    assert result.test.dof is None
    assert result.test.expected_min < 5
    assert "(p = 0.035)" in result.verdict
    assert result.caution is None


def test_fisher_odds_ratio_infinite_becomes_none() -> None:
    result = adoption_by_group([GroupCounts(PUBLIC, 6, 6), GroupCounts(MANAGERS, 1, 6)])
    assert result.test is not None and result.test.method == "fisher"
    assert result.test.statistic is None
    assert result.test.p_value == pytest.approx(stats.fisher_exact([[6, 0], [1, 5]]).pvalue)


def test_small_larger_table_uses_a_reproducible_monte_carlo_fisher_test() -> None:
    counts = [GroupCounts(PUBLIC, 3, 10), GroupCounts(MANAGERS, 9, 10),
              GroupCounts(Group.RESEARCHERS, 5, 6)]  # fmt: skip
    first = adoption_by_group(counts)
    again = adoption_by_group(list(reversed(counts)))
    assert first.test is not None and first.test.method == "fisher-monte-carlo"
    assert first.test.seed is not None and first.test.resamples == 9999
    assert first.test.p_value == again.test.p_value if again.test else False
    # Independently: scipy's Monte Carlo test with many more tables agrees to within noise.
    import numpy as np

    method = stats.MonteCarloMethod(n_resamples=40000, rng=np.random.default_rng(1))
    independent = stats.fisher_exact([[3, 7], [9, 1], [5, 1]], method=method)
    assert first.test.p_value == pytest.approx(independent.pvalue, abs=0.01)
    assert first.test.statistic == pytest.approx(independent.statistic)


def test_cautions_when_counts_are_too_small_or_one_group() -> None:
    none = adoption_by_group([GroupCounts(PUBLIC, 0, 0), GroupCounts(MANAGERS, 0, 0)])
    assert none.test is None
    assert none.caution and "nothing to compare" in none.caution
    assert none.verdict.startswith("Too few")
    one = adoption_by_group([GroupCounts(PUBLIC, 2, 7), GroupCounts(MANAGERS, 0, 0)])
    assert one.test is None
    assert one.caution and "no other group" in one.caution
    small = adoption_by_group([GroupCounts(PUBLIC, 1, 3), GroupCounts(MANAGERS, 8, 9)])
    assert small.test is not None
    assert small.caution and "Fewer than 5" in small.caution and "patients" in small.caution
    assert adoption_by_group([]).test is None


def test_no_variation_means_no_test_but_a_plain_verdict() -> None:
    everything = adoption_by_group([GroupCounts(PUBLIC, 5, 5), GroupCounts(MANAGERS, 7, 7)])
    assert everything.test is None
    assert "all of its decided contributions adopted" in everything.verdict
    nothing = adoption_by_group([GroupCounts(PUBLIC, 0, 5), GroupCounts(MANAGERS, 0, 7)])
    assert nothing.test is None
    assert "any of its decided" in nothing.verdict


def test_a_group_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        adoption_by_group([GroupCounts(PUBLIC, 1, 2), GroupCounts(PUBLIC, 1, 2)])


def test_result_quotes_the_paper_and_explains_counting() -> None:
    result = adoption_by_group([GroupCounts(PUBLIC, 1, 2), GroupCounts(MANAGERS, 1, 2)])
    assert result.source.document == "oliver2019"
    assert result.source.quote and "cherry-picked" in result.source.quote
    assert any(s.quote and "subjugation" in s.quote for s in result.also)
    assert "Deferred" in result.how_counted


def test_p_text_and_percent_never_overstate() -> None:
    assert p_text(0.034965) == "p = 0.035"
    assert p_text(0.1) == "p = 0.10"
    assert p_text(0.00123) == "p = 0.0012"
    assert p_text(0.0004) == "p < 0.001"
    assert p_text(0.99996) == "p = 1.0"
    assert percent(Fraction(1, 8)) == 13
    assert percent(Fraction(2, 3)) == 67


counts_strategy = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda t: (min(t), max(t))),
    min_size=2,
    max_size=4,
)


def _build(pairs: list[tuple[int, int]], groups: list[Group]) -> list[GroupCounts]:
    return [GroupCounts(g, a, d) for g, (a, d) in zip(groups, pairs, strict=False)]


@settings(max_examples=40, deadline=None)
@given(counts_strategy, st.randoms(use_true_random=False))
def test_shares_in_range_and_permutation_invariant(
    pairs: list[tuple[int, int]], rng: object
) -> None:
    groups = list(Group)[: len(pairs)]
    counts = _build(pairs, groups)
    result = adoption_by_group(counts)
    for row in result.groups:
        if row.share is not None:
            assert 0 <= row.share <= 1
    shuffled = list(counts)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    other = adoption_by_group(shuffled)
    assert other.groups == result.groups
    assert (other.test is None) == (result.test is None)
    if result.test and other.test:
        assert other.test.p_value == result.test.p_value
        assert other.test.method == result.test.method


@settings(max_examples=40, deadline=None)
@given(counts_strategy, st.integers(2, 5))
def test_scaling_counts_keeps_shares(pairs: list[tuple[int, int]], k: int) -> None:
    groups = list(Group)[: len(pairs)]
    base = adoption_by_group(_build(pairs, groups))
    scaled = adoption_by_group(_build([(a * k, d * k) for a, d in pairs], groups))
    assert [g.share for g in base.groups] == [g.share for g in scaled.groups]


def test_feedback_overdue() -> None:
    made = dt.date(2026, 1, 1)
    due = made + dt.timedelta(days=DEFAULT_FEEDBACK_DAYS)

    def overdue(today: dt.date, **kwargs: object) -> int | None:
        arguments: dict[str, object] = {
            "made_on": made, "told_on": None, "today": today, "days": 30,
            "disposition": Disposition.PENDING,
        }  # fmt: skip
        arguments.update(kwargs)
        return feedback_overdue(**arguments)  # type: ignore[arg-type]

    assert overdue(due) is None
    assert overdue(due + dt.timedelta(days=1)) == 1
    assert overdue(due + dt.timedelta(days=10), disposition=Disposition.ADOPTED) == 10
    assert overdue(due + dt.timedelta(days=10), told_on=due) is None
    assert overdue(due + dt.timedelta(days=10), contactable=False) is None
    assert overdue(made + dt.timedelta(days=8), days=7) == 1
    with pytest.raises(ValueError):
        overdue(due, days=-1)


def _said(text: str, disposition: Disposition, day: int) -> Said:
    return Said(
        text=text,
        kind=ContributionKind.IDEA,
        made_on=dt.date(2026, 3, day),
        activity="Workshop 1",
        stage=Stage.QUESTIONS,
        disposition=disposition,
        reason="Because",
        changed=None,
        told_on=None,
    )


def test_you_said_we_did_groups_by_outcome_in_a_fixed_order() -> None:
    items = [
        _said("Later one", Disposition.DEFERRED, 5),
        _said("Pending", Disposition.PENDING, 1),
        _said("Adapted", Disposition.ADAPTED, 9),
        _said("Adopted", Disposition.ADOPTED, 2),
        _said("No", Disposition.DECLINED, 3),
        _said("Elsewhere", Disposition.OUT_OF_SCOPE, 4),
    ]
    report = you_said_we_did(items, title="Steady Steps", for_whom="Zoë Ó Briain")
    assert [s.key for s in report.sections] == [
        "acted", "later", "declined", "out_of_scope", "considering",
    ]  # fmt: skip
    assert [i.text for i in report.sections[0].items] == ["Adopted", "Adapted"]
    assert report.total == 6
    assert report.counts["acted"] == 2
    assert report.summary == "You made 6 contributions. We acted on 2. 1 is still being considered."
    empty = you_said_we_did([], title="x", for_whom=None)
    assert empty.sections == () and "no contributions" in empty.summary


def test_three_small_groups_where_one_disagrees_with_the_others_get_a_test() -> None:
    # SciPy returns one-element arrays for this table; the result must still be plain numbers,
    # and the same as SciPy's own answer with the same seed.
    import numpy as np

    from coprod.core.contributions import RESAMPLES, SEED

    result = adoption_by_group(
        [
            GroupCounts(Group.PATIENTS_PUBLIC, adopted=0, decided=1),
            GroupCounts(Group.PRACTITIONERS, adopted=1, decided=1),
            GroupCounts(Group.MANAGERS, adopted=1, decided=1),
        ]
    )
    direct = stats.fisher_exact(
        np.array([[0, 1], [1, 0], [1, 0]]),
        method=stats.MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(SEED)),
    )
    assert result.test is not None
    assert result.test.method == "fisher-monte-carlo"
    assert isinstance(result.test.p_value, float)
    assert result.test.p_value == pytest.approx(float(np.ravel(direct.pvalue)[0]))


@pytest.mark.parametrize(
    ("counts", "label"),
    [
        ([(Group.PATIENTS_PUBLIC, 20, 40), (Group.PRACTITIONERS, 30, 40)], "Chi-square test"),
        ([(Group.PATIENTS_PUBLIC, 1, 6), (Group.PRACTITIONERS, 5, 6)], "Fisher's exact test"),
        (
            [(Group.PATIENTS_PUBLIC, 0, 1), (Group.PRACTITIONERS, 1, 1), (Group.MANAGERS, 1, 1)],
            "Fisher's exact test for several groups, estimated from 9,999 random tables",
        ),
    ],
)
def test_every_test_names_itself(counts: list[tuple[Group, int, int]], label: str) -> None:
    result = adoption_by_group([GroupCounts(g, adopted=a, decided=d) for g, a, d in counts])
    assert result.test is not None
    assert result.test.method_label == label

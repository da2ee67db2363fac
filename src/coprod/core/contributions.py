"""The contribution ledger (SPEC C6): whose input is adopted, who is owed feedback, "you said".

The paper warns that participants' input can be "cherry-picked to suit research agendas", that
contributions may not be "treated transparently and systematically", and that people can end in
the "'subjugation'" of their voices (Oliver, Kothari & Mays 2019, "Challenges and costs"). This
module gives the ledger's three answers to that, as pure functions a page, a report or the command
line can share:

- :func:`adoption_by_group` compares, for each stakeholder group, the share of its *decided*
  contributions that were *adopted* (adopted or adapted), and tests whether the groups differ more
  than chance would explain.
- :func:`feedback_overdue` says how many days late a contributor's feedback is.
- :func:`you_said_we_did` groups a person's or a project's contributions by what became of them.

What counts (:data:`ADOPTED`, :data:`DECIDED`)
    A contribution is *adopted* when its disposition is ``adopted`` or ``adapted``: both changed
    something. It is *decided* for every disposition but ``pending``. ``deferred``, ``declined`` and
    ``out_of_scope`` count as decided and not (yet) adopted. Deferring and ruling out of scope are
    the quiet ways to pass over what a group says, so leaving them out would hide exactly the
    cherry-picking the comparison is for; a deferred contribution that is later adopted moves into
    the adopted count when its disposition changes. Pending contributions are left out: nobody has
    decided yet. :data:`HOW_COUNTED` says this in the words shown to users.

The test (:func:`adoption_by_group`)
    Rows are the groups with at least one decided contribution, in the order of
    :class:`~coprod.core.ids.Group` (so the order the caller gives never changes the result);
    columns are adopted and not adopted. When every expected count is at least 5 it is Pearson's
    chi-square test (``scipy.stats.chi2_contingency`` with its defaults, so a 2×2 table gets Yates'
    continuity correction, as R's ``chisq.test`` does). Otherwise it is Fisher's exact test
    (``scipy.stats.fisher_exact``) for two groups, and for three or more the Fisher–Freeman–Halton
    test by Monte Carlo (``fisher_exact`` with a ``MonteCarloMethod`` of :data:`RESAMPLES` tables
    from a generator seeded with :data:`SEED`, so the same counts always give the same p-value).
    Results are shown no more precisely than the evidence allows: shares as whole percentages and
    p to two significant figures (:func:`p_text`, :func:`percent`).

scipy is imported inside the function that needs it: the command line's start-up time matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from coprod.core.ids import ContributionKind, Disposition, Group, Stage
from coprod.core.sources import Source

__all__ = [
    "ADOPTED",
    "ALPHA",
    "DECIDED",
    "DEFAULT_FEEDBACK_DAYS",
    "HOW_COUNTED",
    "MIN_EXPECTED",
    "RESAMPLES",
    "SEED",
    "SMALL_GROUP",
    "AdoptionResult",
    "ContributionKind",
    "GroupCounts",
    "Said",
    "SaidSection",
    "TestMethod",
    "TestResult",
    "YouSaidWeDid",
    "adoption_by_group",
    "feedback_overdue",
    "is_adopted",
    "is_decided",
    "p_text",
    "percent",
    "you_said_we_did",
]

ADOPTED = frozenset({Disposition.ADOPTED, Disposition.ADAPTED})
"""Dispositions that changed something: they count as adopted."""

DECIDED = frozenset(Disposition) - {Disposition.PENDING}
"""Dispositions decided on; deferred, declined and out of scope count as not adopted."""

HOW_COUNTED = (
    "Each share counts contributions adopted or adapted out of those the team has decided on. "
    "Deferred, declined and out-of-scope contributions count as not adopted: putting off or "
    "ruling out what a group says is one way its voice gets passed over. Contributions still "
    "being considered are left out until they are decided."
)

DEFAULT_FEEDBACK_DAYS = 30
"""Days a contributor may wait to hear what became of their input before it is flagged."""

SMALL_GROUP = 5
"""A group with fewer decided contributions than this gets a caution: one decision swings it."""

MIN_EXPECTED = 5
"""Chi-square needs every expected count at least this; below it, an exact test is used."""

ALPHA = 0.05
"""The conventional threshold below which a difference is called more than chance."""

SEED = 20190328  # the paper's publication date: any fixed seed makes Monte Carlo reproducible
RESAMPLES = 9999

TestMethod = Literal["chi-square", "fisher", "fisher-monte-carlo"]


def is_adopted(disposition: Disposition) -> bool:
    return disposition in ADOPTED


def is_decided(disposition: Disposition) -> bool:
    return disposition in DECIDED


def _count(value: object, name: str) -> int:
    # bool is an int in Python; a count of True is a bug in the caller, not a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (got {value})")
    return value


def percent(share: Fraction) -> int:
    """A share as a whole percentage, rounded half up: 1/8 → 13."""
    return int((share * 100 + Fraction(1, 2)) // 1)


def p_text(p: float) -> str:
    """A p-value to two significant figures, never claiming more: 'p = 0.031', 'p < 0.001'."""
    if p < 0.001:
        return "p < 0.001"
    value = Decimal(repr(min(p, 1.0)))
    step = Decimal(1).scaleb(value.adjusted() - 1)
    rounded = value.quantize(step, rounding=ROUND_HALF_UP)
    if rounded >= 1:
        rounded = Decimal("1.0")
    return f"p = {rounded:f}"


@dataclass(frozen=True)
class GroupCounts:
    """One stakeholder group's decided contributions, and how many of them were adopted."""

    group: Group
    adopted: int
    decided: int

    def __post_init__(self) -> None:
        _count(self.adopted, "adopted")
        _count(self.decided, "decided")
        if self.adopted > self.decided:
            raise ValueError(
                f"{self.group.value}: adopted ({self.adopted}) cannot exceed decided "
                f"({self.decided})"
            )

    @property
    def not_adopted(self) -> int:
        return self.decided - self.adopted

    @property
    def share(self) -> Fraction | None:
        """Adopted out of decided, exactly; None when nothing is decided yet."""
        return Fraction(self.adopted, self.decided) if self.decided else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else percent(share)


@dataclass(frozen=True)
class TestResult:
    """A test of whether the groups' adoption shares differ.

    ``table`` holds the observed counts, a row per group in ``groups``: (adopted, not adopted).
    ``statistic`` is chi-square for ``chi-square``; the odds ratio for ``fisher`` (None when it is
    infinite, as when one group had everything adopted); and the probability of the observed
    table for ``fisher-monte-carlo``. ``dof`` is None for the exact tests.
    """

    method: TestMethod
    statistic: float | None
    p_value: float
    dof: int | None
    table: tuple[tuple[int, int], ...]
    groups: tuple[Group, ...]
    expected_min: float
    resamples: int | None = None
    seed: int | None = None

    @property
    def method_label(self) -> str:
        if self.method == "chi-square":
            return "Chi-square test"
        if self.method == "fisher":
            return "Fisher's exact test"
        return (
            f"Fisher's exact test for several groups, estimated from {self.resamples or 0:,} "
            "random tables"
        )

    @property
    def p_text(self) -> str:
        return p_text(self.p_value)

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


@dataclass(frozen=True)
class AdoptionResult:
    """Adoption shares by group, a test of their difference, and what they can and cannot say."""

    groups: tuple[GroupCounts, ...]
    test: TestResult | None
    caution: str | None
    verdict: str
    how_counted: str
    source: Source
    also: tuple[Source, ...] = ()

    @property
    def decided(self) -> int:
        return sum(g.decided for g in self.groups)

    @property
    def adopted(self) -> int:
        return sum(g.adopted for g in self.groups)


def _rule_sources(rule_id: str) -> tuple[Source, tuple[Source, ...]]:
    from coprod.core.catalogue import default_catalogue

    rule = default_catalogue().rules[rule_id]
    return rule.source, rule.also


def _label(group: Group) -> str:
    from coprod.core.catalogue import default_catalogue

    return default_catalogue().groups[group].label


def _words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _ordered(counts: Sequence[GroupCounts]) -> tuple[GroupCounts, ...]:
    order = {group: rank for rank, group in enumerate(Group)}
    seen: set[Group] = set()
    for item in counts:
        if item.group in seen:
            raise ValueError(f"the group {item.group.value} is given twice")
        seen.add(item.group)
    return tuple(sorted(counts, key=lambda item: order[item.group]))


def _expected_min(table: Sequence[tuple[int, int]]) -> float:
    total = sum(a + b for a, b in table)
    columns = (sum(a for a, _ in table), sum(b for _, b in table))
    return float(min(Fraction((a + b) * column, total) for a, b in table for column in columns))


def _test(rows: Sequence[GroupCounts]) -> TestResult:
    """The test for two or more groups whose table has both adopted and not adopted counts."""
    import math

    import numpy as np
    from scipy import stats  # type: ignore[import-untyped]

    table = tuple((row.adopted, row.not_adopted) for row in rows)
    groups = tuple(row.group for row in rows)
    expected_min = _expected_min(table)
    observed = np.array(table, dtype=np.int64)
    if expected_min >= MIN_EXPECTED:
        chi = stats.chi2_contingency(observed)
        return TestResult(
            "chi-square",
            float(chi.statistic),
            float(chi.pvalue),
            int(chi.dof),
            table,
            groups,
            expected_min,
        )
    if len(table) == 2:
        fisher = stats.fisher_exact(observed)
        odds = float(fisher.statistic)
        return TestResult(
            "fisher",
            odds if math.isfinite(odds) else None,
            float(fisher.pvalue),
            None,
            table,
            groups,
            expected_min,
        )
    method = stats.MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(SEED))
    monte = stats.fisher_exact(observed, method=method)
    return TestResult(
        "fisher-monte-carlo",
        _scalar(monte.statistic),
        _scalar(monte.pvalue),
        None,
        table,
        groups,
        expected_min,
        RESAMPLES,
        SEED,
    )


def _scalar(value: Any) -> float:
    # SciPy gives a one-element array instead of a number for some degenerate tables.
    import numpy as np

    return float(np.ravel(value)[0])


def _caution(rows: Sequence[GroupCounts]) -> str | None:
    decided = [row for row in rows if row.decided]
    if not decided:
        return "No contribution has been decided yet, so there is nothing to compare."
    if len(decided) == 1:
        return (
            f"Only {_label(decided[0].group).lower()} have decided contributions, so there is no "
            "other group to compare with."
        )
    small = [_label(row.group).lower() for row in decided if row.decided < SMALL_GROUP]
    if small:
        return (
            f"Fewer than {SMALL_GROUP} contributions are decided for {_words(small)}. One decision "
            "moves such a share a long way, and a real difference can go unseen: read these "
            "shares with care."
        )
    return None


def _verdict(rows: Sequence[GroupCounts], test: TestResult | None) -> str:
    decided = [row for row in rows if row.decided]
    if len(decided) < 2:
        return "Too few decided contributions to say whether the groups differ."
    if test is None:
        # One column of the table is empty: every share is 0% or every share is 100%.
        everything = decided[0].adopted == decided[0].decided
        return (
            "Every group has had all of its decided contributions adopted."
            if everything
            else "No group has had any of its decided contributions adopted yet."
        )
    lowest = min(decided, key=lambda row: (row.share, row.decided))
    if test.significant:
        return (
            f"The groups' shares differ more than chance would explain ({test.p_text}). "
            f"The lowest is {_label(lowest.group).lower()} ({lowest.percent}%): ask why their "
            "input is adopted less."
        )
    return (
        f"No clear difference between the groups' shares ({test.p_text}). This does not show "
        "that they are treated alike: with few contributions, a real difference can go unseen."
    )


def adoption_by_group(counts: Sequence[GroupCounts]) -> AdoptionResult:
    """Each group's adoption share, and a test of whether the groups differ (module docstring).

    Groups come back in the order of :class:`~coprod.core.ids.Group`; a group with no decided
    contribution keeps its row (its share is None) but takes no part in the test. Raises
    ValueError when a group is given twice.
    """
    rows = _ordered(counts)
    decided = [row for row in rows if row.decided]
    adopted = sum(row.adopted for row in decided)
    total = sum(row.decided for row in decided)
    # A test needs two groups and both outcomes; with one column empty every share is equal.
    testable = len(decided) >= 2 and 0 < adopted < total
    test = _test(decided) if testable else None
    source, also = _rule_sources("adoption-by-group")
    return AdoptionResult(
        groups=rows,
        test=test,
        caution=_caution(rows),
        verdict=_verdict(rows, test),
        how_counted=HOW_COUNTED,
        source=source,
        also=also,
    )


def feedback_overdue(
    *,
    made_on: dt.date,
    told_on: dt.date | None,
    today: dt.date,
    days: int = DEFAULT_FEEDBACK_DAYS,
    disposition: Disposition,
    contactable: bool = True,
) -> int | None:
    """Days past the feedback deadline (``made_on`` + ``days``), or None when nothing is owed.

    Every disposition counts, ``pending`` included: a contributor whose input is still being
    considered hears nothing unless told so, and "we are still considering it" is feedback too.
    Nothing is owed once the contributor has been told (``told_on``), or when there is nobody to
    tell (``contactable`` False: an anonymous contribution, or a person who did not agree to be
    contacted). On the deadline itself the feedback is not yet late.
    """
    _count(days, "days")
    if not isinstance(disposition, Disposition):
        raise TypeError(f"disposition must be a Disposition, not {disposition!r}")
    if told_on is not None or not contactable:
        return None
    late = (today - (made_on + dt.timedelta(days=days))).days
    return late if late > 0 else None


# --- "You said, we did" ---------------------------------------------------------------------------

SectionKey = Literal["acted", "later", "declined", "out_of_scope", "considering"]

_SECTIONS: tuple[tuple[SectionKey, frozenset[Disposition], str, str], ...] = (
    (
        "acted",
        ADOPTED,
        "What we did with it",
        "We took these up, as they were or changed to fit.",
    ),
    (
        "later",
        frozenset({Disposition.DEFERRED}),
        "Kept for later",
        "We could not act on these yet. We have kept them and will come back to them.",
    ),
    (
        "declined",
        frozenset({Disposition.DECLINED}),
        "What we did not take forward, and why",
        "We decided not to act on these. Each says why.",
    ),
    (
        "out_of_scope",
        frozenset({Disposition.OUT_OF_SCOPE}),
        "Outside what this project can do",
        "These matter, but this project cannot act on them. Each says why.",
    ),
    (
        "considering",
        frozenset({Disposition.PENDING}),
        "Still being considered",
        "We have not decided about these yet. We will tell you when we have.",
    ),
)


@dataclass(frozen=True)
class Said:
    """One contribution as its report shows it: what was said, and what became of it.

    ``by`` names who said it in a project-wide report; leave it None in a person's own report and
    for anonymous contributions.
    """

    text: str
    kind: ContributionKind
    made_on: dt.date
    activity: str | None
    stage: Stage | None
    disposition: Disposition
    reason: str | None = None
    changed: str | None = None
    told_on: dt.date | None = None
    by: str | None = None


@dataclass(frozen=True)
class SaidSection:
    key: SectionKey
    heading: str
    intro: str
    items: tuple[Said, ...]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class YouSaidWeDid:
    """A "you said, we did" report as data, for the HTML, DOCX and PDF renderers alike.

    ``title`` is the report's full title as shown (e.g. "You said, we did: Steady Steps"); the
    renderers use it as it is, so a page can translate it.

    ``sections`` holds only the sections with items, in a fixed order: acted on first, then kept
    for later, not taken forward, out of scope, still being considered.
    """

    title: str
    for_whom: str | None
    sections: tuple[SaidSection, ...]
    summary: str
    source: Source

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def counts(self) -> dict[str, int]:
        return {section.key: section.count for section in self.sections}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _summary(sections: Sequence[SaidSection], for_whom: str | None) -> str:
    total = sum(section.count for section in sections)
    if not total:
        return "There are no contributions to report yet."
    acted = sum(section.count for section in sections if section.key == "acted")
    pending = sum(section.count for section in sections if section.key == "considering")
    who = "You" if for_whom else "People"
    parts = [f"{who} made {_plural(total, 'contribution', 'contributions')}."]
    parts.append(f"We acted on {acted}.")
    if pending:
        parts.append(f"{pending} {'is' if pending == 1 else 'are'} still being considered.")
    return " ".join(parts)


def you_said_we_did(
    items: Sequence[Said], *, title: str, for_whom: str | None = None
) -> YouSaidWeDid:
    """Group contributions by what became of them, with plain headings and counts.

    Within a section, items run in the order they were made (oldest first).
    """
    sections = []
    for key, dispositions, heading, intro in _SECTIONS:
        chosen = sorted(
            (item for item in items if item.disposition in dispositions),
            key=lambda item: item.made_on,
        )
        if chosen:
            sections.append(SaidSection(key, heading, intro, tuple(chosen)))
    source, _ = _rule_sources("adoption-by-group")
    return YouSaidWeDid(
        title=title,
        for_whom=for_whom,
        sections=tuple(sections),
        summary=_summary(sections, for_whom),
        source=source,
    )

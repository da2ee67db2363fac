"""Costs and burden (SPEC C4): the involvement budget, what was spent, and who bears the time.

Money is held as :class:`~decimal.Decimal` with its currency stated, never as a float. Every amount
is rounded to the penny (0.01, half up) once, on its own line; totals are exact sums of those
rounded amounts, so the lines, the total, the subtotals by kind and by bearer always agree.

A budget line either gives a fixed ``amount`` or is priced from a rate card: ``quantity`` × the
rate in force on the line's ``date``, which is the rate with the latest ``valid_from`` on or before
that date (funders' rates change: NIHR's public-involvement rates rose by 10% from 16 December
2025). The shipped cards are examples; an organisation keeps its own in its catalogue folder.

The burden analysis answers the paper's warning that the costs of coproduction may be "borne by
those least able in terms of time or capacity – in our experience, often the most junior,
temporary, female and/or of colour" (Oliver, Kothari & Mays 2019, "Challenges and costs"). It
compares each group's share of involvement hours with its share of the team, and flags a group
that carries far more than its share (:data:`FLAG_RULE`). A group of fewer than five people is
never shown on its own to anyone but the project lead (:data:`SMALL_GROUP`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal, get_args

from coprod.core.catalogue import Catalogue
from coprod.core.catalogue.model import Rate, RateCardEntry
from coprod.core.ids import CostUnit, Stage
from coprod.core.plan import CostKind, CostLine, Plan
from coprod.core.sources import Source

CENT = Decimal("0.01")
DEFAULT_CURRENCY = "GBP"
NOT_STATED = "not stated"
"""The bearer of a line that does not say who pays."""

KINDS: tuple[CostKind, ...] = get_args(CostKind)
"""Budget line kinds, in the order a budget lists them."""

KIND_LABELS: dict[str, str] = {
    "contributor_payment": "Payments to public contributors",
    "staff_time": "Staff time",
    "travel_venue": "Travel and venues",
    "access": "Access needs (carers, interpreters, accessible formats)",
    "administration": "Administration",
    "facilitation_training": "Facilitation and training",
    "other": "Other",
}

UNIT_WORDS: dict[CostUnit, tuple[str, str]] = {
    CostUnit.HOUR: ("hour", "hours"),
    CostUnit.SESSION: ("session", "sessions"),
    CostUnit.DAY: ("day", "days"),
    CostUnit.ITEM: ("item", "items"),
}


def money(value: Decimal) -> Decimal:
    """``value`` rounded to the penny, half up (2.345 → 2.35), as budgets are."""
    with localcontext() as context:
        context.prec = 60
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _sum(values: Iterable[Decimal]) -> Decimal:
    """An exact sum: the working precision is far above any budget's digits."""
    with localcontext() as context:
        context.prec = 60
        total = Decimal("0.00")
        for value in values:
            total += value
        return total


def _decimal(value: object, name: str) -> Decimal:
    """``value`` as a Decimal. Floats are refused: they cannot hold money exactly."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{name} must be a number, found {value}")
    return number


def _money_field(value: object, name: str) -> Decimal:
    number = _decimal(value, name)
    if number < 0:
        raise ValueError(f"{name} must not be negative, found {number}")
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError(f"{name} has more than 2 decimal places: {number}")
    return number


def _currency(value: str, name: str = "currency") -> str:
    if len(value) != 3 or not value.isascii() or not value.isalpha() or not value.isupper():
        raise ValueError(f"{name} must be a three-letter code such as GBP, found {value!r}")
    return value


def _text(value: str, name: str) -> str:
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value.strip()


# --- Rates ---------------------------------------------------------------------------------------


class RateNotFound(LookupError):
    """No rate of that id on that card is in force on that date."""

    def __init__(self, card: str, rate: str, on: dt.date | None, message: str) -> None:
        self.card = card
        self.rate = rate
        self.on = on
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


def rate_in_force(card: RateCardEntry, rate_id: str, on: dt.date) -> Rate:
    """The rate ``rate_id`` of ``card`` in force on ``on``: the latest ``valid_from`` ≤ ``on``."""
    same = [rate for rate in card.rates if rate.id == rate_id]
    if not same:
        known = ", ".join(dict.fromkeys(rate.id for rate in card.rates))
        message = f"rate card '{card.id}' has no rate '{rate_id}' (its rates: {known})"
        raise RateNotFound(card.id, rate_id, None, message)
    in_force = [rate for rate in same if rate.valid_from <= on]
    if not in_force:
        earliest = min(rate.valid_from for rate in same)
        message = (
            f"rate card '{card.id}' has no rate '{rate_id}' in force on {on.isoformat()}: "
            f"the earliest applies from {earliest.isoformat()}"
        )
        raise RateNotFound(card.id, rate_id, on, message)
    return max(in_force, key=lambda rate: rate.valid_from)


# --- Problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostProblem:
    """Something wrong with one line of a budget or of the actuals, and which field."""

    section: str
    index: int | None
    field: str | None
    message: str

    @property
    def path(self) -> tuple[str | int, ...]:
        """The path of the field in a plan file, e.g. ``("costs", 3, "rate")``."""
        path: tuple[str | int, ...] = (self.section,)
        if self.index is not None:
            path += (self.index,)
            if self.field is not None:
                path += (self.field,)
        return path

    def __str__(self) -> str:
        where = self.section
        if self.index is not None:
            where += f"[{self.index}]"
            if self.field:
                where += f".{self.field}"
        return f"{where}: {self.message}"


class BudgetError(ValueError):
    """A budget cannot be made. ``problems`` lists every problem found, each with its line."""

    def __init__(self, problems: Sequence[CostProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- The budget ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pricing:
    """How a line was priced: the card, its version, and the rate in force on the line's date."""

    rate_card: str
    card_label: str
    card_version: str
    rate: str
    rate_label: str
    rate_amount: Decimal
    unit: CostUnit
    valid_from: dt.date
    on: dt.date
    note: str | None


@dataclass(frozen=True)
class BudgetLine:
    index: int
    kind: CostKind
    description: str
    bearer: str
    stage: Stage | None
    amount: Decimal
    currency: str
    quantity: Decimal | None
    unit: CostUnit | None
    role: str | None
    pricing: Pricing | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def rate(self) -> Decimal | None:
        return self.pricing.rate_amount if self.pricing else None


@dataclass(frozen=True)
class CardUse:
    """A rate card a budget used, with where its figures come from."""

    id: str
    label: str
    version: str
    currency: str
    help: str
    citation: str
    url: str | None


@dataclass(frozen=True)
class Budget:
    """Priced budget lines and their totals. Make one with :func:`budget`."""

    lines: tuple[BudgetLine, ...]
    currency: str
    total: Decimal
    by_kind: Mapping[str, Decimal]
    by_bearer: Mapping[str, Decimal]
    cards: tuple[CardUse, ...] = ()

    @classmethod
    def of(
        cls, lines: Sequence[BudgetLine], currency: str, cards: Sequence[CardUse] = ()
    ) -> Budget:
        """A budget of ``lines`` with its totals computed from them."""
        kinds: dict[str, list[Decimal]] = defaultdict(list)
        bearers: dict[str, list[Decimal]] = defaultdict(list)
        for line in lines:
            kinds[line.kind].append(line.amount)
            bearers[line.bearer].append(line.amount)
        by_kind: dict[str, Decimal] = {k: _sum(kinds[k]) for k in KINDS if k in kinds}
        by_bearer = {bearer: _sum(bearers[bearer]) for bearer in bearers}
        ordered = sorted(by_bearer, key=lambda bearer: (-by_bearer[bearer], bearer))
        return cls(
            lines=tuple(lines),
            currency=currency,
            total=_sum(line.amount for line in lines),
            by_kind=by_kind,
            by_bearer={bearer: by_bearer[bearer] for bearer in ordered},
            cards=tuple(cards),
        )

    def lines_of(self, kind: str) -> list[BudgetLine]:
        return [line for line in self.lines if line.kind == kind]


def _card_problem(
    line: CostLine, catalogue: Catalogue, index: int | None, section: str
) -> tuple[RateCardEntry | None, Rate | None, list[CostProblem]]:
    """The card and the rate in force for a priced line, or the problems that stop it."""
    assert line.rate_card is not None and line.rate is not None and line.date is not None
    card = catalogue.rate_cards.get(line.rate_card)
    if card is None:
        known = ", ".join(sorted(catalogue.rate_cards)) or "none"
        message = f"'{line.rate_card}' is not a known rate card (known: {known})"
        return None, None, [CostProblem(section, index, "rate_card", message)]
    try:
        rate = rate_in_force(card, line.rate, line.date)
    except RateNotFound as error:
        where = "rate" if error.on is None else "date"
        return card, None, [CostProblem(section, index, where, str(error))]
    return card, rate, []


def _quantity_words(quantity: Decimal, unit: CostUnit) -> str:
    one, many = UNIT_WORDS[unit]
    return f"{quantity.normalize():f} {one if quantity == 1 else many}"


def _price(
    line: CostLine, catalogue: Catalogue, index: int | None, section: str = "costs"
) -> tuple[Decimal, str, Pricing | None, RateCardEntry | None]:
    """The line's amount, currency and pricing. Raises :class:`BudgetError` naming the line."""
    if line.rate_card is None or line.rate is None:
        assert line.amount is not None  # the plan model requires it
        return money(line.amount), line.currency, None, None
    card, rate, problems = _card_problem(line, catalogue, index, section)
    if card is None or rate is None:
        raise BudgetError(problems)
    assert line.quantity is not None and line.date is not None
    if line.unit is not None and line.unit != rate.unit:
        problems.append(
            CostProblem(
                section,
                index,
                "unit",
                f"rate '{rate.id}' on card '{card.id}' is per {UNIT_WORDS[rate.unit][0]}, "
                f"but this line counts {UNIT_WORDS[line.unit][1]}",
            )
        )
    currency_given = "currency" in line.model_fields_set
    if currency_given and line.currency != card.currency:
        problems.append(
            CostProblem(
                section,
                index,
                "currency",
                f"this line is in {line.currency} but rate card '{card.id}' is in {card.currency}",
            )
        )
    amount = money(line.quantity * rate.amount)
    if line.amount is not None and money(line.amount) != amount:
        problems.append(
            CostProblem(
                section,
                index,
                "amount",
                f"{line.amount} does not match {_quantity_words(line.quantity, rate.unit)} × "
                f"{rate.amount} (rate '{rate.id}' in force on {line.date.isoformat()}) = "
                f"{amount}: correct the amount or leave it out",
            )
        )
    if problems:
        raise BudgetError(problems)
    pricing = Pricing(
        rate_card=card.id,
        card_label=card.label,
        card_version=card.version,
        rate=rate.id,
        rate_label=rate.label,
        rate_amount=rate.amount,
        unit=rate.unit,
        valid_from=rate.valid_from,
        on=line.date,
        note=rate.note,
    )
    return amount, card.currency, pricing, card


def line_amount(line: CostLine, catalogue: Catalogue) -> Decimal:
    """What one budget line costs, to the penny. Raises :class:`BudgetError` if it cannot."""
    amount, _currency, _pricing, _card = _price(line, catalogue, None)
    return amount


def _currency_problems(
    currencies: Sequence[tuple[int, str, str]], section: str
) -> tuple[str | None, list[CostProblem]]:
    """The currency most lines use, and a problem for each line in another one."""
    if not currencies:
        return None, []
    counts: dict[str, int] = {}
    for _index, currency, _description in currencies:
        counts[currency] = counts.get(currency, 0) + 1
    main = max(counts, key=lambda currency: (counts[currency], -list(counts).index(currency)))
    if len(counts) == 1:
        return main, []
    in_main = [f"{section}[{index}]" for index, currency, _ in currencies if currency == main]
    shown = ", ".join(in_main[:4]) + (f" and {len(in_main) - 4} more" if len(in_main) > 4 else "")
    problems = [
        CostProblem(
            section,
            index,
            "currency",
            f"'{description}' is in {currency}, but the rest of the budget is in {main} "
            f"({shown}): a budget holds one currency, so convert it or make a separate budget",
        )
        for index, currency, description in currencies
        if currency != main
    ]
    return main, problems


def budget(plan_or_lines: Plan | Sequence[CostLine], catalogue: Catalogue) -> Budget:
    """Price every line and total them. Raises :class:`BudgetError` listing every problem."""
    lines = plan_or_lines.costs if isinstance(plan_or_lines, Plan) else list(plan_or_lines)
    priced: list[BudgetLine] = []
    problems: list[CostProblem] = []
    cards: dict[str, RateCardEntry] = {}
    for index, line in enumerate(lines):
        try:
            amount, currency, pricing, card = _price(line, catalogue, index)
        except BudgetError as error:
            problems.extend(error.problems)
            continue
        if card is not None:
            cards[card.id] = card
        priced.append(
            BudgetLine(
                index=index,
                kind=line.kind,
                description=line.description,
                bearer=(line.bearer or "").strip() or NOT_STATED,
                stage=line.stage,
                amount=amount,
                currency=currency,
                quantity=line.quantity,
                unit=pricing.unit if pricing else line.unit,
                role=line.role,
                pricing=pricing,
            )
        )
    main, mixed = _currency_problems(
        [(line.index, line.currency, line.description) for line in priced], "costs"
    )
    problems.extend(mixed)
    if problems:
        raise BudgetError(sorted(problems, key=lambda p: (p.index or 0, p.field or "")))
    uses = [
        CardUse(
            id=card.id,
            label=card.label,
            version=card.version,
            currency=card.currency,
            help=" ".join(card.help.split()),
            citation=catalogue.cite(card.source),
            url=catalogue.documents[card.source.document].url,
        )
        for card in cards.values()
    ]
    return Budget.of(priced, main or DEFAULT_CURRENCY, uses)


# --- Actuals -------------------------------------------------------------------------------------

PaymentOffer = Literal["cash", "voucher", "declined"]
PAYMENT_OFFERS: tuple[PaymentOffer, ...] = get_args(PaymentOffer)

MAX_HOURS_A_DAY = Decimal(24)


def _kind(value: str) -> CostKind:
    for kind in KINDS:
        if kind == value:
            return kind
    raise ValueError(f"kind must be one of {', '.join(KINDS)}, found {value!r}")


@dataclass(frozen=True)
class TimeLog:
    """Time a person gave to involvement work, including researchers' own time.

    With ``rate_card`` and ``rate`` the time is costed at the rate in force on ``date``;
    without them it still counts as hours (the "invisible labour" no budget pays for).
    """

    person: str
    activity: str
    date: dt.date
    hours: Decimal
    role: str | None = None
    kind: CostKind = "staff_time"
    rate_card: str | None = None
    rate: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "person", _text(self.person, "person"))
        object.__setattr__(self, "activity", _text(self.activity, "activity"))
        hours = _decimal(self.hours, "hours")
        if hours < 0:
            raise ValueError(f"hours must not be negative, found {hours}")
        if hours > MAX_HOURS_A_DAY:
            raise ValueError(f"{hours} hours on one day: log at most 24 hours for a date")
        if hours != hours.quantize(CENT, rounding=ROUND_HALF_UP):
            raise ValueError(f"hours has more than 2 decimal places: {hours}")
        object.__setattr__(self, "hours", hours)
        _kind(self.kind)
        if (self.rate_card is None) != (self.rate is None):
            raise ValueError("give both rate_card and rate, or neither")


@dataclass(frozen=True)
class Expense:
    """Money spent: travel, venues, access needs, materials."""

    description: str
    date: dt.date
    amount: Decimal
    currency: str = DEFAULT_CURRENCY
    kind: CostKind = "other"
    bearer: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", _text(self.description, "description"))
        object.__setattr__(self, "amount", _money_field(self.amount, "amount"))
        _currency(self.currency)
        _kind(self.kind)


@dataclass(frozen=True)
class Payment:
    """A payment offered to a contributor for an activity: cash, voucher, or declined.

    ``amount`` is what was offered; a declined payment is never paid, so it has no ``paid_on``.
    """

    person: str
    activity_date: dt.date
    offered: PaymentOffer
    amount: Decimal
    paid_on: dt.date | None = None
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        object.__setattr__(self, "person", _text(self.person, "person"))
        if self.offered not in PAYMENT_OFFERS:
            raise ValueError(
                f"offered must be one of {', '.join(PAYMENT_OFFERS)}, found {self.offered!r}"
            )
        object.__setattr__(self, "amount", _money_field(self.amount, "amount"))
        _currency(self.currency)
        if self.offered == "declined" and self.paid_on is not None:
            raise ValueError("a declined payment has no date paid")

    @property
    def days_to_payment(self) -> int | None:
        """Days from the activity to the payment; None until paid. 0 or less: paid in advance."""
        if self.paid_on is None:
            return None
        return (self.paid_on - self.activity_date).days

    @property
    def paid(self) -> Decimal:
        """What has been paid out: the amount once paid, nothing if declined or not yet paid."""
        return self.amount if self.paid_on is not None else Decimal("0.00")

    @property
    def outstanding(self) -> Decimal:
        """What is owed: offered as cash or voucher and not yet paid."""
        if self.offered == "declined" or self.paid_on is not None:
            return Decimal("0.00")
        return self.amount


@dataclass(frozen=True)
class KindActuals:
    """Budget against actuals for one kind of cost."""

    kind: CostKind
    budgeted: Decimal
    spent: Decimal
    outstanding: Decimal
    budgeted_hours: Decimal
    logged_hours: Decimal
    uncosted_hours: Decimal

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def remaining(self) -> Decimal:
        """Budget left once what is spent and owed is taken off; negative when overspent."""
        return self.budgeted - self.spent - self.outstanding


@dataclass(frozen=True)
class BudgetVsActuals:
    currency: str
    kinds: tuple[KindActuals, ...]
    days_to_payment: tuple[int, ...]
    """Days from activity to payment, for every payment made, in date order of the activity."""
    unpaid: int
    """Payments offered as cash or voucher and not yet made."""

    @property
    def budgeted(self) -> Decimal:
        return _sum(row.budgeted for row in self.kinds)

    @property
    def spent(self) -> Decimal:
        return _sum(row.spent for row in self.kinds)

    @property
    def outstanding(self) -> Decimal:
        return _sum(row.outstanding for row in self.kinds)

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.spent - self.outstanding

    @property
    def median_days_to_payment(self) -> Decimal | None:
        """The middle of the days to payment (half-days where the count is even)."""
        days = sorted(self.days_to_payment)
        if not days:
            return None
        middle = len(days) // 2
        if len(days) % 2:
            return Decimal(days[middle])
        return (Decimal(days[middle - 1]) + Decimal(days[middle])) / 2


def _time_cost(
    log: TimeLog, index: int, catalogue: Catalogue | None, currency: str
) -> tuple[Decimal | None, list[CostProblem]]:
    if log.rate_card is None or log.rate is None:
        return None, []
    if catalogue is None:
        message = "this time is priced from a rate card, but no catalogue was given"
        return None, [CostProblem("time_logs", index, "rate_card", message)]
    line = CostLine(
        kind=log.kind,
        description=log.activity,
        quantity=log.hours,
        unit=CostUnit.HOUR,
        rate_card=log.rate_card,
        rate=log.rate,
        date=log.date,
    )
    try:
        amount, card_currency, _pricing, _card = _price(line, catalogue, index, "time_logs")
    except BudgetError as error:
        return None, error.problems
    if card_currency != currency:
        message = f"rate card '{log.rate_card}' is in {card_currency}, the budget in {currency}"
        return None, [CostProblem("time_logs", index, "rate_card", message)]
    return amount, []


def budget_vs_actuals(
    planned: Budget,
    *,
    time_logs: Sequence[TimeLog] = (),
    expenses: Sequence[Expense] = (),
    payments: Sequence[Payment] = (),
    catalogue: Catalogue | None = None,
) -> BudgetVsActuals:
    """What was budgeted, spent and owed for each kind of cost, with the hours given.

    Payments count as ``contributor_payment``; expenses and time logs count under their own kind.
    Time is costed only where its log names a rate. Raises :class:`BudgetError` for actuals in
    another currency than the budget's, or priced from an unknown rate.
    """
    currency = planned.currency
    problems: list[CostProblem] = []
    spent: dict[str, list[Decimal]] = defaultdict(list)
    owed: dict[str, list[Decimal]] = defaultdict(list)
    logged: dict[str, list[Decimal]] = defaultdict(list)
    uncosted: dict[str, list[Decimal]] = defaultdict(list)
    for index, expense in enumerate(expenses):
        if expense.currency != currency:
            message = f"'{expense.description}' is in {expense.currency}, the budget in {currency}"
            problems.append(CostProblem("expenses", index, "currency", message))
            continue
        spent[expense.kind].append(expense.amount)
    for index, payment in enumerate(payments):
        if payment.currency != currency:
            message = (
                f"payment to {payment.person} is in {payment.currency}, the budget in {currency}"
            )
            problems.append(CostProblem("payments", index, "currency", message))
            continue
        spent["contributor_payment"].append(payment.paid)
        owed["contributor_payment"].append(payment.outstanding)
    for index, log in enumerate(time_logs):
        cost, found = _time_cost(log, index, catalogue, currency)
        problems.extend(found)
        logged[log.kind].append(log.hours)
        if cost is None:
            uncosted[log.kind].append(log.hours)
        else:
            spent[log.kind].append(cost)
    if problems:
        raise BudgetError(problems)
    hours: dict[str, list[Decimal]] = defaultdict(list)
    for line in planned.lines:
        if line.unit == CostUnit.HOUR and line.quantity is not None:
            hours[line.kind].append(line.quantity)
    present = set(planned.by_kind) | set(spent) | set(owed) | set(logged)
    rows = tuple(
        KindActuals(
            kind=kind,
            budgeted=planned.by_kind.get(kind, Decimal("0.00")),
            spent=_sum(spent[kind]),
            outstanding=_sum(owed[kind]),
            budgeted_hours=_sum(hours[kind]),
            logged_hours=_sum(logged[kind]),
            uncosted_hours=_sum(uncosted[kind]),
        )
        for kind in KINDS
        if kind in present
    )
    made = sorted(
        (p for p in payments if p.days_to_payment is not None),
        key=lambda p: (p.activity_date, p.person),
    )
    return BudgetVsActuals(
        currency=currency,
        kinds=rows,
        days_to_payment=tuple(p.days_to_payment for p in made if p.days_to_payment is not None),
        unpaid=sum(1 for p in payments if p.outstanding > 0),
    )


# --- Burden: who bears the time ------------------------------------------------------------------

CareerStage = Literal["doctoral", "early_career", "mid_career", "senior"]
Contract = Literal["permanent", "fixed_term", "casual"]
BurdenAttribute = Literal["career_stage", "contract", "gender", "ethnicity"]

CAREER_STAGES: tuple[CareerStage, ...] = get_args(CareerStage)
CONTRACTS: tuple[Contract, ...] = get_args(Contract)
BURDEN_ATTRIBUTES: tuple[BurdenAttribute, ...] = get_args(BurdenAttribute)

GROUP_LABELS: dict[str, str] = {
    "doctoral": "Doctoral",
    "early_career": "Early career",
    "mid_career": "Mid-career",
    "senior": "Senior",
    "permanent": "Permanent",
    "fixed_term": "Fixed-term",
    "casual": "Casual",
}

NAMED_BY_PAPER = frozenset({"doctoral", "early_career", "fixed_term", "casual"})
"""Groups the paper names as bearing the cost: "the most junior, temporary" (the closed
vocabularies only; gender and ethnicity are recorded in each person's own words)."""

SMALL_GROUP = 5
"""A group of fewer people is never shown on its own to anyone but the lead."""

FLAG_RATIO = Fraction(3, 2)
FLAG_MARGIN = Fraction(1, 10)
FLAG_RULE = (
    "A group is flagged when its share of the involvement hours is at least 1.5 times its share "
    "of the team and at least 10 percentage points above it. Both must hold: the ratio alone "
    "would flag a small group for a few extra hours, and the margin alone would flag a large "
    "group carrying only a little more than its share (60% of the hours for half the team)."
)
"""Why: the paper warns that the costs of coproduction may be borne by those least able to bear
them, "often the most junior, temporary, female and/or of colour" (:data:`BURDEN_SOURCE`)."""

BURDEN_SOURCE = Source(
    document="oliver2019",
    locator="Challenges and costs (professional costs to researchers)",
    quote=(
        "may lead to the costs of coproduction being borne by those least able in terms of time "
        "or capacity – in our experience, often the most junior, temporary, female and/or of "
        "colour"
    ),
)

OTHER_GROUP = "other_or_not_shown"
OTHER_LABEL = "Other or not shown"
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"


@dataclass(frozen=True)
class Person:
    """A member of the team, for the burden analysis.

    ``gender`` and ``ethnicity`` stay None unless the person chose to record them, in their own
    words; career stage and contract may also be left unrecorded.
    """

    id: str
    career_stage: CareerStage | None = None
    contract: Contract | None = None
    gender: str | None = None
    ethnicity: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _text(self.id, "id"))
        if self.career_stage is not None and self.career_stage not in CAREER_STAGES:
            raise ValueError(
                f"career_stage must be one of {', '.join(CAREER_STAGES)}, "
                f"found {self.career_stage!r}"
            )
        if self.contract is not None and self.contract not in CONTRACTS:
            raise ValueError(
                f"contract must be one of {', '.join(CONTRACTS)}, found {self.contract!r}"
            )
        for name in ("gender", "ethnicity"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise ValueError(f"{name} is empty: leave it unset unless the person records it")


@dataclass(frozen=True)
class GroupShare:
    """One group's share of the involvement hours set against its share of the team."""

    key: str
    label: str
    people: int
    hours: Decimal
    hours_share: Fraction
    team_share: Fraction
    flagged: bool
    named_by_paper: bool
    merged: bool
    """The "other or not shown" group, which merges groups too small to show."""

    @property
    def excess(self) -> Fraction:
        """Hours share minus team share; above 0, the group carries more than its share."""
        return self.hours_share - self.team_share

    @property
    def ratio(self) -> Fraction | None:
        """Hours share over team share; 1 is exactly its share."""
        return self.hours_share / self.team_share if self.team_share else None


def _group_key(person: Person, attribute: BurdenAttribute) -> tuple[str, str]:
    value = getattr(person, attribute)
    if value is None:
        return NOT_RECORDED, NOT_RECORDED_LABEL
    if attribute in ("career_stage", "contract"):
        return str(value), GROUP_LABELS[str(value)]
    words = " ".join(str(value).split())
    return "self:" + words.casefold(), words


def is_flagged(hours_share: Fraction, team_share: Fraction) -> bool:
    """The flag rule (:data:`FLAG_RULE`)."""
    return hours_share >= FLAG_RATIO * team_share and hours_share - team_share >= FLAG_MARGIN


def burden_shares(
    people: Sequence[Person],
    time_logs: Sequence[TimeLog],
    attribute: BurdenAttribute,
    *,
    viewer_is_lead: bool,
) -> list[GroupShare]:
    """Each group's share of the involvement hours against its share of the team.

    The team is ``people``, whether or not they logged time. Shares are exact fractions and sum to
    1 (hours shares are all 0 when no time is logged). For anyone but the lead, every group of
    fewer than :data:`SMALL_GROUP` people is merged into "other or not shown"; if that group is
    itself too small, the smallest shown groups join it until it is not, or until it is the whole
    team. That merged group, and people with nothing recorded, are never flagged.
    """
    if attribute not in BURDEN_ATTRIBUTES:
        raise ValueError(f"attribute must be one of {', '.join(BURDEN_ATTRIBUTES)}")
    by_id: dict[str, Person] = {}
    for person in people:
        if person.id in by_id:
            raise ValueError(f"person '{person.id}' is listed twice")
        by_id[person.id] = person
    unknown = sorted({log.person for log in time_logs if log.person not in by_id})
    if unknown:
        raise ValueError(f"time logged by people not in the team: {', '.join(unknown)}")
    if not by_id:
        return []
    hours_of: dict[str, list[Decimal]] = defaultdict(list)
    for log in time_logs:
        hours_of[log.person].append(log.hours)

    members: dict[str, list[Person]] = defaultdict(list)
    labels: dict[str, set[str]] = defaultdict(set)
    for person in by_id.values():
        key, label = _group_key(person, attribute)
        members[key].append(person)
        labels[key].add(label)
    shown = {key: list(group) for key, group in members.items()}
    other: list[Person] = []
    if not viewer_is_lead:
        for key in [key for key, group in shown.items() if len(group) < SMALL_GROUP]:
            other.extend(shown.pop(key))
        while other and len(other) < SMALL_GROUP and shown:
            smallest = min(shown, key=lambda key: (len(shown[key]), key))
            other.extend(shown.pop(smallest))

    total_people = len(by_id)
    total_hours = _sum(h for hours in hours_of.values() for h in hours)

    def share(key: str, group: list[Person], merged: bool) -> GroupShare:
        hours = _sum(h for person in group for h in hours_of[person.id])
        hours_share = Fraction(hours) / Fraction(total_hours) if total_hours else Fraction(0)
        team_share = Fraction(len(group), total_people)
        countable = not merged and key != NOT_RECORDED and total_hours > 0
        return GroupShare(
            key=key,
            label=OTHER_LABEL if merged else min(labels[key]),
            people=len(group),
            hours=hours,
            hours_share=hours_share,
            team_share=team_share,
            flagged=countable and is_flagged(hours_share, team_share),
            named_by_paper=not merged and key in NAMED_BY_PAPER,
            merged=merged,
        )

    order = {key: rank for rank, key in enumerate((*CAREER_STAGES, *CONTRACTS))}

    def position(key: str) -> tuple[int, str]:
        if key == NOT_RECORDED:
            return (2, "")
        return (0, f"{order[key]:03d}") if key in order else (1, min(labels[key]).casefold())

    result = [share(key, shown[key], False) for key in sorted(shown, key=position)]
    if other:
        result.append(share(OTHER_GROUP, other, True))
    return result

"""Typed entries of the catalogue: the paper's frameworks, plus methods and alternatives.

Text is Coprod's own words; a ``quote`` field, or a source's ``quote``, holds the paper's words.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coprod.core.ids import (
    Bearer,
    CostType,
    CostUnit,
    Criterion,
    Group,
    Level,
    Motivation,
    RelativeCost,
    Stage,
    Standard,
)
from coprod.core.sources import Source

NonEmpty = Field(min_length=1)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Model):
    """Every entry has an id, a short label, plain-language help and a source."""

    id: str
    label: str = NonEmpty
    help: str = NonEmpty
    source: Source


class Caution(_Model):
    text: str = NonEmpty
    source: Source


class MotivationEntry(Entry):
    id: Motivation
    aims_at: str = NonEmpty
    prompt: str = Field(min_length=1, description="The question Coprod asks a team about it.")
    key_stages: tuple[Stage, ...] = Field(
        min_length=1, description="Stages where involvement most serves this aim."
    )
    cautions: tuple[Caution, ...] = ()


class StageEntry(Entry):
    id: Stage
    table1_label: str = NonEmpty


class CostTypeEntry(Entry):
    id: CostType
    examples: tuple[str, ...] = ()
    bears: tuple[Bearer, ...] = Field(min_length=1)


class LevelEntry(Entry):
    id: Level
    example: str = NonEmpty


class GroupEntry(Entry):
    id: Group
    brings: str = NonEmpty


class BearerEntry(Entry):
    id: Bearer


class Table1Cost(_Model):
    text: str = NonEmpty
    cost_types: tuple[CostType, ...] = Field(min_length=1)
    bears: tuple[Bearer, ...] = Field(min_length=1)


class ChallengeEntry(Entry):
    """One challenge of Table 1 at one stage, with the costs it may bring.

    ``min_level`` is the shallowest involvement at which the challenge can arise: a team that only
    informs stakeholders cannot have its analysis taken over by them.
    """

    stage: Stage
    min_level: Level
    needs_identifying_data: bool = Field(
        default=False, description="Arises only where participant data identify people."
    )
    costs: tuple[Table1Cost, ...] = Field(min_length=1)


class CriterionEntry(Entry):
    id: Criterion
    question: str = Field(min_length=1, description="The plain question put to the team.")
    less_pole: str = Field(min_length=1, description="Table 2, left column, in the paper's words.")
    more_pole: str = Field(min_length=1, description="Table 2, right column, in the paper's words.")
    less_means: str = Field(min_length=1, description="Why an answer near 'less' pulls that way.")
    more_means: str = Field(min_length=1, description="Why an answer near 'more' pulls that way.")


class QuestionEntry(Entry):
    """One of the paper's key questions, to individuals or to organisations and funders."""

    audience: Literal["individuals", "organisations"]
    answered_in: str = Field(min_length=1, description="Where a plan file records the answer.")


class AlternativeEntry(Entry):
    """Another way to reach an aim, for step 2 of the paper's two-step process."""

    motivations: tuple[Motivation, ...] = Field(min_length=1)
    serves_when: str = NonEmpty
    costs: str = NonEmpty
    relative_cost: RelativeCost


class TimeAsk(_Model):
    """The time a method typically asks of each person taking part."""

    hours_min: float = Field(ge=0)
    hours_max: float = Field(ge=0)
    per: Literal["session", "month", "project"]
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.hours_max < self.hours_min:
            raise ValueError("hours_max must not be below hours_min")
        return self

    def hours_per_person(self) -> float:
        """The upper figure, which is what a person must be ready to give."""
        return self.hours_max


class MethodEntry(Entry):
    description: str = NonEmpty
    aims: tuple[Motivation, ...] = Field(min_length=1)
    stages: tuple[Stage, ...] = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=1)
    time_per_person: TimeAsk
    relative_cost: RelativeCost
    standards: tuple[Standard, ...] = ()


class RuleEntry(Entry):
    """A rule the decision aid applies: a warning or a step of a stage recommendation.

    ``message`` is what the user reads when the rule fires; ``{placeholders}`` are filled in.
    """

    message: str = NonEmpty
    also: tuple[Source, ...] = Field(default=(), description="Further passages it rests on.")


class CostRiskEntry(Entry):
    """A cost of coproduction to the whole project, from the paper's "Challenges and costs".

    These are not tied to one stage of Table 1; the register proposes them once involvement at
    any stage reaches ``min_level``.
    """

    cost_type: CostType
    bears: tuple[Bearer, ...] = Field(min_length=1)
    min_level: Level


class Rate(_Model):
    """One rate on a card, in force from ``valid_from`` until a later rate of the same id."""

    id: str = NonEmpty
    label: str = NonEmpty
    unit: CostUnit
    amount: Decimal = Field(ge=0, decimal_places=2)
    valid_from: dt.date
    note: str | None = None


class RateCardEntry(Entry):
    """A named, versioned rate card. Shipped cards are examples: users must check current rates."""

    version: str = NonEmpty
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    rates: tuple[Rate, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_rate_per_date(self) -> Self:
        seen: set[tuple[str, dt.date]] = set()
        for rate in self.rates:
            key = (rate.id, rate.valid_from)
            if key in seen:
                raise ValueError(f"rate '{rate.id}' has two amounts from {rate.valid_from}")
            seen.add(key)
        return self


class StandardEntry(Entry):
    id: Standard
    summary: str = NonEmpty

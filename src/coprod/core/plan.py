"""The plan, as held in a plan file (docs/plan-file.md, version 1).

Only ``coprod``, ``project.title`` and ``criteria`` are required. Every other section may be left
out, and later versions of Coprod only add optional fields, so a version 1 file stays valid.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coprod.core.ids import (
    Answer,
    Bearer,
    CostType,
    CostUnit,
    Criterion,
    DecisionRule,
    Group,
    Level,
    Motivation,
    PartnerReview,
    Stage,
    Standard,
)

PLAN_VERSION = 1

Text = Field(min_length=1)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, str_strip_whitespace=True)


class Project(_Section):
    title: str = Field(min_length=1, description="The project's name.")
    summary: str | None = Field(default=None, description="A few sentences on the project.")
    organisation: str | None = None
    current_stage: Stage | None = Field(
        default=None, description="The stage the project has reached, for stage-gate reviews."
    )
    start: dt.date | None = None
    end: dt.date | None = None


class Aim(_Section):
    """Step 1: an aim of involvement, the outcome it must bring, and for whom."""

    motivation: Motivation
    outcome: str = Field(min_length=1, description="What must change if the aim is met.")
    for_whom: list[Group] = Field(default_factory=list)


class Criteria(_Section):
    """Table 2's nine criteria. A criterion left out counts as ``unknown``."""

    contestation: Answer = Answer.UNKNOWN
    conflicts_of_interest: Answer = Answer.UNKNOWN
    direct_use: Answer = Answer.UNKNOWN
    funder_values: Answer = Answer.UNKNOWN
    definition: Answer = Answer.UNKNOWN
    purpose: Answer = Answer.UNKNOWN
    cooperation: Answer = Answer.UNKNOWN
    relationships: Answer = Answer.UNKNOWN
    resources: Answer = Answer.UNKNOWN

    def answers(self) -> dict[Criterion, Answer]:
        return {criterion: getattr(self, criterion.value) for criterion in Criterion}


class Weight(_Section):
    weight: Decimal = Field(gt=0, le=10, description="Relative weight; 1 is the default.")
    reason: str = Field(min_length=1, description="Why the team weighs this criterion so.")


class StagePlan(_Section):
    level: Level
    groups: list[Group] = Field(default_factory=list)
    strategy: str | None = None
    methods: list[str] = Field(
        default_factory=list, description="Ids of involvement methods from the catalogue."
    )
    standards: list[Standard] = Field(default_factory=list)


class AlternativeChoice(_Section):
    """Step 2: another approach the team considered for an aim, and what it decided."""

    motivation: Motivation
    approach: str = Field(min_length=1)
    catalogue_id: str | None = Field(
        default=None, description="The catalogue alternative this choice refers to, if any."
    )
    chosen: bool = False
    reason: str | None = None


class Stakeholder(_Section):
    name: str = Field(min_length=1)
    group: Group
    organisation: str | None = None
    role: str | None = None
    brings: str | None = Field(default=None, description="What this person brings to the table.")
    stages: list[Stage] = Field(default_factory=list)


class PublicationRight(_Section):
    """One line of a dissemination agreement: who may publish an output, and on what terms.

    ``partner_review`` is ``comment`` unless the agreement says otherwise: partners get a window
    to comment, not a veto (Table 1: "prevented from sharing unwanted findings").
    """

    output: str = Field(
        min_length=1, description="What is published, e.g. 'the final report' or 'a lay summary'."
    )
    who: str = Field(min_length=1, description="Who may publish it, e.g. 'the research team'.")
    partner_review: PartnerReview = Field(
        default=PartnerReview.COMMENT,
        description="What partners may do with a draft first: comment (the default), veto, none.",
    )
    review_window_days: int | None = Field(
        default=None, ge=0, le=365, description="Days partners have to review a draft."
    )
    embargo_until: dt.date | None = Field(
        default=None, description="Nobody publishes this output before this date."
    )
    note: str | None = None


class Dissemination(_Section):
    """Who may publish what (Table 1: "prevented from sharing unwanted findings")."""

    stakeholders_can_block: bool = Field(
        default=False, description="Whether partners can stop publication of findings."
    )
    review_window_days: int | None = Field(default=None, ge=0, le=365)
    researchers_may_publish_unwelcome: bool = Field(
        default=True, description="Researchers keep the right to publish unwelcome findings."
    )
    embargo_until: dt.date | None = None
    rights: list[PublicationRight] = Field(
        default_factory=list, description="Who may publish what, output by output."
    )

    def gives_veto(self) -> bool:
        """Whether partners can stop publication, by the whole agreement or for one output."""
        return self.stakeholders_can_block or any(
            right.partner_review is PartnerReview.VETO for right in self.rights
        )


class Governance(_Section):
    decision_rule: DecisionRule | None = None
    ground_rules: list[str] = Field(default_factory=list)
    accountability: str | None = None
    disagreements: str | None = Field(default=None, description="How disagreements are settled.")
    leaving: str | None = Field(
        default=None, description="How a partner may leave, or the partnership end."
    )
    dissemination: Dissemination | None = None
    standards: list[Standard] = Field(default_factory=list)


class KeyQuestions(_Section):
    """The paper's key questions for individuals, answered in the team's words."""

    brings: str | None = None
    when_needed: str | None = None
    costs: str | None = None
    decisions: str | None = None


class Ethics(_Section):
    identifiable_data: bool = Field(
        default=False, description="Whether participant data identify people."
    )
    partner_access_consented: bool = Field(
        default=False,
        description="Participants agreed that partners may see data that identify them, as in "
        "experience-based co-design films.",
    )
    approval: str | None = Field(default=None, description="The ethics approval reference.")


CostKind = Literal[
    "contributor_payment",
    "staff_time",
    "travel_venue",
    "access",
    "administration",
    "facilitation_training",
    "other",
]


class CostLine(_Section):
    """A budget line: a fixed amount, or a quantity at a rate from a rate card.

    With ``rate_card`` and ``rate``, the amount is ``quantity`` × the rate in force on ``date``
    (see :mod:`coprod.core.costs`); a line may also give ``amount`` directly.
    """

    kind: CostKind
    description: str = Field(min_length=1)
    amount: Decimal | None = Field(
        default=None, ge=0, decimal_places=2, description="Money, never negative; 2 decimals."
    )
    quantity: Decimal | None = Field(
        default=None, ge=0, decimal_places=2, description="How many hours, sessions or days."
    )
    unit: CostUnit | None = None
    rate_card: str | None = Field(default=None, description="Id of a rate card.")
    rate: str | None = Field(default=None, description="Id of a rate on that card.")
    date: dt.date | None = Field(
        default=None, description="When the activity happens; picks the rate in force then."
    )
    role: str | None = Field(default=None, description="Whose time, e.g. 'research fellow'.")
    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    bearer: str | None = Field(default=None, description="Who pays or gives the time.")
    stage: Stage | None = None
    standards: list[Standard] = Field(default_factory=list)

    @model_validator(mode="after")
    def _amount_or_rate(self) -> Self:
        priced = self.rate_card is not None or self.rate is not None
        if priced:
            missing = [
                name
                for name in ("rate_card", "rate", "quantity", "date")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(
                    f"a line priced from a rate card needs {', '.join(missing)} as well"
                )
        elif self.amount is None:
            raise ValueError("give an amount, or a rate_card, rate, quantity and date")
        return self


RiskStatus = Literal["proposed", "open", "mitigated", "closed", "accepted", "dismissed"]


class Risk(_Section):
    """An entry of the risk register. Seeded risks start as ``proposed`` until the team decides."""

    stage: Stage | None = Field(default=None, description="Empty for risks of the whole project.")
    challenge: str = Field(min_length=1)
    cost_types: list[CostType] = Field(default_factory=list)
    bears: list[Bearer] = Field(default_factory=list)
    bears_who: str | None = Field(default=None, description="Which person or group bears it.")
    likelihood: int | None = Field(default=None, ge=1, le=5)
    impact: int | None = Field(default=None, ge=1, le=5)
    mitigation: str | None = None
    owner: str | None = None
    status: RiskStatus = "open"
    reason: str | None = Field(default=None, description="Why it was dismissed or accepted.")
    review: dt.date | None = None
    catalogue_id: str | None = Field(
        default=None, description="The Table 1 challenge or cost it seeds from."
    )

    @model_validator(mode="after")
    def _dismissal_has_reason(self) -> Self:
        if self.status == "dismissed" and not self.reason:
            raise ValueError("a dismissed risk needs a reason")
        return self

    @property
    def score(self) -> int | None:
        """Likelihood × impact, once both are rated."""
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact


class AssessmentRecord(_Section):
    """A past assessment, kept at a stage gate: the answers then and the emphasis they gave."""

    date: dt.date
    by: str = Field(min_length=1)
    stage: Stage | None = None
    criteria: Criteria
    weights: dict[Criterion, Weight] = Field(default_factory=dict)
    emphasis: str
    note: str | None = None


class Plan(_Section):
    """A project's coproduction plan."""

    coprod: Literal[1] = Field(description="The plan file format version.")
    project: Project
    aims: list[Aim] = Field(default_factory=list)
    criteria: Criteria
    weights: dict[Criterion, Weight] = Field(default_factory=dict)
    stages: dict[Stage, StagePlan] = Field(default_factory=dict)
    alternatives: list[AlternativeChoice] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    governance: Governance | None = None
    key_questions: KeyQuestions | None = None
    ethics: Ethics | None = None
    costs: list[CostLine] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    assessments: list[AssessmentRecord] = Field(default_factory=list)

    @field_validator("coprod", mode="before")
    @classmethod
    def _version_is_a_number(cls, value: object) -> object:
        # Without this, 'coprod: true' would pass as version 1 (True == 1 in Python).
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"the format version must be the number 1, found {value!r}")
        return value

    @field_validator("stages", mode="after")
    @classmethod
    def _stage_order(cls, stages: dict[Stage, StagePlan]) -> dict[Stage, StagePlan]:
        # Keep stages in research order whatever order the file lists them in.
        return {stage: stages[stage] for stage in Stage if stage in stages}

    def motivations(self) -> list[Motivation]:
        """The motivations the team named, in the paper's order, once each."""
        named = {aim.motivation for aim in self.aims}
        return [m for m in Motivation if m in named]

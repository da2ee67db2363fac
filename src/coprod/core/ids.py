"""Coprod's stable identifiers.

They appear in plan files, the API and exports. Labels and help text live in the catalogue and may
be translated; these values never change.
"""

from __future__ import annotations

from enum import StrEnum


class Motivation(StrEnum):
    SUBSTANTIVE = "substantive"
    INSTRUMENTAL = "instrumental"
    NORMATIVE = "normative"
    POLITICAL = "political"


class Stage(StrEnum):
    """Research stages of Table 1, in the order a project meets them."""

    TEAM = "team"
    QUESTIONS = "questions"
    DATA_COLLECTION = "data_collection"
    ANALYSIS = "analysis"
    RECOMMENDATIONS = "recommendations"
    DISSEMINATION = "dissemination"
    IMPLEMENTATION = "implementation"


class CostType(StrEnum):
    PRACTICAL = "practical"
    PERSONAL = "personal"
    PROFESSIONAL = "professional"
    RESEARCH = "research"
    STAKEHOLDER = "stakeholder"
    PROFESSION = "profession"


class Level(StrEnum):
    """Involvement levels, shallow to deep. Compare them with :func:`level_rank`."""

    NONE = "none"
    INFORM = "inform"
    CONSULT = "consult"
    INVOLVE = "involve"
    COLLABORATE = "collaborate"
    LEAD = "lead"


class Group(StrEnum):
    PATIENTS_PUBLIC = "patients_public"
    PRACTITIONERS = "practitioners"
    POLICY_MAKERS = "policy_makers"
    MANAGERS = "managers"
    FUNDERS = "funders"
    RESEARCHERS = "researchers"
    COMMUNITY_ORGS = "community_orgs"
    INDUSTRY = "industry"
    OTHER = "other"


class Criterion(StrEnum):
    """The nine rows of Table 2, in the paper's order."""

    CONTESTATION = "contestation"
    CONFLICTS_OF_INTEREST = "conflicts_of_interest"
    DIRECT_USE = "direct_use"
    FUNDER_VALUES = "funder_values"
    DEFINITION = "definition"
    PURPOSE = "purpose"
    COOPERATION = "cooperation"
    RELATIONSHIPS = "relationships"
    RESOURCES = "resources"


class Answer(StrEnum):
    """How well each pole of a Table 2 row describes the project."""

    LESS = "less"
    LEAN_LESS = "lean-less"
    NEUTRAL = "neutral"
    LEAN_MORE = "lean-more"
    MORE = "more"
    UNKNOWN = "unknown"


class Emphasis(StrEnum):
    LESS = "less"
    LEAN_LESS = "lean-less"
    BALANCED = "balanced"
    LEAN_MORE = "lean-more"
    MORE = "more"
    INSUFFICIENT = "insufficient"


class Bearer(StrEnum):
    """Who bears a cost in Table 1 and the section "Challenges and costs"."""

    RESEARCHERS = "researchers"
    STAKEHOLDERS = "stakeholders"
    RESEARCH = "research"
    PROFESSION = "profession"


class Standard(StrEnum):
    """The six UK Standards for Public Involvement, used as tags."""

    INCLUSIVE_OPPORTUNITIES = "inclusive_opportunities"
    WORKING_TOGETHER = "working_together"
    SUPPORT_AND_LEARNING = "support_and_learning"
    COMMUNICATIONS = "communications"
    IMPACT = "impact"
    GOVERNANCE = "governance"


class Disposition(StrEnum):
    ADOPTED = "adopted"
    ADAPTED = "adapted"
    DEFERRED = "deferred"
    DECLINED = "declined"
    OUT_OF_SCOPE = "out_of_scope"
    PENDING = "pending"


class ContributionKind(StrEnum):
    """What a contribution to the ledger is (SPEC C6)."""

    IDEA = "idea"
    QUESTION = "question"
    CONCERN = "concern"
    EVIDENCE = "evidence"
    INTERPRETATION = "interpretation"
    RECOMMENDATION = "recommendation"


class PartnerReview(StrEnum):
    """What partners may do with a draft before it is published (SPEC C7).

    ``comment`` is the default the paper's Table 1 points to: a window to comment, not a veto.
    """

    COMMENT = "comment"
    VETO = "veto"
    NONE = "none"


class DecisionRule(StrEnum):
    """How a partnership takes decisions (the paper's question "How are decisions taken?")."""

    CONSENSUS = "consensus"
    VOTE = "vote"
    LEAD_DECIDES = "lead_decides"
    STEERING_GROUP = "steering_group"


class RelativeCost(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CostUnit(StrEnum):
    """What a budget quantity or a rate counts."""

    HOUR = "hour"
    SESSION = "session"
    DAY = "day"
    ITEM = "item"


_LEVEL_ORDER = {level: rank for rank, level in enumerate(Level)}
_STAGE_ORDER = {stage: rank for rank, stage in enumerate(Stage)}
_COST_ORDER = {cost: rank for rank, cost in enumerate(RelativeCost)}

DEEP_LEVELS = frozenset({Level.COLLABORATE, Level.LEAD})
"""Levels the paper calls 'truly' coproductive: shared steering of the research."""


def level_rank(level: Level) -> int:
    """Position on the ladder from ``none`` (0) to ``lead`` (5)."""
    return _LEVEL_ORDER[level]


def level_at(rank: int) -> Level:
    """The level at ``rank``, clamped to the ends of the ladder."""
    levels = list(Level)
    return levels[max(0, min(rank, len(levels) - 1))]


def stage_rank(stage: Stage) -> int:
    return _STAGE_ORDER[stage]


def cost_rank(cost: RelativeCost) -> int:
    return _COST_ORDER[cost]


def choices(enum: type[StrEnum]) -> str:
    """The values of ``enum`` as a user reads them in an error message."""
    return ", ".join(member.value for member in enum)

"""The decision aid (C1): from a plan to an assessment with reasons and sources.

The rules' wording and sources live in the catalogue (``rules.yaml``); this module decides when each
rule fires. Nothing here claims more precision than Table 2 offers: the result is an emphasis and a
suggested level per stage, each with the reasons behind it, and the judgement stays with the team.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.catalogue.model import AlternativeEntry, ChallengeEntry, RuleEntry
from coprod.core.emphasis import EmphasisResult, emphasis_for
from coprod.core.ids import (
    DEEP_LEVELS,
    Answer,
    Criterion,
    Emphasis,
    Group,
    Level,
    Motivation,
    Stage,
    level_at,
    level_rank,
)
from coprod.core.plan import AlternativeChoice, Plan
from coprod.core.risks import stage_risks
from coprod.core.sources import Source

LOW = frozenset({Answer.LESS, Answer.LEAN_LESS})
HIGH = frozenset({Answer.LEAN_MORE, Answer.MORE})

START_LEVEL: dict[Emphasis, Level] = {
    Emphasis.LESS: Level.INFORM,
    Emphasis.LEAN_LESS: Level.CONSULT,
    Emphasis.BALANCED: Level.CONSULT,
    Emphasis.LEAN_MORE: Level.INVOLVE,
    Emphasis.MORE: Level.COLLABORATE,
}

# Stages where contested findings or conflicts of interest threaten independence (Table 1).
INDEPENDENCE_STAGES = frozenset({Stage.QUESTIONS, Stage.RECOMMENDATIONS, Stage.DISSEMINATION})
PARTNER_GROUPS = frozenset(Group) - {Group.RESEARCHERS}


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Warning:
    id: str
    message: str
    sources: tuple[Source, ...]
    subject: str | None = None


@dataclass(frozen=True)
class CriterionFinding:
    criterion: Criterion
    answer: Answer
    weight: str
    weight_reason: str | None
    pull: str
    reason: str | None
    source: Source


@dataclass(frozen=True)
class StageFinding:
    stage: Stage
    recommended_level: Level | None
    chosen_level: Level | None
    reasons: tuple[Reason, ...]
    risks: tuple[ChallengeEntry, ...]
    risks_at: Level | None
    methods: tuple[str, ...]
    note: Reason | None = None


@dataclass(frozen=True)
class AlternativesFinding:
    motivation: Motivation
    outcomes: tuple[str, ...]
    options: tuple[AlternativeEntry, ...]
    recorded: tuple[AlternativeChoice, ...]


@dataclass(frozen=True)
class Assessment:
    title: str
    catalogue_version: str
    emphasis: EmphasisResult
    emphasis_reason: Reason
    criteria: tuple[CriterionFinding, ...]
    warnings: tuple[Warning, ...]
    stages: tuple[StageFinding, ...]
    alternatives: tuple[AlternativesFinding, ...]
    catalogue: Catalogue = field(repr=False, compare=False)

    @property
    def unknown(self) -> tuple[Criterion, ...]:
        return self.emphasis.unknown


def _rule(catalogue: Catalogue, rule_id: str) -> RuleEntry:
    return catalogue.rules[rule_id]


def _reason(catalogue: Catalogue, rule_id: str, **values: Any) -> Reason:
    rule = _rule(catalogue, rule_id)
    return Reason(rule_id, _fill(rule.message, values), (rule.source, *rule.also))


def _warning(
    catalogue: Catalogue, rule_id: str, subject: str | None = None, **values: Any
) -> Warning:
    reason = _reason(catalogue, rule_id, **values)
    return Warning(rule_id, reason.text, reason.sources, subject)


def _fill(template: str, values: dict[str, Any]) -> str:
    return " ".join(template.format(**values).split())


def _words(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _criterion_findings(
    plan: Plan, catalogue: Catalogue, result: EmphasisResult
) -> list[CriterionFinding]:
    findings = []
    for pull in result.pulls:
        entry = catalogue.criteria[pull.criterion]
        weight = plan.weights.get(pull.criterion)
        reason = {
            "more": entry.more_means,
            "less": entry.less_means,
            "none": "Neither pole describes the project better, so it pulls neither way.",
            "unknown": None,
        }[pull.direction]
        findings.append(
            CriterionFinding(
                criterion=pull.criterion,
                answer=pull.answer,
                weight=str(weight.weight) if weight else "1",
                weight_reason=weight.reason if weight else None,
                pull=pull.direction,
                reason=reason,
                source=entry.source,
            )
        )
    return findings


def _partner_groups_at(plan: Plan, stage: Stage) -> list[Group]:
    stage_plan = plan.stages.get(stage)
    if stage_plan is None:
        return []
    return [group for group in stage_plan.groups if group in PARTNER_GROUPS]


def _independence_at_risk(answers: dict[Criterion, Answer]) -> bool:
    """Contested findings together with hard-to-manage conflicts of interest (Tables 1 and 2)."""
    return (
        answers[Criterion.CONTESTATION] in LOW and answers[Criterion.CONFLICTS_OF_INTEREST] in LOW
    )


def _identifying_data(plan: Plan) -> bool:
    """Participant data identify people, and participants have not agreed that partners see them."""
    ethics = plan.ethics
    return ethics is not None and ethics.identifiable_data and not ethics.partner_access_consented


def _warnings(plan: Plan, catalogue: Catalogue, result: EmphasisResult) -> list[Warning]:
    answers = plan.criteria.answers()
    warnings: list[Warning] = []
    if result.emphasis is Emphasis.INSUFFICIENT:
        names = [catalogue.criteria[c].label for c in result.unknown]
        warnings.append(_warning(catalogue, "insufficient-answers", criteria=_words(names)))
    if not plan.aims:
        warnings.append(_warning(catalogue, "no-aims"))
    if Motivation.POLITICAL not in plan.motivations():
        warnings.append(_warning(catalogue, "political-unstated"))
    for motivation in plan.motivations():
        if not any(choice.motivation == motivation for choice in plan.alternatives):
            examples = [alt.label for alt in catalogue.alternatives_for(motivation)[:2]]
            warnings.append(
                _warning(
                    catalogue,
                    "alternatives-not-considered",
                    subject=motivation.value,
                    motivation=catalogue.motivations[motivation].label,
                    examples=_words(examples) or "consultation",
                )
            )
    deep = [stage for stage, sp in plan.stages.items() if sp.level in DEEP_LEVELS]
    if deep and answers[Criterion.RESOURCES] in LOW:
        labels = [catalogue.stages[stage].label.lower() for stage in deep]
        warnings.append(
            _warning(catalogue, "resources-short-deep-involvement", stages=_words(labels))
        )
    if _independence_at_risk(answers):
        warnings.append(_warning(catalogue, "independence-at-risk"))
    analysis = plan.stages.get(Stage.ANALYSIS)
    analysis_partners = _partner_groups_at(plan, Stage.ANALYSIS)
    if (
        _identifying_data(plan)
        and analysis is not None
        and level_rank(analysis.level) >= level_rank(Level.INVOLVE)
        and (analysis_partners or not analysis.groups)
    ):
        groups = [catalogue.groups[g].label.lower() for g in analysis_partners] or ["partners"]
        warnings.append(
            _warning(
                catalogue,
                "ethics-identifiable-analysis",
                Stage.ANALYSIS.value,
                groups=_words(groups),
            )
        )
    governance = plan.governance
    dissemination = governance.dissemination if governance else None
    if dissemination is not None and (
        dissemination.gives_veto() or not dissemination.researchers_may_publish_unwelcome
    ):
        warnings.append(_warning(catalogue, "dissemination-block", Stage.DISSEMINATION.value))
    sharing = plan.stages.get(Stage.DISSEMINATION)
    if (
        dissemination is None
        and sharing is not None
        and level_rank(sharing.level) >= level_rank(Level.INVOLVE)
        # A stage that names only researchers involves no partners; one naming no group may.
        and (_partner_groups_at(plan, Stage.DISSEMINATION) or not sharing.groups)
    ):
        warnings.append(
            _warning(catalogue, "no-dissemination-agreement", Stage.DISSEMINATION.value)
        )
    involved = [
        stage
        for stage, sp in plan.stages.items()
        if level_rank(sp.level) >= level_rank(Level.INVOLVE)
    ]
    if involved and (governance is None or not governance.leaving):
        warnings.append(_warning(catalogue, "no-exit"))
    if involved and (governance is None or governance.decision_rule is None):
        labels = [catalogue.stages[stage].label.lower() for stage in involved]
        warnings.append(_warning(catalogue, "no-decision-rule", stages=_words(labels)))
    consulted = any(
        level_rank(sp.level) >= level_rank(Level.CONSULT) for sp in plan.stages.values()
    )
    costs_answered = plan.costs or (plan.key_questions and plan.key_questions.costs)
    if consulted and not costs_answered:
        warnings.append(_warning(catalogue, "costs-unanswered"))
    return warnings


def _recommend(
    plan: Plan, catalogue: Catalogue, stage: Stage, emphasis: Emphasis
) -> tuple[Level | None, list[Reason]]:
    """A suggested level for one stage, and the rules that led to it, in the order applied."""
    if emphasis is Emphasis.INSUFFICIENT:
        return None, [_reason(catalogue, "level-insufficient")]
    answers = plan.criteria.answers()
    level = START_LEVEL[emphasis]
    reasons = [
        _reason(catalogue, "level-from-emphasis", emphasis=emphasis.value, level=level.value)
    ]
    served = [m for m in plan.motivations() if stage in catalogue.motivations[m].key_stages]
    if served:
        labels = [f'"{catalogue.motivations[m].label}"' for m in served]
        reasons.append(_reason(catalogue, "level-aim-served", motivations=_words(labels)))
        level = max(level, Level.CONSULT, key=level_rank)
    elif plan.aims:
        reasons.append(_reason(catalogue, "level-aim-not-served"))
        level = max(level_at(level_rank(level) - 1), Level.INFORM, key=level_rank)

    raises = (
        (Stage.DATA_COLLECTION, Criterion.COOPERATION, "level-raise-cooperation"),
        (Stage.IMPLEMENTATION, Criterion.PURPOSE, "level-raise-purpose"),
        (Stage.RECOMMENDATIONS, Criterion.DIRECT_USE, "level-raise-direct-use"),
    )
    for raise_stage, criterion, rule_id in raises:
        if (
            stage == raise_stage
            and answers[criterion] in HIGH
            and level_rank(level) < level_rank(Level.INVOLVE)
        ):
            level = Level.INVOLVE
            reasons.append(_reason(catalogue, rule_id))

    # Caps come last: they guard against harms, so they win over any raise.
    caps: list[tuple[bool, Level, str]] = [
        (answers[Criterion.RESOURCES] in LOW, Level.INVOLVE, "level-cap-resources"),
        (
            stage in INDEPENDENCE_STAGES and _independence_at_risk(answers),
            Level.CONSULT,
            "level-cap-independence",
        ),
        (stage == Stage.ANALYSIS and _identifying_data(plan), Level.CONSULT, "level-cap-ethics"),
    ]
    for applies, ceiling, rule_id in caps:
        if applies and level_rank(level) > level_rank(ceiling):
            level = ceiling
            reasons.append(_reason(catalogue, rule_id))
    return level, reasons


def _stage_finding(
    plan: Plan, catalogue: Catalogue, stage: Stage, emphasis: Emphasis
) -> StageFinding:
    recommended, reasons = _recommend(plan, catalogue, stage, emphasis)
    stage_plan = plan.stages.get(stage)
    chosen = stage_plan.level if stage_plan else None
    in_use = chosen if chosen is not None else recommended
    risks = tuple(stage_risks(plan, catalogue, stage, in_use)) if in_use is not None else ()
    note = None
    if chosen is not None and recommended is not None and chosen != recommended:
        note = _reason(
            catalogue, "level-differs", chosen=chosen.value, recommended=recommended.value
        )
    methods: tuple[str, ...] = ()
    if in_use is not None and in_use != Level.NONE:
        aims: list[Motivation | None] = [*plan.motivations()] or [None]
        found = {
            m.id: None
            for aim in aims
            for m in catalogue.methods_matching(aim=aim, stage=stage, level=in_use)
        }
        methods = tuple(found)
    return StageFinding(
        stage=stage,
        recommended_level=recommended,
        chosen_level=chosen,
        reasons=tuple(reasons),
        risks=risks,
        risks_at=in_use,
        methods=methods,
        note=note,
    )


def _alternatives(plan: Plan, catalogue: Catalogue) -> list[AlternativesFinding]:
    return [
        AlternativesFinding(
            motivation=motivation,
            outcomes=tuple(aim.outcome for aim in plan.aims if aim.motivation == motivation),
            options=tuple(catalogue.alternatives_for(motivation)),
            recorded=tuple(c for c in plan.alternatives if c.motivation == motivation),
        )
        for motivation in plan.motivations()
    ]


def assess(plan: Plan, catalogue: Catalogue | None = None) -> Assessment:
    """Assess a plan: emphasis, criteria, warnings, stage levels with their risks, alternatives."""
    catalogue = catalogue or default_catalogue()
    weights = {criterion: w.weight for criterion, w in plan.weights.items()}
    result = emphasis_for(plan.criteria.answers(), weights)
    return Assessment(
        title=plan.project.title,
        catalogue_version=catalogue.version,
        emphasis=result,
        emphasis_reason=_reason(catalogue, "emphasis", emphasis=result.emphasis.value),
        criteria=tuple(_criterion_findings(plan, catalogue, result)),
        warnings=tuple(_warnings(plan, catalogue, result)),
        stages=tuple(_stage_finding(plan, catalogue, stage, result.emphasis) for stage in Stage),
        alternatives=tuple(_alternatives(plan, catalogue)),
        catalogue=catalogue,
    )

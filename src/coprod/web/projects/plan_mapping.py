"""Map a stored project to the core's Plan and back. No rule lives here: only the mapping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from coprod.core.ids import Criterion
from coprod.core.plan import (
    Aim as PlanAim,
)
from coprod.core.plan import (
    AlternativeChoice as PlanAlternative,
)
from coprod.core.plan import (
    AssessmentRecord,
    Criteria,
    Dissemination,
    Ethics,
    Governance,
    KeyQuestions,
    Plan,
    Weight,
)
from coprod.core.plan import (
    Project as PlanProject,
)
from coprod.core.plan import (
    StagePlan as PlanStage,
)
from coprod.core.plan import (
    Stakeholder as PlanStakeholder,
)
from coprod.web.costs import plan_io as costs_plan_io
from coprod.web.decisions import plan_io as decisions_plan_io
from coprod.web.projects.models import (
    Aim,
    AlternativeChoice,
    Assessment,
    CriterionWeight,
    Project,
    StagePlan,
    Stakeholder,
)
from coprod.web.risks import plan_io as risks_plan_io

CRITERIA = [criterion.value for criterion in Criterion]


def criteria_of(project: Project) -> Criteria:
    return Criteria.model_validate({name: getattr(project, name) for name in CRITERIA})


def weights_of(weights: list[CriterionWeight]) -> dict[Criterion, Weight]:
    return {
        Criterion(w.criterion): Weight(weight=w.weight, reason=w.reason)
        for w in sorted(weights, key=lambda w: CRITERIA.index(w.criterion))
    }


def _governance(project: Project) -> Governance | None:
    if not project.has_governance:
        return None
    dissemination = None
    if project.has_dissemination_agreement:
        dissemination = Dissemination(
            stakeholders_can_block=project.stakeholders_can_block,
            review_window_days=project.review_window_days,
            researchers_may_publish_unwelcome=project.researchers_may_publish_unwelcome,
            embargo_until=project.embargo_until,
            rights=decisions_plan_io.to_plan(project),
        )
    return Governance.model_validate(
        {
            "decision_rule": project.decision_rule or None,
            "ground_rules": project.ground_rules,
            "accountability": project.accountability or None,
            "disagreements": project.disagreements or None,
            "leaving": project.leaving or None,
            "dissemination": dissemination,
            "standards": project.governance_standards,
        }
    )


def _key_questions(project: Project) -> KeyQuestions | None:
    answers = {
        "brings": project.brings,
        "when_needed": project.when_needed,
        "costs": project.costs_borne,
        "decisions": project.decisions,
    }
    if not any(answers.values()):
        return None
    return KeyQuestions.model_validate({k: v or None for k, v in answers.items()})


def _ethics(project: Project) -> Ethics | None:
    if not project.has_ethics:
        return None
    return Ethics(
        identifiable_data=project.identifiable_data,
        partner_access_consented=project.partner_access_consented,
        approval=project.ethics_approval or None,
    )


def plan_from_project(project: Project) -> Plan:
    """The project as a core Plan. Expects the related lists prefetched (see selectors)."""
    data: dict[str, Any] = {
        "coprod": 1,
        "project": PlanProject.model_validate(
            {
                "title": project.title,
                "summary": project.summary or None,
                "organisation": project.organisation_name or None,
                "current_stage": project.current_stage or None,
                "start": project.start,
                "end": project.end,
            }
        ),
        "aims": [
            PlanAim.model_validate(
                {"motivation": a.motivation, "outcome": a.outcome, "for_whom": a.for_whom}
            )
            for a in project.aims.all()
        ],
        "criteria": criteria_of(project),
        "weights": weights_of(list(project.weights.all())),
        "stages": {
            s.stage: PlanStage.model_validate(
                {
                    "level": s.level,
                    "groups": s.groups,
                    "strategy": s.strategy or None,
                    "methods": s.methods,
                    "standards": s.standards,
                }
            )
            for s in project.stage_plans.all()
        },
        "alternatives": [
            PlanAlternative.model_validate(
                {
                    "motivation": a.motivation,
                    "approach": a.approach,
                    "catalogue_id": a.catalogue_id or None,
                    "chosen": a.chosen,
                    "reason": a.reason or None,
                }
            )
            for a in project.alternatives.all()
        ],
        "stakeholders": [
            PlanStakeholder.model_validate(
                {
                    "name": s.name,
                    "group": s.group,
                    "organisation": s.organisation or None,
                    "role": s.role or None,
                    "brings": s.brings or None,
                    "stages": s.stages,
                }
            )
            for s in project.stakeholders.all()
        ],
        "governance": _governance(project),
        "key_questions": _key_questions(project),
        "ethics": _ethics(project),
        "costs": costs_plan_io.to_plan(project),
        "risks": risks_plan_io.to_plan(project),
        "assessments": [
            AssessmentRecord.model_validate(
                {
                    "date": a.date,
                    "by": a.by,
                    "stage": a.stage or None,
                    "criteria": a.criteria,
                    "weights": a.weights,
                    "emphasis": a.emphasis,
                    "note": a.note or None,
                }
            )
            for a in project.assessments.all()
        ],
    }
    # Leave out sections that hold nothing, as a person writing the file would.
    optional = ("governance", "key_questions", "ethics")
    return Plan.model_validate({k: v for k, v in data.items() if not (k in optional and v is None)})


def project_fields(plan: Plan) -> dict[str, Any]:
    """The Project model's own fields for a plan."""
    governance = plan.governance
    dissemination = governance.dissemination if governance else None
    ethics = plan.ethics
    key = plan.key_questions
    fields: dict[str, Any] = {
        "title": plan.project.title,
        "summary": plan.project.summary or "",
        "organisation_name": plan.project.organisation or "",
        "current_stage": plan.project.current_stage.value if plan.project.current_stage else "",
        "start": plan.project.start,
        "end": plan.project.end,
        **{name: getattr(plan.criteria, name).value for name in CRITERIA},
        "brings": (key.brings if key else None) or "",
        "when_needed": (key.when_needed if key else None) or "",
        "costs_borne": (key.costs if key else None) or "",
        "decisions": (key.decisions if key else None) or "",
        "has_governance": governance is not None,
        "decision_rule": governance.decision_rule.value
        if governance and governance.decision_rule
        else "",
        "ground_rules": list(governance.ground_rules) if governance else [],
        "accountability": (governance.accountability if governance else None) or "",
        "disagreements": (governance.disagreements if governance else None) or "",
        "leaving": (governance.leaving if governance else None) or "",
        "governance_standards": [s.value for s in governance.standards] if governance else [],
        "has_dissemination_agreement": dissemination is not None,
        "stakeholders_can_block": dissemination.stakeholders_can_block if dissemination else False,
        "review_window_days": dissemination.review_window_days if dissemination else None,
        "researchers_may_publish_unwelcome": (
            dissemination.researchers_may_publish_unwelcome if dissemination else True
        ),
        "embargo_until": dissemination.embargo_until if dissemination else None,
        "has_ethics": ethics is not None,
        "identifiable_data": ethics.identifiable_data if ethics else False,
        "partner_access_consented": ethics.partner_access_consented if ethics else False,
        "ethics_approval": (ethics.approval if ethics else None) or "",
    }
    return fields


def child_rows(plan: Plan, project: Project) -> dict[str, list[Any]]:
    """Unsaved rows for each related list of a plan, in file order."""
    return {
        "aims": [
            Aim(
                project=project,
                motivation=a.motivation.value,
                outcome=a.outcome,
                for_whom=[g.value for g in a.for_whom],
                position=i,
            )
            for i, a in enumerate(plan.aims)
        ],
        "weights": [
            CriterionWeight(
                project=project, criterion=c.value, weight=Decimal(w.weight), reason=w.reason
            )
            for c, w in plan.weights.items()
        ],
        "stage_plans": [
            StagePlan(
                project=project,
                stage=stage.value,
                level=sp.level.value,
                groups=[g.value for g in sp.groups],
                strategy=sp.strategy or "",
                methods=list(sp.methods),
                standards=[s.value for s in sp.standards],
            )
            for stage, sp in plan.stages.items()
        ],
        "alternatives": [
            AlternativeChoice(
                project=project,
                motivation=a.motivation.value,
                approach=a.approach,
                catalogue_id=a.catalogue_id or "",
                chosen=a.chosen,
                reason=a.reason or "",
                position=i,
            )
            for i, a in enumerate(plan.alternatives)
        ],
        "stakeholders": [
            Stakeholder(
                project=project,
                name=s.name,
                group=s.group.value,
                organisation=s.organisation or "",
                role=s.role or "",
                brings=s.brings or "",
                stages=[st.value for st in s.stages],
                position=i,
            )
            for i, s in enumerate(plan.stakeholders)
        ],
        "assessments": [
            Assessment(
                project=project,
                date=a.date,
                by=a.by,
                stage=a.stage.value if a.stage else "",
                criteria={k: v.value for k, v in a.criteria.answers().items()},
                weights={
                    c.value: {"weight": str(w.weight), "reason": w.reason}
                    for c, w in a.weights.items()
                },
                emphasis=a.emphasis,
                note=a.note or "",
            )
            for a in plan.assessments
        ],
    }

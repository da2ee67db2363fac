"""The decision aid's rules: warnings, stage levels and the Table 1 risks they bring."""

from __future__ import annotations

from typing import Any

import pytest

from coprod.core.assess import START_LEVEL, assess
from coprod.core.catalogue import Catalogue
from coprod.core.emphasis import emphasis_for
from coprod.core.ids import Answer, Criterion, Emphasis, Level, Motivation, Stage, level_rank
from coprod.core.plan import Plan

NEUTRAL = {c.value: "neutral" for c in Criterion}


def make_plan(**sections: Any) -> Plan:
    data: dict[str, Any] = {"coprod": 1, "project": {"title": "Test project"}}
    data["criteria"] = {**NEUTRAL, **sections.pop("criteria", {})}
    data.update(sections)
    return Plan.model_validate(data)


def warning_ids(plan: Plan) -> set[str]:
    return {w.id for w in assess(plan).warnings}


def stage(plan: Plan, which: Stage) -> Any:
    return next(s for s in assess(plan).stages if s.stage is which)


POLITICAL = {"motivation": "political", "outcome": "Commissioners trust the findings"}
GOVERNED = {"decision_rule": "consensus", "leaving": "Any partner may step back at any time."}


def test_every_warning_and_reason_cites_a_source(catalogue: Catalogue) -> None:
    plan = make_plan(
        criteria={"contestation": "less", "conflicts_of_interest": "less", "resources": "less"},
        stages={"analysis": {"level": "lead", "groups": ["patients_public"]}},
        ethics={"identifiable_data": True},
        governance={"dissemination": {"stakeholders_can_block": True}},
    )
    result = assess(plan, catalogue)
    assert len(result.warnings) >= 6
    for warning in result.warnings:
        assert warning.message and warning.sources
        assert all(s.document in catalogue.documents for s in warning.sources)
    for finding in result.stages:
        assert finding.reasons
        for reason in finding.reasons:
            assert reason.sources and reason.text


def test_political_motive_unstated_is_flagged_until_named() -> None:
    aims = [{"motivation": "substantive", "outcome": "Better questions"}]
    assert "political-unstated" in warning_ids(make_plan(aims=aims))
    assert "political-unstated" not in warning_ids(make_plan(aims=[*aims, POLITICAL]))


def test_no_aims_is_flagged() -> None:
    assert "no-aims" in warning_ids(make_plan())
    assert "no-aims" not in warning_ids(make_plan(aims=[POLITICAL]))


def test_deep_involvement_with_short_resources() -> None:
    deep = {"questions": {"level": "collaborate"}}
    short = {"resources": "lean-less"}
    assert "resources-short-deep-involvement" in warning_ids(make_plan(criteria=short, stages=deep))
    shallow = {"questions": {"level": "involve"}}
    assert "resources-short-deep-involvement" not in warning_ids(
        make_plan(criteria=short, stages=shallow)
    )
    assert "resources-short-deep-involvement" not in warning_ids(
        make_plan(criteria={"resources": "more"}, stages=deep)
    )


@pytest.mark.parametrize(
    ("contestation", "conflicts", "fires"),
    [
        ("less", "less", True),
        ("lean-less", "less", True),
        ("less", "neutral", False),
        ("neutral", "less", False),
        ("more", "more", False),
    ],
)
def test_independence_at_risk_needs_both_contest_and_conflicts(
    contestation: str, conflicts: str, fires: bool
) -> None:
    plan = make_plan(criteria={"contestation": contestation, "conflicts_of_interest": conflicts})
    assert ("independence-at-risk" in warning_ids(plan)) is fires


def test_partners_analysing_identifying_data_is_an_ethics_warning() -> None:
    analysis = {"analysis": {"level": "involve", "groups": ["patients_public"]}}
    identifying = {"identifiable_data": True}
    assert "ethics-identifiable-analysis" in warning_ids(
        make_plan(stages=analysis, ethics=identifying)
    )
    assert "ethics-identifiable-analysis" not in warning_ids(
        make_plan(stages=analysis, ethics={"identifiable_data": False})
    )
    researchers_only = {"analysis": {"level": "collaborate", "groups": ["researchers"]}}
    assert "ethics-identifiable-analysis" not in warning_ids(
        make_plan(stages=researchers_only, ethics=identifying)
    )
    consulted = {"analysis": {"level": "consult", "groups": ["patients_public"]}}
    assert "ethics-identifiable-analysis" not in warning_ids(
        make_plan(stages=consulted, ethics=identifying)
    )


@pytest.mark.parametrize(
    ("agreement", "fires"),
    [
        ({"stakeholders_can_block": True}, True),
        ({"researchers_may_publish_unwelcome": False}, True),
        ({"stakeholders_can_block": False, "review_window_days": 30}, False),
        ({"rights": [{"output": "Report", "who": "Researchers"}]}, False),
        (
            {
                "rights": [
                    {"output": "Report", "who": "Researchers", "partner_review": "comment"},
                    {"output": "Lay summary", "who": "Researchers", "partner_review": "veto"},
                ]
            },
            True,
        ),
    ],
)
def test_stakeholders_able_to_block_dissemination(agreement: dict[str, Any], fires: bool) -> None:
    plan = make_plan(governance={"dissemination": agreement})
    assert ("dissemination-block" in warning_ids(plan)) is fires


@pytest.mark.parametrize(
    ("sharing", "agreement", "fires"),
    [
        ({"level": "involve", "groups": ["patients_public"]}, None, True),
        ({"level": "lead"}, None, True),  # no group named: partners may be among them
        ({"level": "consult", "groups": ["patients_public"]}, None, False),
        ({"level": "collaborate", "groups": ["researchers"]}, None, False),
        ({"level": "involve", "groups": ["patients_public"]}, {"review_window_days": 30}, False),
        ({"level": "involve", "groups": ["patients_public"]}, {}, False),
    ],
)
def test_partners_sharing_findings_without_a_dissemination_agreement(
    sharing: dict[str, Any], agreement: dict[str, Any] | None, fires: bool
) -> None:
    governance = {} if agreement is None else {"dissemination": agreement}
    plan = make_plan(stages={"dissemination": sharing}, governance=governance)
    warnings = {w.id: w for w in assess(plan).warnings}
    assert ("no-dissemination-agreement" in warnings) is fires
    if fires:
        warning = warnings["no-dissemination-agreement"]
        assert warning.subject == "dissemination"
        assert warning.sources[0].quote == (
            "Researchers or stakeholders may be prevented from sharing unwanted findings"
        )


def test_an_aim_without_an_alternative_considered_is_flagged_per_aim() -> None:
    aims = [POLITICAL, {"motivation": "substantive", "outcome": "Sharper questions"}]
    considered = [{"motivation": "substantive", "approach": "Systematic review", "chosen": False}]
    result = assess(make_plan(aims=aims, alternatives=considered))
    flagged = {w.subject for w in result.warnings if w.id == "alternatives-not-considered"}
    assert flagged == {"political"}
    block = next(a for a in result.alternatives if a.motivation is Motivation.SUBSTANTIVE)
    assert [r.approach for r in block.recorded] == ["Systematic review"]
    assert block.options and all(Motivation.SUBSTANTIVE in o.motivations for o in block.options)


def test_exit_and_decision_rule_are_asked_for_once_partners_are_involved() -> None:
    involved = {"questions": {"level": "involve"}}
    assert {"no-exit", "no-decision-rule"} <= warning_ids(make_plan(stages=involved))
    assert not {"no-exit", "no-decision-rule"} & warning_ids(
        make_plan(stages=involved, governance=GOVERNED)
    )
    assert not {"no-exit", "no-decision-rule"} & warning_ids(
        make_plan(stages={"questions": {"level": "consult"}})
    )


def test_insufficient_answers_give_no_levels_and_name_the_criteria() -> None:
    unknown = dict.fromkeys(("contestation", "direct_use", "purpose", "resources"), "unknown")
    result = assess(make_plan(criteria=unknown))
    assert result.emphasis.emphasis is Emphasis.INSUFFICIENT
    assert all(s.recommended_level is None for s in result.stages)
    warning = next(w for w in result.warnings if w.id == "insufficient-answers")
    for criterion in unknown:
        label = result.catalogue.criteria[Criterion(criterion)].label
        assert label in warning.message


@pytest.mark.parametrize("answer", ["less", "lean-less", "neutral", "lean-more", "more"])
def test_the_starting_level_follows_the_emphasis(answer: str) -> None:
    plan = make_plan(criteria={c.value: answer for c in Criterion})
    emphasis = emphasis_for(plan.criteria.answers()).emphasis
    # With no aims named nothing steps the level down; with no caps or raises, stages that no
    # rule touches keep the starting level.
    found = stage(plan, Stage.TEAM)
    expected = START_LEVEL[emphasis]
    if answer in ("less", "lean-less"):
        expected = min(expected, Level.INVOLVE, key=level_rank)
    assert found.recommended_level is expected


def test_stages_no_aim_needs_step_down_and_stages_an_aim_needs_do_not() -> None:
    criteria = {c.value: "lean-more" for c in Criterion}
    plan = make_plan(criteria=criteria, aims=[{"motivation": "substantive", "outcome": "x"}])
    served = stage(plan, Stage.ANALYSIS)  # a key stage of the substantive aim
    unserved = stage(plan, Stage.TEAM)  # no aim and no raise touches it
    assert level_rank(served.recommended_level) == level_rank(unserved.recommended_level) + 1
    assert "level-aim-not-served" in [r.rule for r in unserved.reasons]


def test_caps_win_over_raises() -> None:
    criteria = {c.value: "more" for c in Criterion}
    free = make_plan(criteria=criteria)
    capped = make_plan(criteria={**criteria, "resources": "less"})
    assert stage(free, Stage.QUESTIONS).recommended_level is Level.COLLABORATE
    assert stage(capped, Stage.QUESTIONS).recommended_level is Level.INVOLVE
    conflicted = {"contestation": "lean-less", "conflicts_of_interest": "lean-less"}
    contested = make_plan(criteria={**criteria, **conflicted})
    start = START_LEVEL[emphasis_for(contested.criteria.answers()).emphasis]
    assert stage(contested, Stage.RECOMMENDATIONS).recommended_level is Level.CONSULT
    assert stage(contested, Stage.DATA_COLLECTION).recommended_level is start
    assert level_rank(start) > level_rank(Level.CONSULT)
    identifying = make_plan(criteria=criteria, ethics={"identifiable_data": True})
    assert stage(identifying, Stage.ANALYSIS).recommended_level is Level.CONSULT


def test_the_independence_cap_and_warning_share_one_condition() -> None:
    criteria = {c.value: "more" for c in Criterion}
    for conflicted in (
        {"contestation": "less"},
        {"conflicts_of_interest": "less"},
        {"contestation": "less", "conflicts_of_interest": "lean-less"},
    ):
        plan = make_plan(criteria={**criteria, **conflicted})
        capped = "level-cap-independence" in [r.rule for r in stage(plan, Stage.QUESTIONS).reasons]
        assert capped == ("independence-at-risk" in warning_ids(plan)), conflicted


def test_consent_to_partner_access_lifts_the_ethics_cap_and_warning() -> None:
    criteria = {c.value: "more" for c in Criterion}
    analysis = {"analysis": {"level": "collaborate", "groups": ["patients_public"]}}
    consented = {"identifiable_data": True, "partner_access_consented": True}
    plan = make_plan(criteria=criteria, stages=analysis, ethics=consented)
    assert stage(plan, Stage.ANALYSIS).recommended_level is Level.COLLABORATE
    assert "ethics-identifiable-analysis" not in warning_ids(plan)


def test_risks_that_need_identifying_data_are_left_out_when_there_are_none() -> None:
    criteria = {c.value: "more" for c in Criterion}
    analysis = {"analysis": {"level": "collaborate"}}
    anonymous = make_plan(criteria=criteria, stages=analysis, ethics={"identifiable_data": False})
    unstated = make_plan(criteria=criteria, stages=analysis)
    assert "analysis_participant_identity" not in {
        r.id for r in stage(anonymous, Stage.ANALYSIS).risks
    }
    assert "analysis_participant_identity" in {r.id for r in stage(unstated, Stage.ANALYSIS).risks}


def test_cooperation_raises_data_collection() -> None:
    criteria = {c.value: "lean-less" for c in Criterion}
    base = stage(make_plan(criteria=criteria), Stage.DATA_COLLECTION)
    needs = stage(make_plan(criteria={**criteria, "cooperation": "more"}), Stage.DATA_COLLECTION)
    assert level_rank(needs.recommended_level) > level_rank(base.recommended_level)
    assert "level-raise-cooperation" in [r.rule for r in needs.reasons]


def test_risks_are_table_1_challenges_of_the_level_in_use() -> None:
    criteria = {c.value: "more" for c in Criterion}
    shallow = stage(
        make_plan(criteria=criteria, stages={"dissemination": {"level": "inform"}}),
        Stage.DISSEMINATION,
    )
    deep = stage(
        make_plan(criteria=criteria, stages={"dissemination": {"level": "lead"}}),
        Stage.DISSEMINATION,
    )
    assert shallow.risks_at is Level.INFORM and not shallow.risks
    assert {r.id for r in deep.risks} >= {"dissemination_prevented", "dissemination_premature"}
    assert all(r.stage is Stage.DISSEMINATION for r in deep.risks)


def test_a_chosen_level_that_differs_is_said() -> None:
    criteria = {c.value: "less" for c in Criterion}
    finding = stage(
        make_plan(criteria=criteria, stages={"questions": {"level": "lead"}}), Stage.QUESTIONS
    )
    assert finding.chosen_level is Level.LEAD
    assert finding.recommended_level is not Level.LEAD
    assert finding.note is not None and '"lead"' in finding.note.text
    same = stage(
        make_plan(criteria=criteria, stages={"questions": {"level": finding.recommended_level}}),
        Stage.QUESTIONS,
    )
    assert same.note is None


def test_methods_suggested_fit_the_stage_and_level(catalogue: Catalogue) -> None:
    plan = make_plan(
        criteria={c.value: "lean-more" for c in Criterion},
        aims=[{"motivation": "substantive", "outcome": "x"}],
    )
    for finding in assess(plan, catalogue).stages:
        for method_id in finding.methods:
            method = catalogue.methods[method_id]
            assert finding.stage in method.stages
            assert finding.risks_at in method.levels


def test_weights_change_the_emphasis_and_their_reasons_are_shown() -> None:
    criteria = {**NEUTRAL, "resources": "less", "cooperation": "more"}
    weights = {"resources": {"weight": 4, "reason": "We have one part-time researcher."}}
    result = assess(make_plan(criteria=criteria, weights=weights))
    assert result.emphasis.emphasis in (Emphasis.LEAN_LESS, Emphasis.LESS)
    finding = next(f for f in result.criteria if f.criterion is Criterion.RESOURCES)
    assert finding.weight == "4" and finding.weight_reason == "We have one part-time researcher."
    assert Answer.LESS is finding.answer and finding.pull == "less"

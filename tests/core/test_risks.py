"""The risk register: seeding from Table 1 and the paper's costs, merging, heat map, reviews due."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.core.assess import assess
from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.ids import Bearer, CostType, Criterion, Level, Stage, level_rank
from coprod.core.plan import Plan, Risk
from coprod.core.risks import (
    RegisterEntry,
    heat_map,
    project_cost_risks,
    reviews_due,
    risk_register,
    risk_seed,
    sort_register,
    stage_risks,
)
from coprod.formats.plan_file import load_plan
from tests.conftest import EXAMPLES

CATALOGUE = default_catalogue()
NEUTRAL = {c.value: "neutral" for c in Criterion}
STATUSES = ["proposed", "open", "mitigated", "closed", "accepted", "dismissed"]


def make_plan(**sections: Any) -> Plan:
    data: dict[str, Any] = {"coprod": 1, "project": {"title": "Test project"}}
    data["criteria"] = {**NEUTRAL, **sections.pop("criteria", {})}
    data.update(sections)
    return Plan.model_validate(data)


def staged(levels: dict[Stage, Level], **sections: Any) -> Plan:
    stages = {stage.value: {"level": level.value} for stage, level in levels.items()}
    return make_plan(stages=stages, **sections)


def keys(risks: list[Risk]) -> set[tuple[str | None, Stage | None]]:
    return {(risk.catalogue_id, risk.stage) for risk in risks}


stage_levels = st.dictionaries(st.sampled_from(list(Stage)), st.sampled_from(list(Level)))
ethics = st.one_of(
    st.none(),
    st.builds(
        lambda identifiable, consented: {
            "identifiable_data": identifiable,
            "partner_access_consented": consented,
        },
        st.booleans(),
        st.booleans(),
    ),
)
ratings = st.one_of(st.none(), st.integers(1, 5))


# --- Seeding -------------------------------------------------------------------------------------


@given(levels=stage_levels)
def test_seeding_follows_the_chosen_stages_and_levels(levels: dict[Stage, Level]) -> None:
    plan = staged(levels, ethics={"identifiable_data": True})
    seeded = [risk for risk in risk_seed(plan, CATALOGUE) if risk.stage is not None]
    expected = {
        (challenge.id, stage)
        for stage, level in levels.items()
        for challenge in CATALOGUE.challenges_at(stage, level)
    }
    assert keys(seeded) == expected
    assert len(seeded) == len(expected)  # each challenge proposed once per stage
    assert {risk.stage for risk in seeded} <= set(levels)


@given(levels=stage_levels, ethics=ethics)
def test_seeded_stage_risks_are_the_assessments_risks(
    levels: dict[Stage, Level], ethics: dict[str, bool] | None
) -> None:
    # assess and the register share one function, so the two can never disagree.
    plan = staged(levels, ethics=ethics)
    finding = {f.stage: f for f in assess(plan, CATALOGUE).stages}
    seeded = {(risk.catalogue_id, risk.stage) for risk in risk_seed(plan, CATALOGUE)}
    for stage in levels:
        from_assessment = {(c.id, stage) for c in finding[stage].risks}
        assert from_assessment == {key for key in seeded if key[1] == stage}


def test_a_challenge_needing_identifying_data_is_left_out_only_when_the_data_identify_no_one() -> (
    None
):
    needing = {c.id for c in CATALOGUE.challenges.values() if c.needs_identifying_data}
    assert needing, "Table 1 has a challenge about participants' identity"
    deep = {Stage.ANALYSIS: Level.LEAD}
    ids = {
        label: {c.id for c in stage_risks(plan, CATALOGUE, Stage.ANALYSIS, Level.LEAD)}
        for label, plan in {
            "identifying": staged(deep, ethics={"identifiable_data": True}),
            "anonymous": staged(deep, ethics={"identifiable_data": False}),
            "unsaid": staged(deep),
        }.items()
    }
    assert needing <= ids["identifying"]
    assert needing <= ids["unsaid"]
    assert not needing & ids["anonymous"]
    assert ids["anonymous"] == ids["identifying"] - needing


@given(levels=stage_levels)
def test_project_wide_costs_follow_the_deepest_level(levels: dict[Stage, Level]) -> None:
    plan = staged(levels)
    project_wide = {risk.catalogue_id for risk in risk_seed(plan, CATALOGUE) if risk.stage is None}
    expected = {
        entry.id
        for entry in CATALOGUE.cost_risks.values()
        if any(level_rank(level) >= level_rank(entry.min_level) for level in levels.values())
    }
    assert project_wide == expected


def test_no_stage_planned_seeds_nothing() -> None:
    assert risk_seed(make_plan(), CATALOGUE) == []
    assert risk_seed(staged(dict.fromkeys(Stage, Level.NONE)), CATALOGUE) == []


def test_seeded_risks_carry_the_papers_words_and_the_union_of_costs() -> None:
    plan = staged(dict.fromkeys(Stage, Level.LEAD), ethics={"identifiable_data": True})
    for risk in risk_seed(plan, CATALOGUE):
        assert risk.status == "proposed"
        assert risk.likelihood is None and risk.impact is None and risk.score is None
        assert risk.catalogue_id is not None
        if risk.stage is not None:
            challenge = CATALOGUE.challenges[risk.catalogue_id]
            assert challenge.source.quote is not None
            assert risk.challenge == " ".join(challenge.source.quote.split())
            assert set(risk.cost_types) == {t for c in challenge.costs for t in c.cost_types}
            assert set(risk.bears) == {b for c in challenge.costs for b in c.bears}
        else:
            cost = CATALOGUE.cost_risks[risk.catalogue_id]
            assert risk.cost_types == [cost.cost_type]
            assert set(risk.bears) == set(cost.bears)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(levels=stage_levels, stage=st.sampled_from(list(Stage)), data=st.data())
def test_raising_a_stages_level_never_removes_a_seeded_risk(
    levels: dict[Stage, Level], stage: Stage, data: st.DataObject
) -> None:
    before = levels.get(stage, Level.NONE)
    higher = data.draw(
        st.sampled_from([lv for lv in Level if level_rank(lv) >= level_rank(before)])
    )
    lower_plan = staged(levels)
    higher_plan = staged({**levels, stage: higher})
    assert keys(risk_seed(lower_plan, CATALOGUE)) <= keys(risk_seed(higher_plan, CATALOGUE))


# --- The catalogue's project-wide costs -----------------------------------------------------------


def test_all_six_cost_types_appear_among_the_project_wide_costs(catalogue: Catalogue) -> None:
    assert {entry.cost_type for entry in catalogue.cost_risks.values()} == set(CostType)


@pytest.mark.parametrize(
    ("cost_type", "words"),
    [
        (CostType.PRACTICAL, ["expensive", "administrative burden", "interpersonal skills"]),
        (CostType.PERSONAL, ["difficult conversations", "emotional labour", "burnout"]),
        (
            CostType.PROFESSIONAL,
            ["seeking research funding", "lower quality", "partisan", "most junior"],
        ),
        (CostType.RESEARCH, ["dull", "dominant individuals", "delays"]),
        (
            CostType.STAKEHOLDER,
            ["primary responsibilities", "vulnerable", "cherry-picked", "ignored or used"],
        ),
        (CostType.PROFESSION, ["mistrust of researchers", "lobby group"]),
    ],
)
def test_the_costs_the_paper_names_are_each_quoted(
    catalogue: Catalogue, cost_type: CostType, words: list[str]
) -> None:
    quotes = " ".join(
        entry.source.quote or ""
        for entry in catalogue.cost_risks.values()
        if entry.cost_type is cost_type
    ).lower()
    for word in words:
        assert word in quotes, (cost_type, word)


def test_subjugation_is_among_the_costs_to_stakeholders(catalogue: Catalogue) -> None:
    assert any(
        "subjugation" in (entry.source.quote or "")
        for entry in catalogue.cost_risks.values()
        if entry.cost_type is CostType.STAKEHOLDER
    )


def test_project_wide_costs_are_sensibly_levelled(catalogue: Catalogue) -> None:
    for entry in catalogue.cost_risks.values():
        assert level_rank(entry.min_level) >= level_rank(Level.CONSULT), entry.id
        assert entry.source.document == "oliver2019"
        assert entry.source.locator.startswith("Challenges and costs")
    # Ids never clash with Table 1's, so a catalogue_id names one entry only.
    assert not set(catalogue.cost_risks) & set(catalogue.challenges)
    informed = staged({Stage.DISSEMINATION: Level.INFORM})
    assert project_cost_risks(informed, catalogue) == []


def test_each_bearer_bears_some_project_wide_cost(catalogue: Catalogue) -> None:
    assert {b for entry in catalogue.cost_risks.values() for b in entry.bears} == set(Bearer)


# --- Merging the plan's risks with the proposals --------------------------------------------------


def _base_levels() -> dict[Stage, Level]:
    return {Stage.TEAM: Level.INVOLVE, Stage.QUESTIONS: Level.COLLABORATE}


def test_the_teams_edits_and_dismissals_are_kept() -> None:
    plain = staged(_base_levels())
    seeded = risk_seed(plain, CATALOGUE)
    edited = seeded[0].model_copy(
        update={
            "challenge": "Our patient panel and the clinicians disagree on priorities",
            "likelihood": 4,
            "impact": 3,
            "status": "open",
            "owner": "Ana",
        }
    )
    dismissed = seeded[1].model_copy(update={"status": "dismissed", "reason": "Not for us"})
    own = Risk(challenge="The venue has no step-free access", likelihood=2, impact=5)
    plan = plain.model_copy(update={"risks": [edited, dismissed, own]})
    register = risk_register(plan, CATALOGUE)

    by_key: dict[tuple[str | None, Stage | None], list[RegisterEntry]] = {}
    for entry in register:
        by_key.setdefault(entry.key, []).append(entry)
    # taken-up proposals appear once, as the team wrote them
    assert [e.risk for e in by_key[(edited.catalogue_id, edited.stage)]] == [edited]
    assert [e.risk for e in by_key[(dismissed.catalogue_id, dismissed.stage)]] == [dismissed]
    assert by_key[(dismissed.catalogue_id, dismissed.stage)][0].risk.reason == "Not for us"
    # every other proposal is still offered
    assert len(register) == len(seeded) + 1
    team_own = [e for e in register if e.risk == own]
    assert len(team_own) == 1 and team_own[0].source is None and team_own[0].origin == "plan"
    proposed = [e for e in register if e.origin == "seeded"]
    assert all(e.risk.status == "proposed" and e.source is not None for e in proposed)


def test_a_plan_risk_linked_to_the_catalogue_gets_its_source() -> None:
    linked = Risk(stage=Stage.ANALYSIS, challenge="x", catalogue_id="analysis_partners_analyse")
    cost = Risk(challenge="y", catalogue_id="personal_stress_burnout")
    plan = make_plan(risks=[linked.model_dump(), cost.model_dump()])
    sources = {e.risk.challenge: e.source for e in risk_register(plan, CATALOGUE)}
    assert sources["x"] == CATALOGUE.challenges["analysis_partners_analyse"].source
    assert sources["y"] == CATALOGUE.cost_risks["personal_stress_burnout"].source


def test_a_proposal_taken_up_at_another_stage_is_still_proposed_at_its_own() -> None:
    plan = staged({Stage.TEAM: Level.INVOLVE})
    moved = Risk(stage=Stage.QUESTIONS, challenge="moved", catalogue_id="team_disagreement")
    register = risk_register(plan.model_copy(update={"risks": [moved]}), CATALOGUE)
    assert ("team_disagreement", Stage.TEAM) in {e.key for e in register}
    assert ("team_disagreement", Stage.QUESTIONS) in {e.key for e in register}


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=50)
@given(levels=stage_levels, raise_to=st.sampled_from(list(Level)), data=st.data())
def test_a_dismissed_risk_stays_dismissed(
    levels: dict[Stage, Level], raise_to: Level, data: st.DataObject
) -> None:
    plan = staged(levels)
    seeded = risk_seed(plan, CATALOGUE)
    if not seeded:
        return
    chosen = data.draw(st.sampled_from(seeded))
    dismissed = chosen.model_copy(update={"status": "dismissed", "reason": "Not here"})
    raised = {stage: max(level, raise_to, key=level_rank) for stage, level in levels.items()}
    later = staged(raised).model_copy(update={"risks": [dismissed]})
    matching = [
        e for e in risk_register(later, CATALOGUE) if e.key == (chosen.catalogue_id, chosen.stage)
    ]
    assert len(matching) == 1
    assert matching[0].risk.status == "dismissed" and matching[0].risk.reason == "Not here"
    assert matching[0].origin == "plan"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_keep_every_risk_they_hold(example: Any) -> None:
    plan = load_plan(example, CATALOGUE).plan
    register = risk_register(plan, CATALOGUE)
    kept = [e.risk for e in register if e.origin == "plan"]
    assert sorted(r.model_dump_json() for r in kept) == sorted(
        r.model_dump_json() for r in plan.risks
    )
    assert len(kept) == len(plan.risks)
    taken = {(r.catalogue_id, r.stage) for r in plan.risks if r.catalogue_id}
    assert not taken & {e.key for e in register if e.origin == "seeded"}


# --- Sorting, score, heat map, reviews -----------------------------------------------------------

risks = st.builds(
    lambda stage, likelihood, impact, status, review: Risk(
        stage=stage,
        challenge="a risk",
        likelihood=likelihood,
        impact=impact,
        status=status,
        reason="because" if status == "dismissed" else None,
        review=review,
    ),
    st.one_of(st.none(), st.sampled_from(list(Stage))),
    ratings,
    ratings,
    st.sampled_from(STATUSES),
    st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31))),
)
entries = st.lists(risks.map(lambda r: RegisterEntry(r, None, "plan")), max_size=40)


@given(likelihood=st.integers(1, 5), impact=st.integers(1, 5))
def test_score_is_likelihood_times_impact(likelihood: int, impact: int) -> None:
    risk = Risk(challenge="x", likelihood=likelihood, impact=impact)
    assert risk.score == likelihood * impact
    assert 1 <= RegisterEntry(risk, None, "plan").score <= 25  # type: ignore[operator]
    assert Risk(challenge="x", likelihood=likelihood).score is None


@given(entries)
def test_heat_map_counts_every_rated_live_risk_once(register: list[RegisterEntry]) -> None:
    counts = heat_map(register)
    assert len(counts) == 5 and all(len(row) == 5 for row in counts)
    rated_live = [
        e
        for e in register
        if e.risk.score is not None and e.risk.status not in ("closed", "dismissed")
    ]
    assert sum(map(sum, counts)) == len(rated_live)
    for entry in rated_live:
        assert counts[entry.risk.likelihood - 1][entry.risk.impact - 1] >= 1  # type: ignore[operator]


@given(entries)
def test_the_register_is_sorted_by_score_then_stage(register: list[RegisterEntry]) -> None:
    ordered = sort_register(register)
    assert sorted(map(id, ordered)) == sorted(map(id, register))
    scores = [e.score for e in ordered]
    rated = [s for s in scores if s is not None]
    assert scores[: len(rated)] == rated, "unrated risks come after every rated one"
    assert rated == sorted(rated, reverse=True)
    for first, second in itertools.pairwise(ordered):
        if first.score == second.score:
            order = [*Stage, None]
            assert order.index(first.risk.stage) <= order.index(second.risk.stage)


@given(entries, st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_reviews_due_are_live_risks_reviewed_today_or_before(
    register: list[RegisterEntry], today: dt.date
) -> None:
    due = reviews_due(register, today)
    expected = [
        e
        for e in register
        if e.risk.review is not None
        and e.risk.review <= today
        and e.risk.status not in ("closed", "dismissed")
    ]
    assert sorted(map(id, due)) == sorted(map(id, expected))
    dates = [e.risk.review for e in due]
    assert dates == sorted(dates)  # type: ignore[type-var]


def test_reviews_due_on_the_falls_example() -> None:
    example = next(p for p in EXAMPLES if p.name == "falls-prevention-evaluation.yaml")
    register = risk_register(load_plan(example, CATALOGUE).plan, CATALOGUE)
    due = reviews_due(register, dt.date(2026, 12, 15))
    assert [e.risk.review for e in due] == [dt.date(2026, 12, 15)]
    # the closed risk's review date (2026-06-30) has passed, but closed risks are not reviewed
    assert all(e.risk.status != "closed" for e in reviews_due(register, dt.date(2028, 1, 1)))
    assert len(reviews_due(register, dt.date(2028, 1, 1))) == 4

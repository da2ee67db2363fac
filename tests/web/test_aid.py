"""The decision aid in the browser: aims, context, alternatives, stages, review, and the history.

The expected results come from the core (``coprod.core.assess``) and the catalogue, never from
numbers typed into the tests, so that a change of rule in the core cannot pass unnoticed here.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.core.assess import assess
from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Criterion, Stage
from coprod.web.projects import selectors, services
from coprod.web.projects.models import Aim, AlternativeChoice, Assessment, Project, StagePlan
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
STEPS = ["aid_aims", "aid_context", "aid_alternatives", "aid_stages", "aid_review"]


def url(name: str, team: Team, *args: Any) -> str:
    return reverse(name, args=[team.project.pk, *args])


def text_of(response: Any) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    page = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def core_result(team: Team) -> Any:
    project = selectors.project_get(user=team.lead, pk=team.project.pk, with_plan=True)
    return assess(selectors.project_plan(project=project), default_catalogue())


def context_data(project: Project, **changes: str) -> dict[str, str]:
    """The context form as the page would post it, with some answers changed."""
    data = {c.value: getattr(project, c.value) for c in Criterion}
    for weight in project.weights.all():
        data[f"{weight.criterion}_weight"] = str(weight.weight)
        data[f"{weight.criterion}_reason"] = weight.reason
    data.update(changes)
    return data


def stages_data(project: Project, **changes: dict[str, Any] | None) -> dict[str, Any]:
    """The stages form as the page would post it; a stage given as None is 'not planned'."""
    plans = {sp.stage: sp for sp in project.stage_plans.all()}
    data: dict[str, Any] = {}
    for stage in Stage:
        values: dict[str, Any] | None
        if stage.value in changes:
            values = changes[stage.value]
        elif stage.value in plans:
            sp = plans[stage.value]
            values = {
                "level": sp.level,
                "groups": sp.groups,
                "strategy": sp.strategy,
                "methods": sp.methods,
            }
        else:
            values = None
        if values is None:
            data[f"{stage.value}-level"] = ""
            continue
        for name, value in values.items():
            data[f"{stage.value}-{name}"] = value
    return data


# --- Who may see each step -----------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize(
    ("who", "status"),
    [("lead", 200), ("researcher", 200), ("partner", 403), ("observer", 403), ("outsider", 404)],
)
def test_each_step_is_for_the_team_only(team: Team, step: str, who: str, status: int) -> None:
    response = team.client_for(who).get(url(step, team))
    assert response.status_code == status


@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_one_page_of_a_numbered_sequence(team: Team, step: str) -> None:
    response = team.client_for("lead").get(url(step, team))
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert '<ol class="steps">' in page
    assert page.count('aria-current="step"') == 1
    assert f'href="{url(step, team)}" aria-current="step"' in page
    if step != "aid_review":
        assert "Save and continue" in page
    # Every form that posts carries its CSRF token.
    assert page.count('method="post"') == page.count("csrfmiddlewaretoken")
    # No inline script or event handler: the CSP forbids them.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=|hx-on", page)


def test_signed_out_visitors_are_sent_to_sign_in(team: Team) -> None:
    response = Client().get(url("aid_context", team))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_members_without_permission_cannot_write(team: Team) -> None:
    before = team.project.contestation
    for who in ("partner", "observer"):
        client = team.client_for(who)
        response = client.post(
            url("aid_context", team), context_data(team.project, contestation="more")
        )
        assert response.status_code == 403
        response = client.post(url("assessment_list", team), {"stage": "", "note": ""})
        assert response.status_code == 403
    response = team.client_for("outsider").post(url("aid_context", team), {})
    assert response.status_code == 404
    team.project.refresh_from_db()
    assert team.project.contestation == before
    assert Assessment.objects.filter(project=team.project).count() == 2


# --- Context ---------------------------------------------------------------------------------


def test_the_context_shows_the_papers_words_beside_each_question(team: Team) -> None:
    page = text_of(team.client_for("researcher").get(url("aid_context", team)))
    catalogue = default_catalogue()
    for criterion in catalogue.criteria.values():
        assert " ".join(criterion.less_pole.split()) in page
        assert " ".join(criterion.more_pole.split()) in page
        assert catalogue.cite(criterion.source) in page
        assert " ".join(criterion.help.split()) in page


def test_the_context_saves_answers_and_weights(team: Team) -> None:
    data = context_data(
        team.project,
        contestation="lean-more",
        direct_use="neutral",
        resources_weight="1.5",
        resources_reason="Money decides what we can do.",
        conflicts_of_interest_weight="",
        conflicts_of_interest_reason="",
    )
    response = team.client_for("researcher").post(url("aid_context", team), data)
    assert response.status_code == 302
    assert response["Location"] == url("aid_alternatives", team)
    project = Project.objects.get(pk=team.project.pk)
    assert (project.contestation, project.direct_use) == ("lean-more", "neutral")
    weights = {w.criterion: w for w in project.weights.all()}
    assert set(weights) == {"resources"}
    assert str(weights["resources"].weight.normalize()) == "1.5"
    assert weights["resources"].reason == "Money decides what we can do."


def test_an_invalid_answer_is_refused_next_to_its_question_and_nothing_is_saved(team: Team) -> None:
    data = context_data(team.project, contestation="maybe", direct_use="less")
    response = team.client_for("lead").post(url("aid_context", team), data)
    assert response.status_code == 400
    page = response.content.decode()
    fieldset = re.search(r'<fieldset id="id_contestation"[^>]*>', page)
    assert fieldset is not None and "id_contestation_error" in fieldset.group(0)
    assert 'id="id_contestation_error"' in page
    assert 'href="#id_contestation"' in page  # the summary links to the question
    project = Project.objects.get(pk=team.project.pk)
    assert project.direct_use == team.project.direct_use  # the valid change was not saved either


@pytest.mark.parametrize(
    ("weight", "reason", "field"),
    [
        ("2", "", "direct_use_reason"),
        ("0", "Zero", "direct_use_weight"),
        ("-1", "Negative", "direct_use_weight"),
        ("11", "Too much", "direct_use_weight"),
        ("", "A reason without a weight", "direct_use_weight"),
    ],
)
def test_a_bad_weight_is_refused_next_to_its_field(
    team: Team, weight: str, reason: str, field: str
) -> None:
    data = context_data(
        team.project,
        contestation="more",
        direct_use_weight=weight,
        direct_use_reason=reason,
    )
    response = team.client_for("lead").post(url("aid_context", team), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    control = re.search(rf'<(input|textarea)[^>]*id="id_{field}"[^>]*>', page)
    assert control is not None
    assert 'aria-invalid="true"' in control.group(0)
    assert f"id_{field}_error" in control.group(0)  # aria-describedby names the error
    project = Project.objects.get(pk=team.project.pk)
    assert project.contestation == team.project.contestation
    assert not project.weights.filter(criterion="direct_use").exists()


def test_htmx_saves_the_context_and_answers_with_a_status_not_the_form(team: Team) -> None:
    client = team.client_for("lead")
    data = context_data(team.project, purpose="more")
    response = client.post(url("aid_context", team), data, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saved at" in page
    assert "<form" not in page and "<fieldset" not in page and "<input" not in page
    assert Project.objects.get(pk=team.project.pk).purpose == "more"

    bad = context_data(team.project, definition="more", relationships_weight="3")
    response = client.post(url("aid_context", team), bad, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200  # htmx only swaps in 2xx answers
    assert "Saved at" not in page
    assert 'href="#id_relationships_reason"' in page
    assert "<form" not in page
    assert Project.objects.get(pk=team.project.pk).definition == team.project.definition


# --- Aims ------------------------------------------------------------------------------------


def test_aims_can_be_added_changed_and_deleted(team: Team) -> None:
    client = team.client_for("researcher")
    count = team.project.aims.count()
    response = client.post(
        url("aid_aims", team),
        {
            "new-motivation": "normative",
            "new-outcome": "Older people share in deciding what is asked.",
            "new-for_whom": ["patients_public"],
            "then": "add",
        },
    )
    assert response.status_code == 302
    aim = Aim.objects.get(project=team.project, motivation="normative")
    assert aim.for_whom == ["patients_public"]
    assert team.project.aims.count() == count + 1

    edit = url("aid_aim_edit", team, aim.pk)
    response = client.post(
        edit,
        {
            f"aim-{aim.pk}-motivation": "substantive",
            f"aim-{aim.pk}-outcome": "Better topic guides.",
            f"aim-{aim.pk}-for_whom": ["researchers", "patients_public"],
        },
    )
    assert response.status_code == 302
    aim.refresh_from_db()
    assert (aim.motivation, aim.outcome) == ("substantive", "Better topic guides.")
    assert aim.for_whom == ["researchers", "patients_public"]

    response = client.post(
        edit,
        {f"aim-{aim.pk}-motivation": "substantive", f"aim-{aim.pk}-outcome": "Changed by htmx."},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Saved at" in response.content.decode() and b"<form" not in response.content
    aim.refresh_from_db()
    assert aim.outcome == "Changed by htmx." and aim.for_whom == []

    response = client.post(edit, {"delete": "1"})
    assert response.status_code == 302
    assert not Aim.objects.filter(pk=aim.pk).exists()
    assert team.project.aims.count() == count


def test_a_bad_aim_is_refused_next_to_its_field(team: Team) -> None:
    client = team.client_for("lead")
    count = team.project.aims.count()
    response = client.post(
        url("aid_aims", team), {"new-motivation": "normative", "new-outcome": "", "then": "add"}
    )
    assert response.status_code == 400
    assert 'id="id_new-outcome_error"' in response.content.decode()
    assert team.project.aims.count() == count

    aim = team.project.aims.first()
    assert aim is not None
    response = client.post(
        url("aid_aim_edit", team, aim.pk),
        {f"aim-{aim.pk}-motivation": "wishful", f"aim-{aim.pk}-outcome": "Something"},
    )
    assert response.status_code == 400
    assert f'id="id_aim-{aim.pk}-motivation_error"' in response.content.decode()
    assert Aim.objects.get(pk=aim.pk).outcome == aim.outcome


def test_save_and_continue_with_an_empty_aim_form_moves_on(team: Team) -> None:
    count = team.project.aims.count()
    response = team.client_for("lead").post(
        url("aid_aims", team), {"new-motivation": "", "new-outcome": "", "then": "continue"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("aid_context", team)
    assert team.project.aims.count() == count


def test_an_aim_of_another_project_cannot_be_touched(team: Team) -> None:
    other = services.project_create(user=team.outsider, title="Someone else's project")
    aim = services.aim_create(project=other, motivation="normative", outcome="Theirs", for_whom=[])
    response = team.client_for("lead").post(url("aid_aim_edit", team, aim.pk), {"delete": "1"})
    assert response.status_code == 404
    assert Aim.objects.filter(pk=aim.pk).exists()


def test_the_political_prompt_shows_until_a_political_aim_is_named(team: Team) -> None:
    rule = default_catalogue().rules["political-unstated"]
    message = " ".join(rule.message.split())
    citation = default_catalogue().cite(rule.source)
    client = team.client_for("lead")
    # The falls example names a political aim, so there is no prompt.
    page = text_of(client.get(url("aid_aims", team)))
    assert message not in page

    for aim in team.project.aims.filter(motivation="political"):
        client.post(url("aid_aim_edit", team, aim.pk), {"delete": "1"})
    response = client.get(url("aid_aims", team))
    page = text_of(response)
    assert 'id="political-prompt"' in response.content.decode()
    assert message in page and citation in page

    client.post(
        url("aid_aims", team),
        {"new-motivation": "political", "new-outcome": "The council trusts the findings."},
    )
    response = client.get(url("aid_aims", team))
    assert 'id="political-prompt"' not in response.content.decode()
    assert message not in text_of(response)


# --- Alternatives ----------------------------------------------------------------------------


def test_the_alternatives_page_lists_the_catalogue_options_for_each_aim(team: Team) -> None:
    catalogue = default_catalogue()
    page = text_of(team.client_for("lead").get(url("aid_alternatives", team)))
    plan_aims = {aim.motivation for aim in team.project.aims.all()}
    for motivation in plan_aims:
        entry = catalogue.motivations[motivation]  # type: ignore[index]
        for option in catalogue.alternatives_for(entry.id):
            assert option.label in page
            assert " ".join(option.serves_when.split()) in page
            assert " ".join(option.costs.split()) in page
        for caution in entry.cautions:
            assert " ".join(caution.text.split()) in page


def test_alternatives_can_be_recorded_changed_and_deleted(team: Team) -> None:
    client = team.client_for("researcher")
    catalogue = default_catalogue()
    option = catalogue.alternatives_for("substantive")[0]  # type: ignore[arg-type]
    response = client.post(
        url("aid_alternatives", team),
        {
            "new-motivation": "substantive",
            "new-catalogue_id": option.id,
            "new-approach": "",
            "new-chosen": "no",
            "new-reason": "Not enough studies yet.",
            "then": "add",
        },
    )
    assert response.status_code == 302
    row = AlternativeChoice.objects.filter(project=team.project).latest("pk")
    assert (row.motivation, row.catalogue_id, row.approach) == (
        "substantive",
        option.id,
        option.label,
    )
    assert row.chosen is False

    response = client.post(
        url("aid_alternatives", team),
        {
            "new-motivation": "political",
            "new-approach": "Coffee with the council's director",
            "new-chosen": "yes",
            "then": "continue",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("aid_stages", team)
    own = AlternativeChoice.objects.filter(project=team.project).latest("pk")
    assert (own.approach, own.catalogue_id, own.chosen) == (
        "Coffee with the council's director",
        "",
        True,
    )

    edit = url("aid_alternative_edit", team, own.pk)
    prefix = f"alt-{own.pk}"
    response = client.post(
        edit,
        {
            f"{prefix}-approach": "Lunch instead",
            f"{prefix}-chosen": "no",
            f"{prefix}-reason": "Cost",
        },
        **HTMX,
    )
    assert response.status_code == 200 and b"<form" not in response.content
    own.refresh_from_db()
    assert (own.approach, own.chosen, own.reason) == ("Lunch instead", False, "Cost")

    response = client.post(edit, {f"{prefix}-approach": "", f"{prefix}-chosen": "no"})
    assert response.status_code == 400
    assert f'id="id_{prefix}-approach_error"' in response.content.decode()
    own.refresh_from_db()
    assert own.approach == "Lunch instead"

    response = client.post(edit, {"delete": "1"})
    assert response.status_code == 302
    assert not AlternativeChoice.objects.filter(pk=own.pk).exists()


def test_an_alternative_needs_an_approach_that_serves_its_aim(team: Team) -> None:
    catalogue = default_catalogue()
    count = AlternativeChoice.objects.filter(project=team.project).count()
    not_political = next(
        alt for alt in catalogue.alternatives.values() if "political" not in alt.motivations
    )
    client = team.client_for("lead")
    response = client.post(
        url("aid_alternatives", team),
        {"new-motivation": "political", "new-catalogue_id": not_political.id, "new-chosen": "no"},
    )
    assert response.status_code == 400
    assert 'id="id_new-catalogue_id_error"' in response.content.decode()
    response = client.post(
        url("aid_alternatives", team), {"new-motivation": "political", "new-chosen": "yes"}
    )
    assert response.status_code == 400
    assert 'id="id_new-approach_error"' in response.content.decode()
    assert AlternativeChoice.objects.filter(project=team.project).count() == count


# --- Stages ----------------------------------------------------------------------------------


def test_the_stages_page_shows_the_cores_suggestion_and_risks(team: Team) -> None:
    catalogue = default_catalogue()
    result = core_result(team)
    page = text_of(team.client_for("lead").get(url("aid_stages", team)))
    for finding in result.stages:
        for reason in finding.reasons:
            assert reason.text in page
        for risk in finding.risks:
            assert risk.label in page
    analysis = next(f for f in result.stages if f.stage is Stage.ANALYSIS)
    assert analysis.recommended_level is not None
    assert catalogue.levels[analysis.recommended_level].label in page


def test_stages_save_and_a_stage_can_be_removed(team: Team) -> None:
    analysis_standards = StagePlan.objects.get(project=team.project, stage="analysis").standards
    data = stages_data(
        team.project,
        team=None,
        analysis={
            "level": "involve",
            "groups": ["patients_public", "practitioners"],
            "strategy": "Co-analysis of de-identified themes.",
            "methods": ["co_analysis_session"],
        },
    )
    response = team.client_for("researcher").post(url("aid_stages", team), data)
    assert response.status_code == 302
    assert response["Location"] == url("aid_review", team)
    plans = {sp.stage: sp for sp in StagePlan.objects.filter(project=team.project)}
    assert "team" not in plans
    analysis = plans["analysis"]
    assert analysis.level == "involve"
    assert analysis.groups == ["patients_public", "practitioners"]
    assert analysis.methods == ["co_analysis_session"]
    assert analysis.standards == analysis_standards  # what this page does not show is kept


def test_a_bad_stage_is_refused_and_nothing_is_saved(team: Team) -> None:
    data = stages_data(team.project, team=None, analysis={"level": "boss", "groups": []})
    response = team.client_for("lead").post(url("aid_stages", team), data)
    assert response.status_code == 400
    assert 'id="id_analysis-level_error"' in response.content.decode()
    assert StagePlan.objects.filter(project=team.project, stage="team").exists()


def test_htmx_saves_stages_and_refreshes_only_the_advice(team: Team) -> None:
    data = stages_data(team.project, implementation={"level": "lead", "groups": ["managers"]})
    response = team.client_for("lead").post(url("aid_stages", team), data, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in page
    assert "<form" not in page and "<select" not in page and "<input" not in page
    assert 'id="advice-implementation" hx-swap-oob="innerHTML"' in page
    assert StagePlan.objects.get(project=team.project, stage="implementation").level == "lead"
    # The refreshed advice shows the risks at the level just saved.
    finding = next(f for f in core_result(team).stages if f.stage is Stage.IMPLEMENTATION)
    assert finding.chosen_level is not None and finding.chosen_level.value == "lead"
    for risk in finding.risks:
        assert html.escape(risk.label) in page


# --- Review ----------------------------------------------------------------------------------


def test_the_review_shows_the_emphasis_the_core_computes(team: Team) -> None:
    result = core_result(team)
    response = team.client_for("lead").get(url("aid_review", team))
    page = response.content.decode()
    assert f'data-emphasis="{result.emphasis.emphasis.value}"' in page
    words = text_of(response)
    catalogue = default_catalogue()
    for pull in result.emphasis.drivers():
        assert catalogue.criteria[pull.criterion].label in words
    for warning in result.warnings:
        assert warning.message in words
        assert catalogue.cite(warning.sources[0]) in words
    for finding in result.criteria:
        assert catalogue.cite(finding.source) in words
    assert re.search(r'<button type="button" data-print class="no-print">', page)
    assert f'action="{url("assessment_list", team)}"' in page


def test_the_review_follows_changed_answers(team: Team) -> None:
    client = team.client_for("lead")
    data = context_data(team.project, **{c.value: "more" for c in Criterion})
    assert client.post(url("aid_context", team), data).status_code == 302
    result = core_result(team)
    assert result.emphasis.emphasis.value == "more"  # the core's promise: all "more" gives more
    page = client.get(url("aid_review", team)).content.decode()
    assert 'data-emphasis="more"' in page


# --- Assessments kept at stage gates ---------------------------------------------------------


def test_recording_an_assessment_keeps_it_and_the_history_says_what_changed(team: Team) -> None:
    client = team.client_for("lead")
    before = Assessment.objects.filter(project=team.project).count()
    response = client.post(url("assessment_list", team), {"stage": "analysis", "note": "Gate 3"})
    assert response.status_code == 302
    first = Assessment.objects.filter(project=team.project).latest("id")
    assert Assessment.objects.filter(project=team.project).count() == before + 1
    assert (first.stage, first.note, first.created_by) == ("analysis", "Gate 3", team.lead)
    assert first.emphasis == core_result(team).emphasis.emphasis.value

    data = context_data(
        team.project,
        contestation="lean-more",
        resources_weight="3",
        resources_reason="The timetable is tight",
    )
    assert client.post(url("aid_context", team), data).status_code == 302
    client.post(url("assessment_list", team), {"stage": "recommendations", "note": ""})
    second = Assessment.objects.filter(project=team.project).latest("id")
    assert second.criteria["contestation"] == "lean-more"

    response = team.client_for("observer").get(url("assessment_list", team))
    assert response.status_code == 200
    page = text_of(response)
    assert "Contested findings: Fits the “less” description → Closer to “more”" in page
    resources = default_catalogue().criteria[Criterion.RESOURCES].label
    assert f"{resources}: 1 → 3 (The timetable is tight)" in page
    rules = default_catalogue().rules
    for rule_id in set(first.warnings) - set(second.warnings):
        assert rules[rule_id].label in page
    for rule_id in set(second.warnings) - set(first.warnings):
        assert rules[rule_id].label in page
    if first.emphasis != second.emphasis:
        assert "The result changed" in page
    # Oldest first.
    order = [m.group(1) for m in re.finditer(r'id="assessment-(\d+)"', response.content.decode())]
    assert order[-2:] == [str(first.pk), str(second.pk)]


def test_every_member_sees_the_history_and_outsiders_do_not(team: Team) -> None:
    for who in ("lead", "researcher", "partner", "observer"):
        assert team.client_for(who).get(url("assessment_list", team)).status_code == 200
    assert team.client_for("outsider").get(url("assessment_list", team)).status_code == 404
    page = team.client_for("partner").get(url("assessment_list", team)).content.decode()
    assert "Record today's assessment" not in page


def test_a_bad_stage_gate_is_refused(team: Team) -> None:
    before = Assessment.objects.filter(project=team.project).count()
    response = team.client_for("lead").post(url("assessment_list", team), {"stage": "lunch"})
    assert response.status_code == 400
    assert 'id="id_stage_error"' in response.content.decode()
    assert Assessment.objects.filter(project=team.project).count() == before


def _history_queries(team: Team, total: int) -> int:
    while Assessment.objects.filter(project=team.project).count() < total:
        services.assessment_record(project=team.project, user=team.lead, stage="analysis")
    client = team.client_for("observer")
    client.get(url("assessment_list", team))  # warm the session and the catalogue
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("assessment_list", team))
    assert response.status_code == 200
    return len(queries)


def test_the_history_runs_a_fixed_number_of_queries(team: Team) -> None:
    Assessment.objects.filter(project=team.project).delete()
    few = _history_queries(team, 2)
    many = _history_queries(team, 10)
    assert few == many

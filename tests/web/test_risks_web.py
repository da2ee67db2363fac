"""The risk register in the browser's pages (C3): seeding, review, history, access and speed.

Expected values are never written out here: they come from the core (risk_seed, risk_register,
heat_map, reviews_due) for the plan the database holds, so a change to the core's rules changes
what these tests expect, not whether they pass.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Stage
from coprod.core.plan import Plan, Risk
from coprod.core.risks import IMPACT_WORDS, LIKELIHOOD_WORDS, heat_map, reviews_due, risk_register
from coprod.core.risks import risk_seed as core_risk_seed
from coprod.formats.risk_reports import heat_map_description
from coprod.web.projects import services as project_services
from coprod.web.projects.models import Membership, Project
from coprod.web.projects.plan_mapping import plan_from_project
from coprod.web.projects.selectors import plan_load
from coprod.web.risks import plan_io, selectors, services
from coprod.web.risks.models import STATUS_LABELS, ProjectRisk
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- Helpers --------------------------------------------------------------------------------------


def register_url(project: Project) -> str:
    return reverse("risk_list", args=[project.pk])


def core_plan(project: Project) -> Plan:
    """The project's plan as the core sees it, with the stored risks as its risks."""
    fresh = plan_load(project=Project.objects.get(pk=project.pk))
    return plan_from_project(fresh).model_copy(update={"risks": plan_io.to_plan(fresh)})


def keys(risks: list[Any]) -> list[tuple[str | None, Stage | None]]:
    """What makes a proposal the same proposal: its catalogue entry and its stage."""
    return [
        (risk.catalogue_id or None, Stage(risk.stage) if risk.stage else None) for risk in risks
    ]


def stored_keys(project: Project) -> list[tuple[str | None, Stage | None]]:
    return keys(plan_io.to_plan(Project.objects.get(pk=project.pk)))


def seeded(team: Team) -> list[ProjectRisk]:
    """Open the register as the lead (which stores the proposals); the proposals, in order.

    The plan file may hold risks of its own (the team's, already taken up): they are rows too,
    but not proposals, and they are left as they are.
    """
    response = team.client_for("lead").get(register_url(team.project))
    assert response.status_code == 200
    return list(
        ProjectRisk.objects.filter(project=team.project, status="proposed").order_by(
            "position", "id"
        )
    )


def table_ids(html: str) -> list[int]:
    """The risks the register's table lists, in its order."""
    table = html[html.index('id="register-heading"') : html.index('id="heat-heading"')]
    return [int(pk) for pk in re.findall(r'<tr id="risk-(\d+)"', table)]


def text_of(response: Any) -> str:
    """The page's text, tags removed and spaces squeezed, for looking up what a reader sees."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def history_of(risk: ProjectRisk) -> list[Any]:
    return list(ProjectRisk.history.filter(id=risk.pk).order_by("history_date", "history_id"))


def add_risks(project: Project, count: int, **fields: Any) -> None:
    for index in range(count):
        services.risk_create(
            project=project,
            challenge=f"Risk number {index} of our own",
            cost_types=["practical"],
            bears=["researchers"],
            likelihood=1 + index % 5,
            impact=1 + (index * 2) % 5,
            status="open",
            review=dt.date(2020, 1, 1) + dt.timedelta(days=index),
            **fields,
        )


# --- Seeding --------------------------------------------------------------------------------------


def test_opening_the_register_stores_the_cores_proposals_for_the_chosen_stages(team: Team) -> None:
    catalogue = default_catalogue()
    plan = core_plan(team.project)
    expected = core_risk_seed(plan, catalogue)
    assert expected, "the example plan chooses stages that bring risks"
    not_taken = [e.risk for e in risk_register(plan, catalogue) if e.origin == "seeded"]
    before = stored_keys(team.project)
    rows = seeded(team)
    after = stored_keys(team.project)
    # What the plan held stays as it was; what the core proposes follows, in the core's order.
    assert after[: len(before)] == before
    assert after[len(before) :] == keys(not_taken)
    # Every risk the core proposes for the chosen stages and levels is in the register, once.
    assert set(keys(expected)) <= set(after)
    assert len(set(after)) == len(after)
    assert all(row.likelihood is None and row.impact is None for row in rows)
    # Opening it again proposes nothing more.
    assert seeded(team) == rows
    assert stored_keys(team.project) == after


def test_seeding_follows_a_change_of_level_and_never_brings_back_a_dismissed_risk(
    team: Team,
) -> None:
    rows = seeded(team)
    dismissed = rows[0]
    services.risk_dismiss(risk=dismissed, reason="Our partners are one small, settled group.")
    # Involve partners more deeply at a stage, and drop another stage altogether.
    stages = {sp.stage: sp for sp in team.project.stage_plans.all()}
    deeper = next(s for s in Stage if s.value in stages and stages[s.value].level != "lead")
    dropped = next(s for s in reversed(Stage) if s.value in stages and s != deeper)
    project_services.stage_plans_update(
        project=team.project, stages={deeper.value: {"level": "lead"}, dropped.value: None}
    )
    plan = core_plan(team.project)
    wanted = core_risk_seed(plan, default_catalogue())
    before = stored_keys(team.project)
    new = [key for key in keys(wanted) if key not in before]
    assert new, "a deeper level brings risks the paper names for it"
    seeded(team)
    after = stored_keys(team.project)
    assert after[: len(before)] == before
    assert after[len(before) :] == new
    assert ProjectRisk.objects.get(pk=dismissed.pk).status == "dismissed"
    assert after.count((dismissed.catalogue_id, Stage(dismissed.stage))) == 1


def test_a_plan_with_no_involvement_has_nothing_to_review(team: Team) -> None:
    project = project_services.project_create(user=team.lead, title="A quiet project")
    response = team.client_for("lead").get(register_url(project))
    assert response.status_code == 200
    assert core_risk_seed(core_plan(project), default_catalogue()) == []
    assert not ProjectRisk.objects.filter(project=project).exists()
    assert "Nothing to review" in text_of(response)


@pytest.mark.parametrize("who", ["partner", "observer"])
def test_readers_see_the_proposals_but_opening_the_register_stores_nothing(
    team: Team, who: str
) -> None:
    before = stored_keys(team.project)
    response = team.client_for(who).get(register_url(team.project))
    assert response.status_code == 200
    assert stored_keys(team.project) == before
    page = text_of(response)
    catalogue = default_catalogue()
    proposals = [
        e for e in risk_register(core_plan(team.project), catalogue) if e.origin == "seeded"
    ]
    assert proposals
    for entry in proposals:
        assert entry.source is not None
        assert catalogue.cite(entry.source) in page
    assert 'action="' + reverse("risk_create", args=[team.project.pk]) not in (
        response.content.decode()
    )


def test_each_proposal_quotes_and_cites_its_source(team: Team) -> None:
    seeded(team)
    response = team.client_for("lead").get(register_url(team.project))
    page = text_of(response)
    catalogue = default_catalogue()
    entries = risk_register(core_plan(team.project), catalogue)
    proposals = [entry for entry in entries if entry.risk.status == "proposed"]
    assert proposals
    for entry in proposals:
        assert entry.source is not None
        assert catalogue.cite(entry.source) in page
        assert " ".join((entry.source.quote or "").split()) in page


def test_all_six_cost_types_are_named_as_the_catalogue_names_them(team: Team) -> None:
    for who in ("lead", "observer"):
        page = text_of(team.client_for(who).get(register_url(team.project)))
        for entry in default_catalogue().cost_types.values():
            assert entry.label in page, (who, entry.label)


# --- Accept, edit, dismiss, add -------------------------------------------------------------------


def test_accepting_a_proposal_with_ratings_opens_it_and_keeps_its_history(team: Team) -> None:
    risk = seeded(team)[0]
    response = team.client_for("lead").post(
        reverse("risk_accept", args=[team.project.pk, risk.pk]),
        {f"accept-{risk.pk}-likelihood": "4", f"accept-{risk.pk}-impact": "2"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#proposals")
    risk.refresh_from_db()
    assert (risk.status, risk.likelihood, risk.impact) == ("open", 4, 2)
    history = history_of(risk)
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].status == "proposed"
    assert history[-1].status == "open"
    assert history[-1].history_user == team.lead
    # The score the register shows is the core's.
    entries = risk_register(core_plan(team.project), default_catalogue())
    entry = next(e for e in entries if keys([e.risk]) == keys([risk]))
    assert entry.score == Risk(challenge="x", likelihood=4, impact=2).score
    html = team.client_for("lead").get(register_url(team.project)).content.decode()
    assert re.search(rf'<tr id="risk-{risk.pk}">\s*<td>{entry.score}</td>', html)


def test_accepting_without_ratings_leaves_them_for_later(team: Team) -> None:
    risk = seeded(team)[0]
    response = team.client_for("researcher").post(
        reverse("risk_accept", args=[team.project.pk, risk.pk]), {}
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.status, risk.likelihood, risk.impact) == ("open", None, None)


def test_a_rating_off_the_scale_is_refused_next_to_its_field(team: Team) -> None:
    risk = seeded(team)[0]
    response = team.client_for("lead").post(
        reverse("risk_accept", args=[team.project.pk, risk.pk]),
        {f"accept-{risk.pk}-likelihood": "9", f"accept-{risk.pk}-impact": "3"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#id_accept-{risk.pk}-likelihood"' in html  # the summary leads to the field
    assert "Choose a rating from the list, 1 to 5." in html
    risk.refresh_from_db()
    assert (risk.status, risk.likelihood) == ("proposed", None)
    assert len(history_of(risk)) == 1


def test_a_risk_already_reviewed_cannot_be_accepted_again(team: Team) -> None:
    risk = seeded(team)[0]
    services.risk_dismiss(risk=risk, reason="Not for us.")
    response = team.client_for("lead").post(
        reverse("risk_accept", args=[team.project.pk, risk.pk]), {}
    )
    assert response.status_code == 400
    assert "reviewed already" in text_of(response)
    assert ProjectRisk.objects.get(pk=risk.pk).status == "dismissed"


def test_dismissing_with_a_reason_keeps_the_reason_and_the_history(team: Team) -> None:
    risk = seeded(team)[1]
    reason = "Our partners already work together every week."
    response = team.client_for("lead").post(
        reverse("risk_dismiss", args=[team.project.pk, risk.pk]),
        {f"dismiss-{risk.pk}-reason": f"  {reason}  "},
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.status, risk.reason) == ("dismissed", reason)
    last = history_of(risk)[-1]
    assert (last.history_type, last.status, last.reason) == ("~", "dismissed", reason)
    detail = text_of(
        team.client_for("observer").get(reverse("risk_detail", args=[team.project.pk, risk.pk]))
    )
    assert reason in detail
    assert str(STATUS_LABELS["dismissed"]) in detail


@pytest.mark.parametrize("reason", ["", "   "])
def test_dismissing_without_a_reason_saves_nothing(team: Team, reason: str) -> None:
    risk = seeded(team)[1]
    history_before = ProjectRisk.history.count()
    response = team.client_for("lead").post(
        reverse("risk_dismiss", args=[team.project.pk, risk.pk]),
        {f"dismiss-{risk.pk}-reason": reason},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'href="#id_dismiss-{risk.pk}-reason"' in html
    # The message sits in the field's own group, just before the field.
    group = html[html.index(f'for="id_dismiss-{risk.pk}-reason"') :]
    group = group[: group.index(f'id="id_dismiss-{risk.pk}-reason"')]
    assert "Say why your team dismisses this risk" in group
    risk.refresh_from_db()
    assert (risk.status, risk.reason) == ("proposed", "")
    assert ProjectRisk.history.count() == history_before


def test_the_core_refuses_a_dismissal_without_a_reason_on_the_edit_page_too(team: Team) -> None:
    risk = seeded(team)[0]
    url = reverse("risk_detail", args=[team.project.pk, risk.pk])
    data = {
        "challenge": risk.challenge,
        "stage": risk.stage,
        "cost_types": risk.cost_types,
        "bears": risk.bears,
        "status": "dismissed",
        "reason": "",
    }
    response = team.client_for("lead").post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_reason"' in html
    assert ProjectRisk.objects.get(pk=risk.pk).status == "proposed"
    # The same rule, from the core, when called directly.
    with pytest.raises(ValueError, match="reason"):
        Risk(challenge="x", status="dismissed")


def test_editing_a_risk_records_before_and_after(team: Team) -> None:
    risk = seeded(team)[0]
    url = reverse("risk_detail", args=[team.project.pk, risk.pk])
    data = {
        "challenge": "Carers and clinicians on the group may want different things.",
        "stage": risk.stage,
        "cost_types": ["personal", "stakeholder"],
        "bears": ["researchers", "stakeholders"],
        "bears_who": "The research assistant",
        "likelihood": "3",
        "impact": "5",
        "mitigation": "A facilitator from outside the team runs the first two meetings.",
        "owner": "Dr Ada Example",
        "status": "open",
        "reason": "",
        "review": "2027-01-15",
    }
    response = team.client_for("researcher").post(url, data)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.cost_types == ["personal", "stakeholder"]
    assert (risk.likelihood, risk.impact, risk.status) == (3, 5, "open")
    assert risk.review == dt.date(2027, 1, 15)
    page = team.client_for("lead").get(url)
    text = text_of(page)
    catalogue = default_catalogue()
    assert f"3 – {LIKELIHOOD_WORDS[3]}" in text
    assert f"5 – {IMPACT_WORDS[5]}" in text
    # The history names who changed it and shows each value before and after, in words.
    assert "by Researcher" in text
    html = page.content.decode()
    assert f"<del>{STATUS_LABELS['proposed']}</del>" in html
    assert f"<ins>{STATUS_LABELS['open']}</ins>" in html
    assert f"<ins>{catalogue.cost_types['personal'].label}" in html  # type: ignore[index]


def test_adding_a_risk_of_our_own(team: Team) -> None:
    seeded(team)
    response = team.client_for("lead").post(
        reverse("risk_create", args=[team.project.pk]),
        {
            "new-challenge": "The one peer researcher on the team burns out.",
            "new-stage": "",
            "new-cost_types": ["personal"],
            "new-bears": ["researchers"],
            "new-likelihood": "3",
            "new-impact": "4",
            "new-status": "open",
        },
    )
    assert response.status_code == 302
    risk = ProjectRisk.objects.get(challenge="The one peer researcher on the team burns out.")
    assert response["Location"].endswith(f"#risk-{risk.pk}")
    assert risk.position == ProjectRisk.objects.filter(project=team.project).count() - 1
    assert (risk.stage, risk.catalogue_id, risk.status) == ("", "", "open")
    assert [h.history_type for h in history_of(risk)] == ["+"]
    page = text_of(team.client_for("lead").get(register_url(team.project)))
    assert "The one peer researcher on the team burns out." in page


def test_a_risk_of_our_own_needs_words(team: Team) -> None:
    count = ProjectRisk.objects.count()
    response = team.client_for("lead").post(
        reverse("risk_create", args=[team.project.pk]),
        {"new-challenge": "  ", "new-status": "open", "new-likelihood": "2"},
    )
    assert response.status_code == 400
    assert 'href="#id_new-challenge"' in response.content.decode()
    assert "Describe the risk." in text_of(response)
    assert ProjectRisk.objects.count() == count


def test_a_risk_of_another_project_is_not_found(team: Team) -> None:
    other = project_services.project_create(user=team.lead, title="Another project")
    add_risks(other, 1)
    risk = ProjectRisk.objects.get(project=other)
    client = team.client_for("lead")
    assert client.get(reverse("risk_detail", args=[team.project.pk, risk.pk])).status_code == 404
    response = client.post(reverse("risk_dismiss", args=[team.project.pk, risk.pk]), {})
    assert response.status_code == 404


# --- The register as the core sorts it, the filter, reviews due, heat map ------------------------


def test_the_register_lists_risks_as_the_core_sorts_them(team: Team) -> None:
    rows = seeded(team)
    for index, row in enumerate(rows[:6]):
        services.risk_accept(risk=row, likelihood=1 + index % 5, impact=5 - index % 5)
    services.risk_dismiss(risk=rows[6], reason="Not for us.")
    add_risks(team.project, 3)
    html = team.client_for("lead").get(register_url(team.project)).content.decode()
    shown = table_ids(html)
    by_key = {}
    for row in ProjectRisk.objects.filter(project=team.project):
        by_key[row.pk] = plan_io.risk_of(row)
    expected = [
        entry.risk
        for entry in risk_register(core_plan(team.project), default_catalogue())
        if entry.risk.status != "proposed"
    ]
    assert [by_key[pk] for pk in shown] == expected
    assert len(shown) >= 6 + 1 + 3


def test_the_status_filter(team: Team) -> None:
    rows = seeded(team)
    services.risk_accept(risk=rows[0])
    services.risk_dismiss(risk=rows[1], reason="Not for us.")
    client = team.client_for("lead")
    stored = ProjectRisk.objects.filter(project=team.project)
    for status in ("dismissed", "open", "proposed"):
        html = client.get(register_url(team.project) + f"?status={status}").content.decode()
        assert sorted(table_ids(html)) == sorted(r.pk for r in stored.filter(status=status))
    assert rows[1].pk in table_ids(
        client.get(register_url(team.project) + "?status=dismissed").content.decode()
    )
    # Anything else shows every risk taken up: all but the proposals.
    html = client.get(register_url(team.project) + "?status=nonsense").content.decode()
    taken = stored.exclude(status="proposed")
    assert sorted(table_ids(html)) == sorted(r.pk for r in taken)
    assert {rows[0].pk, rows[1].pk} <= set(table_ids(html))


def test_reviews_due_are_the_cores(team: Team) -> None:
    project = project_services.project_create(user=team.lead, title="Reviews")
    add_risks(project, 4)
    services.risk_update(risk=ProjectRisk.objects.filter(project=project).first(), status="closed")
    today = dt.date.today()
    add_risks(project, 1)
    later = ProjectRisk.objects.filter(project=project).last()
    services.risk_update(risk=later, review=today + dt.timedelta(days=30), challenge="Far off")
    entries = risk_register(core_plan(project), default_catalogue())
    due = reviews_due(entries, today)
    assert 0 < len(due) < 5
    page = text_of(team.client_for("lead").get(register_url(project)))
    section = page[page.index("Reviews due (") : page.index("Risks to review (")]
    for entry in due:
        assert entry.risk.challenge in section
    assert "Far off" not in section
    summary = selectors.dashboard_summary(Project.objects.get(pk=project.pk), today)
    assert [risk.challenge for risk in summary.due] == [e.risk.challenge for e in due]


def test_the_heat_map_table_and_text_are_the_cores(team: Team) -> None:
    project = project_services.project_create(user=team.lead, title="Heat")
    add_risks(project, 7)
    html = team.client_for("lead").get(register_url(project)).content.decode()
    entries = risk_register(core_plan(project), default_catalogue())
    assert f'alt="{heat_map_description(entries)}"' in unescape(html)
    counts = heat_map(entries)
    heat = html[html.index('id="heat-heading"') : html.index('id="cost-types-heading"')]
    rows = re.findall(r'<tr>\s*<th scope="row">(\d) – [^<]*</th>\s*((?:<td>\d+</td>)+)', heat)
    assert [int(lk) for lk, _ in rows] == [5, 4, 3, 2, 1]
    for likelihood, cells in rows:
        assert [int(n) for n in re.findall(r"\d+", cells)] == counts[int(likelihood) - 1]


def test_the_heat_map_image_is_a_png(team: Team) -> None:
    project = project_services.project_create(user=team.lead, title="Heat")
    add_risks(project, 3)
    response = team.client_for("lead").get(reverse("risk_heat_map", args=[project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    download = team.client_for("lead").get(
        reverse("risk_heat_map", args=[project.pk]) + "?download=1"
    )
    assert "attachment" in download["Content-Disposition"]
    assert download.content.startswith(PNG_SIGNATURE)


def test_the_register_downloads_as_a_workbook(team: Team) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    rows = seeded(team)
    services.risk_update(risk=rows[0], owner="Dr Ada Example", status="open", likelihood=2)
    response = team.client_for("lead").get(
        reverse("risk_register_download", args=[team.project.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Risk register"]
    entries = risk_register(core_plan(team.project), default_catalogue())
    assert sheet.max_row == 1 + len(entries)
    assert "Heat map" in workbook.sheetnames
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Dr Ada Example" in values
    # Owners are people: the observer's copy leaves them out.
    response = team.client_for("observer").get(
        reverse("risk_register_download", args=[team.project.pk])
    )
    sheet = load_workbook(io.BytesIO(response.content))["Risk register"]
    assert "Dr Ada Example" not in [cell.value for row in sheet.iter_rows() for cell in row]


def test_owners_show_only_to_those_who_may_see_personal_data(team: Team) -> None:
    rows = seeded(team)
    services.risk_update(
        risk=rows[0], owner="Dr Ada Example", bears_who="Sam the peer researcher", status="open"
    )
    detail = reverse("risk_detail", args=[team.project.pk, rows[0].pk])
    for who, sees in (
        ("lead", True),
        ("researcher", True),
        ("partner", False),
        ("observer", False),
    ):
        for url in (register_url(team.project), detail):
            html = team.client_for(who).get(url).content.decode()
            assert ("Dr Ada Example" in html) is sees, (who, url)
            assert ("Sam the peer researcher" in html) is sees, (who, url)


# --- Access ---------------------------------------------------------------------------------------

ROLES = ["lead", "researcher", "partner", "observer", "outsider", "anonymous"]
READERS = {"lead", "researcher", "partner", "observer"}
WRITERS = {"lead", "researcher"}


def _urls(team: Team) -> dict[str, str]:
    risk = seeded(team)[0]
    pk = team.project.pk
    return {
        "risk_list": reverse("risk_list", args=[pk]),
        "risk_detail": reverse("risk_detail", args=[pk, risk.pk]),
        "risk_heat_map": reverse("risk_heat_map", args=[pk]),
        "risk_register_download": reverse("risk_register_download", args=[pk]),
        "risk_create": reverse("risk_create", args=[pk]),
        "risk_accept": reverse("risk_accept", args=[pk, risk.pk]),
        "risk_dismiss": reverse("risk_dismiss", args=[pk, risk.pk]),
    }


READS = ["risk_list", "risk_detail", "risk_heat_map", "risk_register_download"]
WRITES = ["risk_create", "risk_accept", "risk_dismiss", "risk_detail"]


def _expect_refusal(response: Any, who: str) -> None:
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", READS)
@pytest.mark.parametrize("who", ROLES)
def test_who_may_read(team: Team, who: str, name: str) -> None:
    response = team.client_for(who).get(_urls(team)[name])
    if who in READERS:
        assert response.status_code == 200
    else:
        _expect_refusal(response, who)


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("who", ROLES)
def test_who_may_write(team: Team, who: str, name: str) -> None:
    urls = _urls(team)
    history_before = ProjectRisk.history.count()
    response = team.client_for(who).post(urls[name], {"new-challenge": "x"})
    if who in WRITERS:
        # Allowed through; the incomplete form is then answered as a form is.
        assert response.status_code in (302, 400), response.content[:300]
    else:
        _expect_refusal(response, who)
        assert ProjectRisk.history.count() == history_before


@pytest.mark.parametrize("name", ["risk_create", "risk_accept", "risk_dismiss"])
def test_posting_only_urls_refuse_a_get(team: Team, name: str) -> None:
    assert team.client_for("lead").get(_urls(team)[name]).status_code == 405


def test_readers_see_no_forms_on_a_risk(team: Team) -> None:
    risk = seeded(team)[0]
    url = reverse("risk_detail", args=[team.project.pk, risk.pk])
    for who, has_form in (("lead", True), ("partner", False), ("observer", False)):
        html = team.client_for(who).get(url).content.decode()
        assert ('method="post" action="' + url in html) is has_form, who


def test_a_member_without_an_account_in_good_standing_is_refused(team: Team) -> None:
    team.researcher.is_active = False
    team.researcher.save()
    client = Client()
    client.force_login(team.researcher)
    response = client.get(register_url(team.project))
    assert response.status_code in (302, 403)


# --- Speed ----------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["lead", "observer"])
def test_register_queries_do_not_grow_with_the_risks(team: Team, who: str) -> None:
    project = project_services.project_create(user=team.lead, title="Many risks")
    if who != "lead":
        Membership.objects.create(project=project, user=getattr(team, who), role=who)
    client = team.client_for(who)
    add_risks(project, 3)
    url = register_url(project)
    client.get(url)  # a first visit may store proposals
    few = _queries(client, url)
    add_risks(project, 27)
    assert _queries(client, url) == few


def test_seeded_register_queries_do_not_grow_with_the_risks(team: Team) -> None:
    client = team.client_for("lead")
    url = register_url(team.project)
    seeded(team)
    few = _queries(client, url)
    add_risks(team.project, 30)
    assert _queries(client, url) == few


def test_risk_page_queries_do_not_grow_with_its_history_or_the_register(team: Team) -> None:
    risk = seeded(team)[0]
    client = team.client_for("lead")
    url = reverse("risk_detail", args=[team.project.pk, risk.pk])
    few = _queries(client, url)
    for value in range(1, 6):
        services.risk_update(risk=risk, likelihood=value, status="open")
    add_risks(team.project, 20)
    assert _queries(client, url) == few


def test_dashboard_summary_queries_do_not_grow_with_the_risks(team: Team) -> None:
    project = project_services.project_create(user=team.lead, title="Many risks")
    add_risks(project, 3)

    def count() -> int:
        fresh = Project.objects.get(pk=project.pk)
        with CaptureQueriesContext(connection) as captured:
            selectors.dashboard_summary(fresh, dt.date.today())
        return len(captured)

    few = count()
    add_risks(project, 27)
    assert count() == few


# --- The overview's summary and the plan file's risks --------------------------------------------


def test_dashboard_summary(team: Team) -> None:
    rows = seeded(team)
    services.risk_accept(risk=rows[0], likelihood=5, impact=5)
    services.risk_accept(risk=rows[1], likelihood=1, impact=2)
    services.risk_update(risk=rows[2], status="mitigated", likelihood=3, impact=3)
    services.risk_dismiss(risk=rows[3], reason="Not for us.")
    today = dt.date.today()
    summary = selectors.dashboard_summary(Project.objects.get(pk=team.project.pk), today)
    entries = risk_register(core_plan(team.project), default_catalogue())
    assert summary.open_count == sum(1 for e in entries if e.risk.status == "open") >= 2
    assert summary.to_review == sum(1 for e in entries if e.risk.status == "proposed")
    # The highest scores among live risks, in the core's order.
    live = [e for e in entries if e.live and e.rated and e.risk.status != "proposed"]
    assert [risk.challenge for risk in summary.top] == [
        " ".join(e.risk.challenge.split()) for e in live[:3]
    ]
    assert all(risk.owner == "" for risk in summary.top)
    from django.template.loader import render_to_string

    html = render_to_string("risks/_dashboard.html", {"summary": summary, "project": team.project})
    assert "<h2" in html and reverse("risk_list", args=[team.project.pk]) in html


def test_the_plan_files_risks_round_trip_and_replacing_them_leaves_history(team: Team) -> None:
    seeded(team)
    risks = plan_io.to_plan(Project.objects.get(pk=team.project.pk))
    assert risks
    own = Risk(
        challenge="Our own risk",
        cost_types=["professional"],
        bears=["researchers"],
        likelihood=2,
        impact=3,
        status="accepted",
        reason="We will live with it.",
        review=dt.date(2027, 6, 1),
        owner="Dr Ada Example",
    )
    old_ids = set(ProjectRisk.objects.filter(project=team.project).values_list("id", flat=True))
    plan_io.replace_from_plan(team.project, [*risks[:3], own])
    after = plan_io.to_plan(Project.objects.get(pk=team.project.pk))
    assert after == [*risks[:3], own]
    deleted = ProjectRisk.history.filter(id__in=old_ids, history_type="-").count()
    assert deleted == len(old_ids)


def test_a_change_to_a_risk_moves_the_projects_version(team: Team) -> None:
    rows = seeded(team)
    before = Project.objects.get(pk=team.project.pk).version
    services.risk_accept(risk=rows[0])
    after_save = Project.objects.get(pk=team.project.pk).version
    assert after_save > before
    rows[0].delete()
    assert Project.objects.get(pk=team.project.pk).version > after_save


def test_the_admin_lists_risks_and_its_forms_ask_the_core(team: Team) -> None:
    from django.core.exceptions import ValidationError

    rows = seeded(team)
    team.lead.is_staff = team.lead.is_superuser = True
    team.lead.save()
    client = team.client_for("lead")
    response = client.get(reverse("admin:risks_projectrisk_changelist"))
    assert response.status_code == 200
    history = client.get(reverse("admin:risks_projectrisk_history", args=[rows[0].pk]))
    assert history.status_code == 200
    risk = ProjectRisk(project=team.project, challenge="x", status="dismissed")
    with pytest.raises(ValidationError):
        risk.full_clean()
    risk.reason = "Not for us."
    risk.full_clean()

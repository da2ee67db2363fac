"""A lead reviews the risks Coprod proposes, adds one of their own, and sees the register change.

Every action on a control is a key press, as in the decision aid's test: Tab and Shift+Tab to
move, arrow keys on a select, Space on a checkbox, Enter on a button, link or summary. What the
pages should show is never written here: it is what the core computes from the database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import CostType
from coprod.core.risks import IMPACT_WORDS, LIKELIHOOD_WORDS, heat_map, risk_register
from coprod.formats.risk_reports import heat_map_description
from coprod.web.projects.models import Project
from coprod.web.projects.plan_mapping import plan_from_project
from coprod.web.projects.selectors import plan_load
from coprod.web.risks import plan_io
from coprod.web.risks.models import ProjectRisk
from tests.browser.conftest import assert_accessible, has_focus, press, sign_in, tab_to
from tests.web.conftest import PASSWORD, make_team

OWN_RISK = "Our one peer researcher carries most of the meetings and burns out."


def core_entries(project_pk: int) -> list[Any]:
    project = plan_load(project=Project.objects.get(pk=project_pk))
    plan = plan_from_project(project).model_copy(update={"risks": plan_io.to_plan(project)})
    return risk_register(plan, default_catalogue())


def choose(page: Any, select: Any, value: int) -> None:
    """Move to a rating select and pick a rating with the arrow keys (from "Not rated yet")."""
    tab_to(page, select)
    press(page, *["ArrowDown"] * value)
    expect(select).to_have_value(str(value))


@pytest.mark.django_db(transaction=True)
def test_a_lead_reviews_the_proposed_risks_and_adds_one_of_their_own(
    live_server: Any, page: Any
) -> None:
    team = make_team()
    project = team.project
    base = live_server.url
    register = f"{base}/projects/{project.pk}/risks/"
    sign_in(page, base, "lead", PASSWORD)

    # --- The register opens with the risks Coprod proposes for the plan's stages and levels.
    page.goto(register)
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    assert_accessible(page)
    proposals = page.get_by_role("region", name=re.compile(r"^Risks to review"))
    cards = proposals.get_by_role("article")
    stored = ProjectRisk.objects.filter(project=project)
    proposed = stored.filter(status="proposed")
    assert proposed.count() > 2
    expect(cards).to_have_count(proposed.count())

    # --- Accept the first with ratings, chosen with the keyboard.
    first = cards.first
    first_title = first.get_by_role("heading", level=3).inner_text()
    first_id = first.get_attribute("id")
    choose(page, first.get_by_label("Likelihood"), 4)
    choose(page, first.get_by_label("Impact"), 3)
    tab_to(page, first.get_by_role("button", name="Accept"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/risks/#proposals$"))
    expect(page.get_by_role("status").first).to_contain_text("Accepted into the register")
    assert_accessible(page)
    accepted = stored.get(pk=int((first_id or "").removeprefix("proposal-")))
    assert (accepted.status, accepted.likelihood, accepted.impact) == ("open", 4, 3)
    expect(cards).to_have_count(proposed.count())

    # --- Dismiss the next one; first without a reason, which is refused beside the field.
    second = cards.first
    second_title = second.get_by_role("heading", level=3).inner_text()
    second_pk = int((second.get_attribute("id") or "").removeprefix("proposal-"))
    tab_to(page, second.locator("summary"))
    page.keyboard.press("Enter")  # opens the dismissal form
    tab_to(page, second.get_by_role("button", name="Dismiss with this reason"))
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert).to_contain_text("Say why your team dismisses this risk")
    assert_accessible(page)
    assert ProjectRisk.objects.get(pk=second_pk).status == "proposed"
    # The summary's link leads to the reason, in a form left open.
    tab_to(page, alert.get_by_role("link"))
    page.keyboard.press("Enter")
    reason_field = page.locator(f"#id_dismiss-{second_pk}-reason")
    assert has_focus(reason_field), "the summary's link leads to the field"
    reason = "The people on our group already meet every week and speak for themselves."
    page.keyboard.type(reason)
    card = page.locator(f"#proposal-{second_pk}")
    tab_to(page, card.get_by_role("button", name="Dismiss with this reason"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/risks/#proposals$"))
    expect(page.get_by_role("status").first).to_contain_text("Dismissed")
    assert_accessible(page)
    dismissed = ProjectRisk.objects.get(pk=second_pk)
    assert (dismissed.status, dismissed.reason) == ("dismissed", reason)

    # --- Add a risk of their own, reached from the page's contents (above, so Shift+Tab).
    tab_to(page, page.get_by_role("link", name="Add a risk of your own"), backwards=True)
    page.keyboard.press("Enter")
    add = page.get_by_role("region", name="Add a risk of your own")
    tab_to(page, add.get_by_label("The risk"))
    page.keyboard.type(OWN_RISK)
    personal = default_catalogue().cost_types[CostType.PERSONAL].label
    tab_to(page, add.get_by_role("checkbox", name=personal))
    page.keyboard.press("Space")
    expect(add.get_by_role("checkbox", name=personal)).to_be_checked()
    tab_to(page, add.get_by_role("checkbox", name="Researchers", exact=True))
    page.keyboard.press("Space")
    choose(page, add.get_by_label("Likelihood"), 5)
    choose(page, add.get_by_label("Impact"), 4)
    tab_to(page, add.get_by_label("Owner"))
    page.keyboard.type("Dr Ada Example")
    tab_to(page, add.get_by_role("button", name="Add this risk"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/risks/#risk-\d+$"))
    expect(page.get_by_role("status").first).to_contain_text("Risk added")
    assert_accessible(page)
    own = ProjectRisk.objects.get(challenge=OWN_RISK)
    assert (own.likelihood, own.impact, own.cost_types) == (5, 4, [CostType.PERSONAL.value])

    # --- The register lists every risk taken up, in the core's order, the new ones among them.
    table = page.get_by_role("region", name="The register").get_by_role("table")
    entries = core_entries(project.pk)
    rows = {row.pk: row for row in stored}
    shown = [
        int(row_id.removeprefix("risk-"))
        for row_id in table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    ]
    assert [plan_io.risk_of(rows[pk]) for pk in shown] == [
        e.risk for e in entries if e.risk.status != "proposed"
    ]
    assert {own.pk, accepted.pk, dismissed.pk} <= set(shown)
    own_row = table.locator(f"#risk-{own.pk}")
    expect(own_row).to_contain_text(OWN_RISK)
    expect(own_row).to_contain_text(f"5 – {LIKELIHOOD_WORDS[5]}")
    expect(own_row).to_contain_text(f"4 – {IMPACT_WORDS[4]}")
    expect(own_row).to_contain_text("Dr Ada Example")
    expect(own_row).to_contain_text(personal)
    expect(table.locator(f"#risk-{accepted.pk}")).to_contain_text(first_title)
    expect(table.locator(f"#risk-{dismissed.pk}")).to_contain_text(second_title)

    # --- The heat map shows both rated risks, as an image and as a table.
    heat = page.get_by_role("region", name="Heat map")
    image = heat.get_by_role("img")
    expect(image).to_have_attribute("alt", heat_map_description(entries))
    # The image loads (drawing it may take a moment the first time).
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    counts = heat_map(entries)
    heat_table = heat.get_by_role("table")
    for likelihood, impact in ((5, 4), (4, 3)):
        row = heat_table.get_by_role("row", name=re.compile(f"^{likelihood} – "))
        cell = row.get_by_role("cell").nth(impact - 1)
        expect(cell).to_have_text(str(counts[likelihood - 1][impact - 1]))
        assert counts[likelihood - 1][impact - 1] >= 1  # the two risks rated here count

    # --- The risk's own page shows what changed, who changed it, and when.
    tab_to(page, table.get_by_role("link", name=first_title))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/risks/{accepted.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first_title)
    assert_accessible(page)
    history = page.get_by_role("region", name="History")
    change = history.get_by_role("article").first
    expect(change).to_contain_text("by Lead")
    expect(change.get_by_role("row", name=re.compile("^Likelihood"))).to_contain_text(
        f"4 – {LIKELIHOOD_WORDS[4]}"
    )
    expect(change.get_by_role("row", name=re.compile("^Impact"))).to_contain_text(
        f"3 – {IMPACT_WORDS[3]}"
    )


@pytest.mark.django_db(transaction=True)
def test_an_observer_reads_the_register_without_names_or_forms(live_server: Any, page: Any) -> None:
    team = make_team()
    project = team.project
    base = live_server.url
    # The team has taken up one risk, with an owner.
    sign_in(page, base, "lead", PASSWORD)
    page.goto(f"{base}/projects/{project.pk}/risks/")
    risk = ProjectRisk.objects.filter(project=project, status="proposed").first()
    assert risk is not None
    risk.status, risk.owner, risk.likelihood, risk.impact = "open", "Dr Ada Example", 2, 2
    risk.save()
    page.context.clear_cookies()

    sign_in(page, base, "observer", PASSWORD)
    page.goto(f"{base}/projects/{project.pk}/risks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    expect(page.get_by_role("region", name="Add a risk of your own")).to_have_count(0)
    assert "Dr Ada Example" not in page.content()
    table = page.get_by_role("region", name="The register").get_by_role("table")
    taken = ProjectRisk.objects.filter(project=project).exclude(status="proposed")
    expect(table.locator("tbody tr")).to_have_count(taken.count())
    expect(table.locator(f"#risk-{risk.pk}")).to_contain_text("Only the team sees names")
    tab_to(page, table.locator(f"#risk-{risk.pk}").get_by_role("link"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/risks/{risk.pk}/")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
    assert "Dr Ada Example" not in page.content()

"""A lead costs the involvement: adds a person, logs their time with the keyboard, and sees the
budget against actuals and who bears the time, chart and table. Every page passes axe.

Every action on a control is a key press, except the date, which is filled: what a date field
takes from the keyboard depends on the browser's locale. The expected figures are never written
here: they are what the core computes for the rows the browser left in the database.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.core import costs as core
from coprod.formats.budget_reports import money_text
from coprod.formats.plan_file import load_plan
from coprod.web.costs import plan_io, selectors
from coprod.web.costs.charts import percent
from coprod.web.costs.models import TeamMember, TimeLog
from tests.browser.conftest import assert_accessible, has_focus, sign_in, tab_to
from tests.web.conftest import EXAMPLE, PASSWORD, make_team


def costs_link(page: Any, name: str) -> Any:
    return page.get_by_role("navigation", name="Costs and burden").get_by_role("link", name=name)


@pytest.mark.django_db(transaction=True)
def test_a_lead_logs_time_and_sees_budget_against_actuals_and_the_burden(
    live_server: Any, page: Any
) -> None:
    team = make_team()
    project = team.project
    plan_io.replace_from_plan(project, load_plan(EXAMPLE).plan.costs)
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)

    # --- The budget: the total is the core's.
    page.goto(f"{base}/projects/{project.pk}/costs/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Involvement budget")
    planned = core.budget(plan_io.to_plan(project), selectors.project_catalogue(project=project))
    expect(page.locator("[data-total]")).to_have_text(money_text(planned.total, planned.currency))

    # --- Add a person to the team with the keyboard.
    tab_to(page, costs_link(page, "Team"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/costs/team/")
    assert_accessible(page)
    add = page.get_by_role("region", name="Add someone")
    tab_to(page, add.get_by_label("Name"))
    page.keyboard.type("Sam Fellow")
    stage = add.get_by_label("Career stage")
    tab_to(page, stage)
    page.keyboard.press("ArrowDown")  # "Not recorded", then the first stage
    page.keyboard.press("ArrowDown")
    expect(stage).to_have_value(core.CAREER_STAGES[1])
    contract = add.get_by_label("Contract")
    tab_to(page, contract)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(contract).to_have_value(core.CONTRACTS[1])
    tab_to(page, page.get_by_role("button", name="Add to the team"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/costs/team/#member-\d+$"))
    expect(page.get_by_role("row", name=re.compile("Sam Fellow"))).to_be_visible()
    assert_accessible(page)
    person = TeamMember.objects.get(project=project, name="Sam Fellow")
    assert (person.career_stage, person.contract) == (core.CAREER_STAGES[1], core.CONTRACTS[1])

    # --- Log time; first without an activity, to see the error beside the field.
    tab_to(page, costs_link(page, "Time and spending"), backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/costs/actuals/")
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="Log this time"))
    who = form.get_by_label("Who")
    tab_to(page, who)
    expect(who).to_have_value(str(person.pk))  # the only person in the team
    form.get_by_label("Date").fill("2026-06-01")
    tab_to(page, form.get_by_label("Hours"))
    page.keyboard.type("3.5")
    tab_to(page, page.get_by_role("button", name="Log this time"))
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert).to_contain_text("Activity")
    assert_accessible(page)
    assert not TimeLog.objects.exists()
    tab_to(page, alert.get_by_role("link"))
    page.keyboard.press("Enter")
    form = page.locator("form", has=page.get_by_role("button", name="Log this time"))
    assert has_focus(form.get_by_label("Activity")), "the summary's link leads to the field"
    page.keyboard.type("Ran the advisory group")
    expect(form.get_by_label("Hours")).to_have_value("3.5")  # what was typed is kept
    tab_to(page, page.get_by_role("button", name="Log this time"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/costs/actuals/#time-heading$"))
    expect(page.get_by_role("status").first).to_contain_text("Time logged")
    assert_accessible(page)
    log = TimeLog.objects.get()
    assert (log.person_id, log.hours, log.date) == (
        person.pk,
        Decimal("3.50"),
        dt.date(2026, 6, 1),
    )

    # --- Budget against actuals: the core's figures for what is in the database.
    view = selectors.actuals_view(project=project)
    assert view.comparison is not None
    for row in view.comparison.kinds:
        shown = page.locator(f'tr[data-kind="{row.kind}"]')
        expect(shown.locator("[data-spent]")).to_have_text(money_text(row.spent, "GBP"))
        hours = format(row.logged_hours.normalize(), "f")
        expect(shown.locator("[data-hours]")).to_have_text(hours)
    expect(page.get_by_role("row", name=re.compile("Sam Fellow"))).to_contain_text("3.5")

    # --- Who bears the time: the chart and the same numbers in a table.
    tab_to(page, costs_link(page, "Who bears the time"), backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/costs/burden/")
    assert_accessible(page)
    section = page.get_by_role("region", name="By career stage")
    chart = section.get_by_role("img")
    expect(chart).to_have_attribute("alt", re.compile("Bar chart of each group's share"))
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the chart loads"
    shares = core.burden_shares(
        [selectors.core_person(m) for m in TeamMember.objects.filter(project=project)],
        [selectors.core_time_log(r) for r in TimeLog.objects.all()],
        "career_stage",
        viewer_is_lead=True,
    )
    for share in shares:
        row = section.locator(f'tr[data-group="{share.key}"]')
        expect(row).to_contain_text(f"{percent(share.hours_share)}%")
        expect(row).to_contain_text(str(share.people))

    # --- The other costs pages pass axe too.
    for name in ("Rate cards", "Import a spreadsheet", "Budget"):
        tab_to(page, costs_link(page, name), backwards=True)
        page.keyboard.press("Enter")
        expect(costs_link(page, name)).to_have_attribute("aria-current", "page")
        assert_accessible(page)

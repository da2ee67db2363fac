"""A partner says something to the team, the lead decides what becomes of it and marks them told,
and the partner sees what was done and why. Every ledger page passes axe.

Every action on a control is a key press, except the dates, which the forms fill in themselves
(what a date field takes from the keyboard depends on the browser's locale).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.web.ledger import selectors
from coprod.web.ledger.models import Contribution
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.web.conftest import PASSWORD, make_team

SAID = "Please send the papers a week before the meeting, in large print."
REASON = "Papers now go out seven days ahead, in 16 point."


def ledger_link(page: Any, name: str) -> Any:
    return page.get_by_role("navigation", name="Contribution ledger").get_by_role("link", name=name)


@pytest.mark.django_db(transaction=True)
def test_a_partner_is_heard_and_sees_what_was_done(live_server: Any, page: Any) -> None:
    team = make_team()
    project = team.project
    base = live_server.url
    ledger = f"{base}/projects/{project.pk}/ledger/"

    # --- The partner says something, with the keyboard alone.
    sign_in(page, base, "partner", PASSWORD)
    page.goto(ledger)
    assert_accessible(page)
    tab_to(page, ledger_link(page, "Say something"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{ledger}submit/")
    assert_accessible(page)
    tab_to(page, page.get_by_label("What would you like to say?"))
    page.keyboard.type(SAID)
    tab_to(page, page.get_by_label("Idea"))
    page.keyboard.press("ArrowDown")  # Idea → Question
    page.keyboard.press("ArrowDown")  # → Concern
    expect(page.get_by_label("Concern")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Send it to the team"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{ledger}mine/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name=re.compile("Still being considered"))).to_be_visible()
    contribution = Contribution.objects.get(text=SAID)
    assert contribution.kind == "concern"
    assert contribution.stakeholder is not None
    assert contribution.stakeholder.user_id == team.partner.pk

    # --- The lead decides what became of it and marks the partner told.
    page.context.clear_cookies()
    sign_in(page, base, "lead", PASSWORD)
    page.goto(ledger)
    assert_accessible(page)
    row = page.locator(f"#contribution-{contribution.pk}")
    expect(row).to_contain_text(SAID)
    expect(row).to_contain_text(contribution.stakeholder.name)
    tab_to(page, row.get_by_role("link", name=re.compile("^Decide")))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{ledger}{contribution.pk}/dispose/")
    assert_accessible(page)
    # First without a reason: the error is named beside the field, and nothing is saved.
    # The radios open on the current answer, "still being considered", the last; the arrow
    # moves on to the first, "adopted", and chooses it.
    tab_to(page, page.get_by_label("Still being considered"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Adopted", exact=True)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Save"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Why"))
    page.keyboard.type(REASON)
    tab_to(page, page.get_by_label("The decision or output it changed"))
    page.keyboard.type("Meeting ground rules")
    tab_to(page, page.get_by_role("button", name="Save"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/ledger/#contribution-{contribution.pk}$"))
    expect(row).to_contain_text("Adopted")
    tab_to(page, page.get_by_label(re.compile("^Mark as told: Please send")))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Mark as told"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 contributor marked as told")
    contribution.refresh_from_db()
    assert contribution.disposition == "adopted" and contribution.told_on is not None
    assert_accessible(page)
    # The lead's other pages pass axe too.
    for address in (
        f"{ledger}record/",
        f"{ledger}settings/",
        f"{ledger}report/",
        f"{ledger}{contribution.pk}/",
        f"{ledger}people/{contribution.stakeholder_id}/",
        f"{ledger}?overdue=on",
    ):
        page.goto(address)
        assert_accessible(page)

    # --- The partner sees what was done, and why.
    page.context.clear_cookies()
    sign_in(page, base, "partner", PASSWORD)
    page.goto(f"{ledger}mine/")
    assert_accessible(page)
    done = page.get_by_role("region", name=re.compile("What we did with it"))
    expect(done).to_contain_text(SAID)
    expect(done).to_contain_text(REASON)
    expect(done).to_contain_text("Meeting ground rules")
    report = selectors.own_report(project, user=team.partner, name="x", today=contribution.made_on)
    expect(page.locator("[data-summary]")).to_have_text(report.summary)


@pytest.mark.django_db(transaction=True)
def test_the_observer_reads_the_ledger_without_names(live_server: Any, page: Any) -> None:
    from coprod.web.ledger.demo import demo_ledger

    team = make_team()
    demo_ledger(team.project)
    base = live_server.url
    sign_in(page, base, "observer", PASSWORD)
    for address in ("ledger/", "ledger/report/"):
        page.goto(f"{base}/projects/{team.project.pk}/{address}")
        assert_accessible(page)
        for person in team.project.stakeholders.all():
            expect(page.locator("main")).not_to_contain_text(person.name)

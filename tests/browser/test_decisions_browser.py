"""A lead records a decision taken by vote with the keyboard alone, first with counts that do not
fit who took part (the core's message beside the field, nothing saved), then whole; a partner reads
it without anyone's name. Every page of the app passes axe.

Every action on a control is a key press (Tab to move, arrow keys in a radio group, Space on a
checkbox, Enter on a button or link), except dates, which are filled: what a date field takes
from the keyboard depends on the browser's locale.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.core import decisions as core
from coprod.core.ids import DecisionRule
from coprod.web.decisions import services
from coprod.web.decisions.models import Decision
from coprod.web.ledger.models import Contribution
from tests.browser.conftest import assert_accessible, has_focus, press, sign_in, tab_to
from tests.web.conftest import PASSWORD, make_team


def decisions_link(page: Any, name: str) -> Any:
    nav = page.get_by_role("navigation", name="Decisions and agreements")
    return nav.get_by_role("link", name=name)


def tick(page: Any, box: Any) -> None:
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


@pytest.mark.django_db(transaction=True)
def test_a_lead_records_a_vote_with_the_keyboard_and_a_partner_reads_it(
    live_server: Any, page: Any, browser: Any
) -> None:
    team = make_team()
    project = team.project
    own = project.stakeholders.get(user=team.partner)
    others = list(project.stakeholders.exclude(pk=own.pk).order_by("position"))
    contribution = Contribution.objects.create(
        project=project,
        stakeholder=own,
        group=own.group,
        submitted_by=team.partner,
        made_on=dt.date(2026, 5, 2),
        kind="concern",
        text="Afternoon meetings are hard for carers.",
    )
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)

    # --- The log, empty; then the form.
    page.goto(f"{base}/projects/{project.pk}/decisions/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision log")
    tab_to(page, page.get_by_role("link", name="Record a decision"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/decisions/new/")
    assert_accessible(page)

    tab_to(page, page.get_by_label("What was decided"))
    page.keyboard.type("Hold the advisory group in the morning.")
    page.get_by_label("Date").fill("2026-09-01")
    consensus = page.get_by_role("radio", name="By consensus")
    tab_to(page, consensus)
    page.keyboard.press("Space")
    press(page, "ArrowDown")  # the next choice of the group: by vote
    expect(page.get_by_role("radio", name="By vote")).to_be_checked()
    tab_to(page, page.get_by_label("Votes for"))
    page.keyboard.type("3")
    tab_to(page, page.get_by_label("Votes against"))
    page.keyboard.type("1")
    took_part = page.get_by_role("group", name=re.compile("Who took part"))
    tick(page, took_part.get_by_label(re.compile(re.escape(own.name))))
    tick(page, took_part.get_by_label(re.compile(re.escape(others[0].name))))
    disagreed = page.get_by_role("group", name=re.compile("Of those, who disagreed"))
    tick(page, disagreed.get_by_label(re.compile(re.escape(own.name))))
    tick(page, page.get_by_role("checkbox", name=re.compile("Afternoon meetings")))
    tab_to(page, page.get_by_label("Dissent"))
    page.keyboard.type("Mornings suit fewer people in work.")
    tab_to(page, page.get_by_role("button", name="Record the decision"))
    page.keyboard.press("Enter")

    # Four votes, two people: the core's message, beside the field; nothing saved.
    alert = page.get_by_role("alert")
    _field, message = core.decision_problems(
        method=DecisionRule.VOTE, votes_for=3, votes_against=1, participants=2, what="x"
    )[0]
    expect(alert).to_contain_text(message)
    assert_accessible(page)
    assert not Decision.objects.exists()
    tab_to(page, alert.get_by_role("link"))
    page.keyboard.press("Enter")
    assert has_focus(page.get_by_label("Votes for")), "the summary's link leads to the field"
    expect(page.get_by_label("Dissent")).to_have_value("Mornings suit fewer people in work.")

    # Two others took part: now the counts fit.
    tab_to(page, page.get_by_label("Others who took part"))
    page.keyboard.type("Two members of the advisory group")
    tab_to(page, page.get_by_label("How many others took part"))
    page.keyboard.type("2")
    tab_to(page, page.get_by_role("button", name="Record the decision"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/decisions/\d+/(#.*)?$"))
    expect(page.get_by_role("status").first).to_contain_text("Decision recorded")
    assert_accessible(page)
    decision = Decision.objects.get()
    assert (decision.method, decision.votes_for, decision.votes_against) == ("vote", 3, 1)
    assert {(p.stakeholder_id, p.dissented) for p in decision.participants.all()} == {
        (own.pk, True),
        (others[0].pk, False),
    }
    assert [a.contribution_id for a in decision.answers.all()] == [contribution.pk]
    expect(page.get_by_text("3 for, 1 against (carried)")).to_be_visible()

    # --- The other pages of the app pass axe too.
    tab_to(page, page.get_by_role("link", name="Change this decision"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/edit/$"))
    assert_accessible(page)
    services.publication_right_create(
        project=project, output="Final report", who="The research team", review_window_days=28
    )
    for name in ("Who may publish what", "Terms of reference", "Decision log"):
        tab_to(page, decisions_link(page, name), backwards=True)
        page.keyboard.press("Enter")
        expect(decisions_link(page, name)).to_have_attribute("aria-current", "page")
        assert_accessible(page)
    page.goto(f"{base}/projects/{project.pk}/decisions/agreement/")
    tab_to(page, page.get_by_role("link", name=re.compile("Change Final report")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/agreement/lines/\d+/$"))
    assert_accessible(page)
    page.goto(f"{base}/projects/{project.pk}/decisions/terms/{own.pk}/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Save the terms"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/decisions/terms/#person-\d+$"))
    assert_accessible(page)

    # --- The partner reads the decision: how many took part from each group, no names.
    context = browser.new_context()
    partner = context.new_page()
    partner.set_default_timeout(10_000)
    sign_in(partner, base, "partner", PASSWORD)
    partner.goto(f"{base}/projects/{project.pk}/decisions/{decision.pk}/")
    assert_accessible(partner)
    expect(partner.get_by_text("You took part, and disagreed.")).to_be_visible()
    expect(partner.get_by_text("2 others")).to_be_visible()
    assert others[0].name not in partner.content()
    assert "Two members of the advisory group" not in partner.content()
    for path in ("", "agreement/", "terms/"):
        partner.goto(f"{base}/projects/{project.pk}/decisions/{path}")
        assert_accessible(partner)
    context.close()

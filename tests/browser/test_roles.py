"""What partners and observers see in the browser, and that those pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.web.conftest import PASSWORD, Team, make_team


def other_names(team: Team) -> list[str]:
    """The names of everyone in the plan except the partner themself."""
    names = [s.name for s in team.project.stakeholders.exclude(user=team.partner)]
    assert names, "the example plan names other people"
    return names


def names_shown(page: Any, team: Team) -> list[str]:
    html = page.content()
    return [name for name in other_names(team) if name in html]


def assert_no_other_names(page: Any, team: Team) -> None:
    shown = names_shown(page, team)
    assert shown == [], f"{page.url} shows other people's names to the partner: {shown}"


@pytest.mark.django_db(transaction=True)
def test_a_partner_sees_their_own_place_and_no_one_elses_name(live_server: Any, page: Any) -> None:
    team = make_team()
    base = live_server.url
    own = team.project.stakeholders.get(user=team.partner)
    sign_in(page, base, "partner", PASSWORD)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name=team.project.title))
    page.keyboard.press("Enter")
    # A partner who is in the plan opens the project on their own view.
    page.wait_for_url(f"{base}/projects/{team.project.pk}/partner/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(team.project.title)
    yours = page.get_by_role("region", name="Your part")
    expect(yours).to_contain_text(f"Your role: {own.role}")
    expect(yours).to_contain_text(f"What you bring: {own.brings}")
    assert_no_other_names(page, team)
    # Others appear only as a count by group.
    expect(page.get_by_role("region", name="Others taking part")).to_contain_text(
        "does not show other people's names"
    )
    # The partner cannot reach the decision aid from the project menu.
    menu = page.get_by_role("navigation", name="Project")
    expect(menu.get_by_role("link", name="Decision aid")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_no_page_in_the_partners_menu_shows_another_persons_name(
    live_server: Any, page: Any
) -> None:
    team = make_team()
    base = live_server.url
    sign_in(page, base, "partner", PASSWORD)
    page.goto(f"{base}/projects/{team.project.pk}/partner/")
    menu = page.get_by_role("navigation", name="Project")
    labels = [text.strip() for text in menu.get_by_role("link").all_inner_texts()]
    leaks = {}
    for label in labels[1:]:  # the first link is the project's title, to the overview
        tab_to(page, page.get_by_role("navigation", name="Project").get_by_role("link", name=label))
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        if shown := names_shown(page, team):
            leaks[page.url.removeprefix(base)] = shown
    assert leaks == {}, f"pages that show other people's names to a partner: {leaks}"


@pytest.mark.django_db(transaction=True)
def test_an_observer_is_refused_the_decision_aid(live_server: Any, page: Any) -> None:
    team = make_team()
    base = live_server.url
    sign_in(page, base, "observer", PASSWORD)
    tab_to(page, page.get_by_role("link", name=team.project.title))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{team.project.pk}/")
    assert_accessible(page)
    menu = page.get_by_role("navigation", name="Project")
    expect(menu.get_by_role("link", name="Decision aid")).to_have_count(0)
    for step in ("aims", "context", "alternatives", "stages", "review"):
        response = page.goto(f"{base}/projects/{team.project.pk}/aid/{step}/")
        assert response is not None and response.status == 403, step
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Your role does not allow this"
        )
        assert_accessible(page)

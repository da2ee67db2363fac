"""A person signs in with the keyboard and sees their projects; the pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_problems
from tests.web.conftest import PASSWORD, make_team


@pytest.mark.django_db(transaction=True)
def test_sign_in_with_the_keyboard_and_open_the_overview(live_server: Any, page: Any) -> None:
    team = make_team()
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_problems(page) == []
    # The user name field has the focus when the page opens.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("lead")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/projects/")
    assert axe_problems(page) == []
    page.keyboard.press("Tab")  # the skip link comes first, to jump past the menus
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("link", name=team.project.title).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/projects/{team.project.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == team.project.title
    assert axe_problems(page) == []

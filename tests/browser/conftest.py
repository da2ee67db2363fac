"""Browser tests: Playwright drives Debian's Chromium against a live server.

Never `playwright install`: it downloads a browser. Where /usr/bin/chromium is missing the tests
are skipped, except in CI (COPROD_REQUIRE_BROWSER=1), where that is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Playwright runs its own event loop in the test thread; Django's ORM refuses that by default.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not os.environ.get("COPROD_REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason="Chromium is not installed here"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def axe_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the current page, described."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]


# --- Helpers for the tests: pages pass axe, and everything is done with the keyboard --------------


def assert_accessible(page: Any) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    problems = axe_problems(page)
    assert problems == [], f"axe on {page.url}: {problems}"


def has_focus(locator: Any) -> bool:
    """Whether the focus is on the element, or inside it (a radio in a fieldset, say)."""
    return bool(locator.evaluate("el => el.contains(document.activeElement)"))


def tab_to(page: Any, locator: Any, *, backwards: bool = False, limit: int = 150) -> int:
    """Press Tab (or Shift+Tab) until the focus reaches the element; the number of presses.

    This walks the page as a keyboard user does, so it also proves the element can be reached.
    """
    key = "Shift+Tab" if backwards else "Tab"
    target = locator.element_handle()  # one element; Tab does not leave the page
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if target.evaluate("el => el.contains(document.activeElement)"):
            return presses
    active = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{key} × {limit} never reached {locator}; the focus is on {active}")


def press(page: Any, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def wait_for_htmx(page: Any) -> None:
    """Until no htmx request is in flight (htmx marks the requesting element while it waits)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in with the keyboard alone; the user lands on their projects."""
    page.goto(f"{base_url}/accounts/login/")
    assert_accessible(page)
    # The user name field has the focus when the page opens.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/projects/")


@pytest.fixture(autouse=True)
def _quick_failures(request: Any) -> None:
    """Fail in seconds, not Playwright's default 30, when a page does not do what we expect."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(10_000)

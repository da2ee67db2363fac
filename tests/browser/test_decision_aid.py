"""A new user walks the decision aid with the keyboard alone, and answers save as they go.

Every action on a control is a key press: Tab and Shift+Tab to move, arrow keys and Space for
radios, checkboxes and selects, Enter on a button or link. Text is typed. The expected result is
never written here: it is what the core computes for the plan the browser left in the database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.core.assess import assess
from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Criterion, Emphasis, Stage
from coprod.formats.assessment_report import EMPHASIS_WORDS
from coprod.web.projects import selectors
from coprod.web.projects.forms_aid import ANSWER_LABELS
from coprod.web.projects.models import Project
from tests.browser.conftest import (
    assert_accessible,
    has_focus,
    press,
    sign_in,
    tab_to,
    wait_for_htmx,
)
from tests.web.conftest import PASSWORD, make_team, make_user

# The answers in the order the radios show them; a new project starts at "We don't know yet".
ANSWERS = list(ANSWER_LABELS)
UNKNOWN = ANSWERS.index("unknown")

# Seven of the nine questions, and the arrow keys pressed in each (radios wrap around).
KEYS: dict[Criterion, list[str]] = {
    Criterion.CONTESTATION: ["ArrowUp"],
    Criterion.CONFLICTS_OF_INTEREST: ["ArrowUp", "ArrowUp"],
    Criterion.DIRECT_USE: ["ArrowUp"],
    Criterion.FUNDER_VALUES: ["ArrowUp", "ArrowUp", "ArrowUp"],
    Criterion.DEFINITION: ["ArrowDown"],
    Criterion.PURPOSE: ["ArrowUp", "ArrowUp"],
    Criterion.COOPERATION: ["ArrowDown", "ArrowDown"],
}


def answer_after(keys: list[str], start: int = UNKNOWN) -> str:
    """The answer a radio group holds after these arrow keys, from the given one."""
    step = sum(1 if key in ("ArrowDown", "ArrowRight") else -1 for key in keys)
    return ANSWERS[(start + step) % len(ANSWERS)]


def plan_result(project_pk: int, user: Any) -> Any:
    project = selectors.project_get(user=user, pk=project_pk, with_plan=True)
    return assess(selectors.project_plan(project=project), default_catalogue())


@pytest.mark.django_db(transaction=True)
def test_a_new_user_completes_the_decision_aid_with_the_keyboard(
    live_server: Any, page: Any
) -> None:
    base = live_server.url
    user = make_user("newcomer")
    catalogue = default_catalogue()
    sign_in(page, base, "newcomer", PASSWORD)
    assert_accessible(page)

    # --- Create a project; first with no title, to see the error beside the field.
    tab_to(page, page.get_by_role("link", name="Start a new project"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/new/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Create the project"))
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("Project title")
    assert_accessible(page)
    assert not Project.objects.exists()
    # The error summary links to the field.
    tab_to(page, alert.get_by_role("link"))
    page.keyboard.press("Enter")
    assert has_focus(page.get_by_label("Project title")), "the summary's link leads to the field"
    page.keyboard.type("Walking groups for carers")
    page.keyboard.press("Tab")
    page.keyboard.type("Do walking groups help unpaid carers stay well?")
    tab_to(page, page.get_by_role("button", name="Create the project"))
    page.keyboard.press("Enter")
    # The form posts to its own URL; a fragment from the summary's link carries over the redirect.
    page.wait_for_url(re.compile(r"/projects/\d+/aid/aims/(#.*)?$"))
    project = Project.objects.get()
    assert project.title == "Walking groups for carers"
    expect(page.get_by_role("status").first).to_contain_text("Project created")
    assert_accessible(page)

    # --- Step 1 of 5: an aim, what must change, and for whom.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 1 of 5")
    motivation = page.get_by_label("Why involve people")
    tab_to(page, motivation)
    page.keyboard.press("ArrowDown")  # the first reason after "Choose one"
    first_motivation = next(iter(catalogue.motivations.values()))
    expect(motivation).to_have_value(first_motivation.id.value)
    page.keyboard.press("Tab")
    assert has_focus(page.get_by_label("What must change if this aim is met"))
    outcome = "Carers tell us which outcomes matter to them before we choose the measures."
    page.keyboard.type(outcome)
    first_group = next(iter(catalogue.groups.values()))
    tab_to(page, page.get_by_role("checkbox", name=first_group.label))
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=first_group.label)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Add this aim"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/aid/aims/#aim-*")
    expect(page.get_by_role("heading", name=f"Aim 1: {first_motivation.label}")).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    # --- Step 2 of 5: the context. Seven answers, each saved as it changes.
    page.wait_for_url(f"{base}/projects/{project.pk}/aid/context/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 2 of 5")
    assert_accessible(page)
    for criterion, keys in KEYS.items():
        card = page.locator(f"#criterion-{criterion.value}")
        tab_to(page, card.locator("fieldset"))
        press(page, *keys)
        expect(card.get_by_role("radio", checked=True)).to_have_value(answer_after(keys))
        expect(card.get_by_role("status")).to_contain_text("Saved at")
        wait_for_htmx(page)
    project.refresh_from_db()
    for criterion, keys in KEYS.items():
        assert getattr(project, criterion.value) == answer_after(keys), criterion

    # A weight with no reason: the autosave refuses it, and so does the full form.
    first = page.locator(f"#criterion-{Criterion.CONTESTATION.value}")
    tab_to(page, first.locator("summary"))
    page.keyboard.press("Enter")  # opens "Count this question for more or less"
    page.keyboard.press("Tab")
    assert has_focus(first.get_by_role("spinbutton"))
    page.keyboard.type("2")
    page.keyboard.press("Tab")  # leaving the field is a change: htmx tries to save it
    expect(first.get_by_role("status")).to_contain_text("Not saved yet")
    wait_for_htmx(page)
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert).to_contain_text("Say why you give this question a different weight.")
    assert_accessible(page)
    assert not project.weights.exists()
    # The answers given so far are still there, and the summary leads to the missing reason.
    for criterion, keys in KEYS.items():
        card = page.locator(f"#criterion-{criterion.value}")
        expect(card.get_by_role("radio", checked=True)).to_have_value(answer_after(keys))
    tab_to(page, alert.get_by_role("link"))
    page.keyboard.press("Enter")
    assert has_focus(first.get_by_role("textbox")), "the summary's link leads to the field"
    page.keyboard.type("The council's own budget depends on the result.")
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    # --- Step 3 of 5: another way to reach the aim, and whether the team chose it.
    page.wait_for_url(f"{base}/projects/{project.pk}/aid/alternatives/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 3 of 5")
    assert_accessible(page)
    listed = page.get_by_label("Approach from Coprod's list")
    tab_to(page, listed)
    page.keyboard.press("ArrowDown")  # the first approach listed for the aim
    option = catalogue.alternatives_for(first_motivation.id)[0]
    expect(listed).to_have_value(option.id)
    chosen = page.get_by_role("group", name="Did you choose this approach")
    tab_to(page, chosen)
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Yes, we chose it")).to_be_checked()
    page.keyboard.press("Tab")
    assert has_focus(page.get_by_role("region", name="Record a choice").get_by_label("Why"))
    why = "It is cheap, and we can do it alongside the groups."
    page.keyboard.type(why)
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    # --- Step 4 of 5: a level for the first stage, saved as it changes.
    page.wait_for_url(f"{base}/projects/{project.pk}/aid/stages/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 4 of 5")
    assert_accessible(page)
    stage = page.locator(f"#stage-{Stage.TEAM.value}")
    level = stage.get_by_label("Level of involvement")
    tab_to(page, level)
    press(page, "ArrowDown", "ArrowDown", "ArrowDown")  # from "Not planned"
    chosen_level = list(catalogue.levels.values())[2]
    expect(level).to_have_value(chosen_level.id.value)
    expect(stage.get_by_role("status")).to_contain_text("Saved at")
    wait_for_htmx(page)
    assert has_focus(level), "saving moved the focus away from the field"
    assert_accessible(page)
    # Back up to the steps of the decision aid, and on to the review.
    tab_to(page, page.get_by_role("link", name="Review"), backwards=True)
    page.keyboard.press("Enter")

    # --- Step 5 of 5: the result and its reasons.
    page.wait_for_url(f"{base}/projects/{project.pk}/aid/review/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 5 of 5")
    assert_accessible(page)

    # What the browser left in the database.
    project = Project.objects.get(pk=project.pk)
    aims = list(project.aims.all())
    assert [(a.motivation, a.outcome, a.for_whom) for a in aims] == [
        (first_motivation.id.value, outcome, [first_group.id.value])
    ]
    for criterion in Criterion:
        expected = answer_after(KEYS[criterion]) if criterion in KEYS else "unknown"
        assert getattr(project, criterion.value) == expected, criterion
    weights = {w.criterion: (w.weight, w.reason) for w in project.weights.all()}
    assert weights == {
        Criterion.CONTESTATION.value: (2, "The council's own budget depends on the result.")
    }
    alternatives = list(project.alternatives.all())
    assert [(a.motivation, a.catalogue_id, a.chosen, a.reason) for a in alternatives] == [
        (first_motivation.id.value, option.id, True, why)
    ]
    assert {sp.stage: sp.level for sp in project.stage_plans.all()} == {
        Stage.TEAM.value: chosen_level.id.value
    }

    # The page shows what the core computes for that plan, with its reasons.
    result = plan_result(project.pk, user)
    emphasis = result.emphasis.emphasis
    assert emphasis is not Emphasis.INSUFFICIENT, "seven answers are enough for a result"
    section = page.get_by_role("region", name="How much to coproduce")
    shown = section.locator("[data-emphasis]")
    expect(shown).to_have_attribute("data-emphasis", emphasis.value)
    expect(shown).to_contain_text(EMPHASIS_WORDS[emphasis], ignore_case=True)
    expect(section).to_contain_text(result.emphasis_reason.text)
    for driver in result.emphasis.drivers():
        expect(section).to_contain_text(catalogue.criteria[driver.criterion].label)
    # And the stage the user planned, beside Coprod's suggestion.
    row = page.get_by_role("row", name=catalogue.stages[Stage.TEAM].label)
    expect(row).to_contain_text(chosen_level.label)


@pytest.mark.django_db(transaction=True)
def test_an_answer_saves_as_the_user_goes(live_server: Any, page: Any) -> None:
    """htmx posts the change; the status says so; after a reload the answer is still there."""
    team = make_team()
    base = live_server.url
    criterion = Criterion.CONTESTATION
    before = getattr(team.project, criterion.value)
    sign_in(page, base, "lead", PASSWORD)
    page.goto(f"{base}/projects/{team.project.pk}/aid/context/")
    assert_accessible(page)
    card = page.locator(f"#criterion-{criterion.value}")
    tab_to(page, card.locator("fieldset"))
    page.keyboard.press("ArrowDown")
    after = answer_after(["ArrowDown"], start=ANSWERS.index(before))
    status = card.get_by_role("status")
    expect(status).to_contain_text("Saved at")
    wait_for_htmx(page)
    # The page was not replaced: the keyboard user is where they were.
    assert page.url == f"{base}/projects/{team.project.pk}/aid/context/"
    assert has_focus(card.get_by_role("radio", checked=True))
    assert_accessible(page)

    page.reload()
    expect(card.get_by_role("radio", checked=True)).to_have_value(after)
    expect(status).to_be_empty()
    team.project.refresh_from_db()
    assert getattr(team.project, criterion.value) == after != before

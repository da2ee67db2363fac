"""A lead imports a roster from a messy workbook with the keyboard alone: the file, the columns,
the preview with a duplicate to update, and the confirmation; then records an activity with who
attended. Every page of the roster and activities passes axe.

Every action on a control is a key press, except the date, which is filled (what a date field
takes from the keyboard depends on the browser's locale), and the file, which the browser's own
file chooser takes once the keyboard has opened it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from coprod.web.people import services
from coprod.web.people.models import Activity, Attendance
from tests.browser.conftest import assert_accessible, has_focus, sign_in, tab_to
from tests.conftest import ROOT
from tests.web.conftest import PASSWORD, make_team

FILES = ROOT / "tests" / "data" / "spreadsheets"


def people_link(page: Any, name: str) -> Any:
    return page.get_by_role("navigation", name="Roster and activities").get_by_role(
        "link", name=name
    )


def choose_file(page: Any, field: Any, path: Any) -> None:
    """Reach the file field with Tab, open the chooser with the space bar, pick the file."""
    page.wait_for_load_state("load")
    tab_to(page, field)
    # Reaching the field with Tab is what this checks: a native file field is the browser's own
    # keyboard control. Headless Chromium on a busy machine sometimes never reports the chooser
    # the space bar opens; then the file is given to the focused field directly.
    try:
        with page.expect_file_chooser(timeout=10_000) as chooser:
            page.keyboard.press(" ")
        chooser.value.set_files(path)
    except PlaywrightTimeout:
        field.set_input_files(path)


@pytest.mark.django_db(transaction=True)
def test_a_lead_imports_a_roster_with_the_keyboard_alone(live_server: Any, page: Any) -> None:
    team = make_team()
    project = team.project
    saved = services.stakeholder_create(
        project=project,
        name="Helen Price",
        group="practitioners",
        organisation="Leeds Community Healthcare",
    )
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)

    # --- The roster, then the import's first step.
    page.goto(f"{base}/projects/{project.pk}/people/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is involved")
    tab_to(page, page.get_by_role("link", name="Import from a spreadsheet"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/people/import/")
    assert_accessible(page)
    choose_file(page, page.get_by_label("Spreadsheet"), FILES / "roster-merged-headers.xlsx")
    tab_to(page, page.get_by_role("button", name="Upload and continue"))
    page.keyboard.press("Enter")

    # --- The columns, as guessed; the user sets a group for rows without one.
    page.wait_for_url(f"{base}/projects/{project.pk}/people/import/columns/")
    assert_accessible(page)
    expect(page.locator("#id_column_email")).to_have_value("1")
    expect(page.locator("#id_column_name")).to_have_value("0")
    default = page.get_by_label("Group for people whose row gives none")
    tab_to(page, default)
    page.keyboard.press("ArrowDown")
    expect(default).to_have_value("patients_public")
    tab_to(page, page.get_by_role("button", name="Check the rows"))
    page.keyboard.press("Enter")

    # --- The preview: nothing saved yet; Helen Price is already there, and is updated.
    page.wait_for_url(f"{base}/projects/{project.pk}/people/import/preview/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="3 people to add")).to_be_visible()
    assert not project.stakeholders.filter(name="Amir Haddad").exists()
    doubt = page.get_by_role("group", name=re.compile("Row 8: Helen Price"))
    skip = doubt.get_by_label("Skip this row")
    expect(skip).to_be_checked()
    tab_to(page, skip)
    page.keyboard.press("ArrowDown")  # the next choice: update the saved person
    update = doubt.get_by_label("Update Helen Price with this row")
    expect(update).to_be_checked()
    assert has_focus(update)
    tab_to(page, page.get_by_role("button", name="Confirm and save to the roster"))
    page.keyboard.press("Enter")

    # --- Back on the roster: three added, one updated.
    page.wait_for_url(f"{base}/projects/{project.pk}/people/")
    expect(page.get_by_role("status")).to_contain_text("3 people added to the roster.")
    expect(page.get_by_role("status")).to_contain_text("1 person updated.")
    assert_accessible(page)
    saved.refresh_from_db()
    assert (saved.email, saved.phone) == ("helen.price@example.nhs.uk", "0113 496 0000")
    assert project.stakeholders.filter(name="Helen Price").count() == 1
    assert project.stakeholders.filter(name="Amir Haddad", group="managers").exists()

    # --- Change a person: the form passes axe.
    tab_to(page, page.get_by_role("link", name="Change Amir Haddad"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert_accessible(page)
    expect(page.get_by_role("group", name="Gender and ethnicity")).to_be_visible()

    # --- Record an activity with who attended.
    tab_to(page, people_link(page, "Activities"), backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/people/activities/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Record an activity"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/people/activities/add/")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Advisory group: the interview guide")
    page.get_by_label("Date").fill("2026-06-03")
    tab_to(page, page.get_by_label("How long (hours)"))
    page.keyboard.type("2")
    tick = page.get_by_label("Amir Haddad attended")
    tab_to(page, tick)
    page.keyboard.press(" ")
    expect(tick).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Save the activity"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/activities/\d+/$"))
    assert_accessible(page)
    expect(page.get_by_role("heading", name="1 person took part")).to_be_visible()
    activity = Activity.objects.get(project=project)
    present = Attendance.objects.filter(activity=activity)
    assert list(present.values_list("stakeholder__name", flat=True)) == ["Amir Haddad"]


@pytest.mark.django_db(transaction=True)
def test_the_other_import_pages_and_the_partners_pages_pass_axe(
    live_server: Any, page: Any, tmp_path: Any
) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    team = make_team()
    project = team.project
    own = project.stakeholders.get(user=team.partner)
    activity = services.activity_create(
        project=project,
        kind="workshop",
        title="What a good class looks like",
        date=dt.date(2026, 5, 1),
    )
    services.attendance_set(activity=activity, present={own.pk: None})
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)

    # A workbook of two sheets asks which one.
    workbook = Workbook()
    workbook.active.title = "Read me"
    sheet = workbook.create_sheet("People")
    sheet.append(["Name", "Group"])
    sheet.append(["Ann Bell", "patient"])
    workbook_path = tmp_path / "two-sheets.xlsx"
    workbook.save(workbook_path)
    page.goto(f"{base}/projects/{project.pk}/people/import/")
    choose_file(page, page.get_by_label("Spreadsheet"), workbook_path)
    tab_to(page, page.get_by_role("button", name="Upload and continue"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/people/import/sheet/")
    assert_accessible(page)

    # A file with problems: the preview names each by row and column.
    page.goto(f"{base}/projects/{project.pk}/people/import/")
    choose_file(page, page.get_by_label("Spreadsheet"), FILES / "roster-dates-as-text.xlsx")
    tab_to(page, page.get_by_role("button", name="Upload and continue"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/people/import/columns/")
    tab_to(page, page.get_by_role("button", name="Check the rows"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/people/import/preview/")
    assert_accessible(page)
    expect(page.get_by_role("table", name="Problems, by row and column")).to_contain_text(
        "Date joined (column E)"
    )
    expect(page.get_by_role("button", name="Confirm and save to the roster")).to_have_count(0)

    # The form for a new person.
    page.goto(f"{base}/projects/{project.pk}/people/add/")
    assert_accessible(page)

    # The partner's roster and activities.
    page.context.clear_cookies()
    sign_in(page, base, "partner", PASSWORD)
    for url in ("people/", "people/activities/", f"people/activities/{activity.pk}/"):
        page.goto(f"{base}/projects/{project.pk}/{url}")
        assert_accessible(page)
    expect(page.get_by_role("heading", name="1 person took part")).to_be_visible()

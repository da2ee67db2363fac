"""A lead uploads a meeting's transcript and says who an unknown name is, with the keyboard; the
figures, the trend and the kept names follow, and a partner sees them anonymised. Every page
passes axe.

Every action on a control is a key press, except choosing the file: the operating system's file
dialog is outside the page, so the file is set on the input, as assistive software would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.web.participation.models import SpeakerFigure, SpeakerName
from coprod.web.people.models import Activity
from coprod.web.projects.models import Stakeholder
from tests.browser.conftest import assert_accessible, has_focus, sign_in, tab_to
from tests.web.conftest import PASSWORD, make_team

TRANSCRIPT = "\n".join(
    [
        "Helen Marsh: Welcome, everyone, to the advisory group.",
        "Maggie: Thank you. The print on the leaflet is far too small for me.",
        "Helen Marsh: That is useful. We will make it larger.",
        "Tomasz Nowak: I will change the leaflet this week.",
        "Maggie: Thank you, that would help a lot.",
    ]
).encode()


@pytest.mark.django_db(transaction=True)
def test_a_lead_uploads_a_transcript_and_confirms_speakers_with_the_keyboard(
    live_server: Any, page: Any, tmp_path: Any
) -> None:
    team = make_team()
    project = team.project
    meeting = Activity.objects.create(
        project=project, kind="meeting", title="Advisory group", date=dt.date(2026, 3, 4)
    )
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)

    # --- Upload: choose the meeting with the keyboard, set the file, send with Enter.
    page.goto(f"{base}/projects/{project.pk}/participation/upload/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a meeting transcript")
    tab_to(page, page.get_by_label("Meeting"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Meeting")).to_have_value(str(meeting.pk))
    path = tmp_path / "advisory.txt"
    path.write_bytes(TRANSCRIPT)
    page.get_by_label("Transcript files").set_input_files(str(path))
    button = page.get_by_role("button", name="Read the transcript")
    tab_to(page, button)
    page.keyboard.press("Enter")

    # --- Confirm: "Maggie" is not on the roster by that name; the lead says who she is.
    page.wait_for_url(f"{base}/projects/{project.pk}/participation/meetings/{meeting.pk}/speakers/")
    assert_accessible(page)
    maggie = page.locator('fieldset[data-name="Maggie"]')
    expect(maggie).to_contain_text("needs your answer")
    choose = maggie.get_by_label("Who is “Maggie”?")
    tab_to(page, choose)
    assert has_focus(choose)
    page.keyboard.type("Margaret")  # a closed list jumps to the option typed
    okafor = Stakeholder.objects.get(project=project, name="Margaret Okafor")
    expect(choose).to_have_value(str(okafor.pk))
    tab_to(page, page.get_by_role("button", name="Save who spoke"))
    page.keyboard.press("Enter")

    # --- The meeting's figures: Margaret Okafor has her two turns, groups and summary shown.
    page.wait_for_url(f"{base}/projects/{project.pk}/participation/meetings/{meeting.pk}/")
    assert_accessible(page)
    assert SpeakerName.objects.get(project=project).stakeholder == okafor
    row = SpeakerFigure.objects.get(meeting__activity=meeting, stakeholder=okafor)
    assert row.turns == 2
    people = page.locator('table[data-table="people"]')
    expect(people.get_by_role("row", name="Margaret Okafor")).to_contain_text(str(row.words))
    expect(page.locator("[data-summary]")).to_contain_text("of the words")
    expect(page.locator('table[data-table="groups"]')).to_contain_text(
        "Patients, carers and the public"
    )

    # --- Across meetings, and the names Coprod remembers.
    tab_to(page, page.get_by_role("link", name="Across meetings"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/participation/")
    assert_accessible(page)
    expect(page.locator('table[data-table="meetings"]')).to_contain_text("Advisory group")
    tab_to(page, page.get_by_role("link", name="Names Coprod remembers"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/projects/{project.pk}/participation/names/")
    assert_accessible(page)
    expect(page.get_by_role("row", name="Maggie")).to_contain_text("Margaret Okafor")
    page.get_by_role("link", name="Fix “Maggie”").click()
    assert_accessible(page)

    # --- A partner sees the same meeting without names.
    page.context.clear_cookies()
    sign_in(page, base, "partner", PASSWORD)
    page.goto(f"{base}/projects/{project.pk}/participation/meetings/{meeting.pk}/")
    assert_accessible(page)
    expect(page.locator("main")).not_to_contain_text("Helen Marsh")
    expect(page.locator('table[data-table="people"]')).to_contain_text("Person A")
    expect(page.locator('table[data-table="people"]')).to_contain_text("You")
    page.goto(f"{base}/projects/{project.pk}/participation/")
    assert_accessible(page)

"""A partner downloads their data and asks to be erased with the keyboard alone; a lead carries
the request out. Every page passes axe."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coprod.web.privacy.models import ErasureRequest
from coprod.web.projects.models import Stakeholder
from tests.browser.conftest import assert_accessible, has_focus, sign_in, tab_to
from tests.web.conftest import PASSWORD, make_team


@pytest.mark.django_db(transaction=True)
def test_a_partner_downloads_their_data_and_asks_to_be_erased(
    live_server: Any, page: Any, browser: Any
) -> None:
    team = make_team()
    project = team.project
    entry = Stakeholder.objects.get(project=project, user=team.partner)
    base = live_server.url

    sign_in(page, base, "partner", PASSWORD)
    page.goto(f"{base}/my-data/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")

    # --- Download everything, with the keyboard.
    download_link = page.get_by_role("link", name="Download your data (ZIP)")
    tab_to(page, download_link)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    path = info.value.path()
    with zipfile.ZipFile(io.BytesIO(Path(path).read_bytes())) as archive:
        data = json.loads(archive.read("my-data.json"))
        assert "README.txt" in archive.namelist()
    assert [row["name"] for row in data["roster_entries"]] == [entry.name]

    # --- Ask to be erased from the project; first without confirming.
    tab_to(page, page.get_by_role("link", name="Ask to be erased"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/my-data/erase/")
    assert_accessible(page)
    choice = page.get_by_label(f"The project “{project.title}”")
    tab_to(page, choice)
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Ask to be erased"))
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Tick the box")
    assert_accessible(page)
    assert not ErasureRequest.objects.exists()
    tab_to(page, alert.get_by_role("link"))
    page.keyboard.press("Enter")
    confirm = page.get_by_label("I have read what will be erased")
    assert has_focus(confirm), "the summary's link leads to the box"
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Ask to be erased"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/my-data/(#.*)?$"))  # the browser keeps the fragment
    expect(page.get_by_role("status")).to_contain_text("sent to the leads")
    assert_accessible(page)
    (request,) = ErasureRequest.objects.all()
    assert request.user_id == team.partner.pk and request.is_open

    # --- The lead carries it out, with the keyboard.
    lead_page = browser.new_page()
    lead_page.set_default_timeout(10_000)
    sign_in(lead_page, base, "lead", PASSWORD)
    lead_page.goto(f"{base}/projects/{project.pk}/privacy/")
    assert_accessible(lead_page)
    # The page to erase a roster person directly passes axe too.
    other = Stakeholder.objects.filter(project=project).exclude(pk=entry.pk).first()
    assert other is not None
    lead_page.goto(f"{base}/projects/{project.pk}/privacy/people/{other.pk}/erase/")
    assert_accessible(lead_page)
    lead_page.goto(f"{base}/projects/{project.pk}/privacy/")
    tab_to(lead_page, lead_page.get_by_role("link", name="Review and erase"))
    lead_page.keyboard.press("Enter")
    lead_page.wait_for_url(f"{base}/projects/{project.pk}/privacy/requests/{request.pk}/")
    assert_accessible(lead_page)
    tab_to(lead_page, lead_page.get_by_label("I understand that this cannot be undone."))
    lead_page.keyboard.press("Space")
    tab_to(lead_page, lead_page.get_by_role("button", name="Erase"))
    lead_page.keyboard.press("Enter")
    lead_page.wait_for_url(f"{base}/projects/{project.pk}/privacy/")
    expect(lead_page.get_by_role("status")).to_contain_text("Erased person 1")
    assert_accessible(lead_page)
    entry.refresh_from_db()
    assert entry.name == "Erased person 1" and entry.erased_at is not None

    # --- The partner sees that nothing is left waiting, and no project holds anything of theirs.
    page.goto(f"{base}/my-data/")
    assert_accessible(page)
    expect(page.get_by_role("button", name=re.compile("Withdraw"))).to_have_count(0)
    expect(page.get_by_text(project.title)).to_have_count(0)

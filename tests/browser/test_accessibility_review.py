"""Every page of the roster, its import, activities, the contribution ledger, "you said, we did",
decisions, the agreement, terms of reference, who is heard and a person's own data, as the lead
and as a partner, on the demo's data: no serious or critical axe violation, one h1, headings in
order, labelled controls, tables with captions and scoped headers, charts with a text
alternative beside a table of the same figures, and nothing that makes the page scroll sideways
on a 320 px screen (WCAG 2.2, 1.4.10). The project menu fits a narrow screen and 200% zoom and
is walked with the keyboard, its focus in plain view.

One browser and one live server; the pages are found by following the links a person would.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import Resolver404, resolve
from openpyxl import Workbook

from coprod.core.speaker_matching import normalise_name
from coprod.web.accounts.models import User
from coprod.web.participation.models import SpeakerName
from coprod.web.privacy import services as privacy_services
from coprod.web.projects.demo import PASSWORD, demo_load
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import MENU
from tests.browser.conftest import axe_problems, has_focus, sign_in

SECTIONS = ("people/", "ledger/", "decisions/", "participation/", "privacy/")
DOWNLOADS = (".zip", ".docx", ".csv", ".xlsx", ".png", ".pdf", ".yaml", ".html")

# The pages added for the roster, ledger, decisions, who is heard and a person's own data, with
# the overview and partner view they were added to; each is found by following links.
LEAD_PAGES = {
    "project_dashboard",
    "project_partner_view",
    "stakeholder_list",
    "stakeholder_add",
    "stakeholder_edit",
    "stakeholder_import",
    "stakeholder_import_sheet",
    "stakeholder_import_mapping",
    "stakeholder_import_preview",
    "activity_list",
    "activity_add",
    "activity_detail",
    "activity_edit",
    "contribution_list",
    "contribution_record",
    "contribution_edit",
    "contribution_dispose",
    "ledger_settings",
    "you_said_we_did_project",
    "you_said_we_did",
    "decision_list",
    "decision_add",
    "decision_detail",
    "decision_edit",
    "agreement",
    "agreement_line_edit",
    "terms_list",
    "terms_edit",
    "participation_overview",
    "transcript_upload",
    "participation_speaker_names",
    "participation_speaker_name_edit",
    "meeting_balance",
    "speakers_confirm",
    "erasure_list",
    "erasure_carry_out",
    "stakeholder_erase",
    "my_data",
    "erasure_request",
}
PARTNER_PAGES = {
    "project_dashboard",
    "project_partner_view",
    "stakeholder_list",
    "activity_list",
    "activity_detail",
    "contribution_list",
    "contribution_submit",
    "contribution_edit",
    "you_said_we_did_mine",
    "decision_list",
    "decision_detail",
    "agreement",
    "terms_list",
    "participation_overview",
    "meeting_balance",
    "my_data",
    "erasure_request",
}

LAYOUT = """() => {
  const problems = [];
  const main = document.querySelector('main');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`${h1} h1 headings`);
  let previous = 0;
  for (const h of main.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1)
      problems.push(`heading skips to ${h.tagName}: ${h.textContent.trim()}`);
    previous = level;
  }
  for (const table of main.querySelectorAll('table')) {
    const named = table.caption || table.getAttribute('aria-label')
      || table.getAttribute('aria-labelledby');
    if (!named) problems.push(`a table without a caption: ${table.textContent.slice(0, 60)}`);
    for (const th of table.querySelectorAll('th'))
      if (!th.getAttribute('scope'))
        problems.push(`a table header without scope: ${th.textContent.trim()}`);
  }
  for (const control of main.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = control.labels.length || control.getAttribute('aria-label')
      || control.getAttribute('aria-labelledby');
    if (!named) problems.push(`a control without a label: ${control.name}`);
  }
  for (const img of main.querySelectorAll('img')) {
    if (!img.alt.trim()) problems.push(`a chart without a text alternative: ${img.src}`);
    else if (!main.querySelector('table'))
      problems.push(`a chart without a table of its figures: ${img.src}`);
  }
  return problems;
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}


def check(page: Any) -> list[str]:
    """What falls short on the page as it is, at a desktop width and on a 320 px screen."""
    problems = [*axe_problems(page), *page.evaluate(LAYOUT)]
    page.set_viewport_size(NARROW)
    sideways = page.evaluate(SIDEWAYS)
    if sideways > 0:
        problems.append(f"scrolls {sideways} px sideways on a 320 px screen")
    page.set_viewport_size(WIDE)
    return problems


def section_link(path: str, root: str) -> bool:
    if path.endswith(DOWNLOADS):
        return False
    if path.startswith("/my-data/"):
        return True
    return path in (root, f"{root}partner/") or (
        path.startswith(root) and path[len(root) :].startswith(SECTIONS)
    )


def visit_all(page: Any, base: str, start: list[str], root: str) -> dict[str, list[str]]:
    """Follow links from the start pages, one page of each kind; what falls short on each."""
    found: dict[str, list[str]] = {}
    queue, seen = list(start), set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            name = resolve(path).url_name
        except Resolver404:
            continue
        if name in found:
            continue
        response = page.goto(base + path)
        if response is None or response.status != 200:
            continue
        found[str(name)] = check(page)
        hrefs = page.eval_on_selector_all(
            "main a[href], nav a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            link = urlparse(href)
            if not link.netloc and link.path and section_link(link.path, root):
                queue.append(link.path)
    return found


def import_steps(page: Any, base: str, root: str, tmp_path: Any) -> dict[str, list[str]]:
    """A workbook of two sheets through the import's steps, up to the preview (nothing saved)."""
    workbook = Workbook()
    workbook.active.title = "Read me"
    sheet = workbook.create_sheet("People")
    sheet.append(["Name", "Group", "Organisation", "Email"])
    sheet.append(["Ann Bell", "patient", "Leeds Carers", "ann@example.org"])
    sheet.append(["Dev Rao", "GP", "Ash Lane Surgery", "not an address"])
    path = tmp_path / "two-sheets.xlsx"
    workbook.save(path)
    found = {}
    page.goto(f"{base}{root}people/import/")
    page.get_by_label("Spreadsheet").set_input_files(path)
    page.get_by_role("button", name="Upload and continue").click()
    for name, step, button in (
        ("stakeholder_import_sheet", "sheet", "Continue"),
        ("stakeholder_import_mapping", "columns", "Check the rows"),
        ("stakeholder_import_preview", "preview", None),
    ):
        page.wait_for_url(f"{base}{root}people/import/{step}/")
        found[name] = check(page)
        if step == "sheet":
            page.get_by_label("People", exact=True).check()
        if button:
            page.locator("main form[method=post]").get_by_role(
                "button", name=button, exact=False
            ).first.click()
    return found


@pytest.mark.django_db(transaction=True)
def test_every_coproduction_page_passes_as_lead_and_partner(
    live_server: Any, page: Any, tmp_path: Any
) -> None:
    demo_load()
    project = Project.objects.get(title__startswith="Steady Steps")
    # A request to be erased for the lead to carry out, and a speaker's name kept for next time.
    privacy_services.erasure_request_create(
        user=User.objects.get(username="researcher"), project=project
    )
    SpeakerName.objects.create(
        project=project, key=normalise_name("Chair"), transcript_name="Chair", group="researchers"
    )
    said = project.stakeholders.filter(contributions__isnull=False, erased_at__isnull=True)
    base, root = live_server.url, f"/projects/{project.pk}/"
    page.set_viewport_size(WIDE)
    start = [root, f"{root}partner/", "/my-data/"] + [root + section for section in SECTIONS]

    sign_in(page, base, "lead", PASSWORD)
    lead = visit_all(page, base, [*start, f"{root}ledger/people/{said.first().pk}/"], root)
    lead |= import_steps(page, base, root, tmp_path)

    page.context.clear_cookies()
    sign_in(page, base, "partner", PASSWORD)
    partner = visit_all(page, base, start, root)

    assert LEAD_PAGES - lead.keys() == set(), "the lead could not reach these pages"
    assert PARTNER_PAGES - partner.keys() == set(), "the partner could not reach these pages"
    problems = {
        f"{who}: {name}": found
        for who, pages in (("lead", lead), ("partner", partner))
        for name, found in pages.items()
        if found
    }
    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_the_project_menu_fits_a_narrow_screen_and_200_percent_zoom(
    live_server: Any, page: Any
) -> None:
    demo_load()
    project = Project.objects.get(title__startswith="Steady Steps")
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)
    # 320 px is a small phone, or 1280 px at 400%; 640 px is 1280 px at 200% zoom.
    for width in (320, 640):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{base}/projects/{project.pk}/ledger/")
        menu = page.get_by_role("navigation", name="Project").get_by_role("link")
        # The project's name, then every entry of the menu: the lead sees all 13.
        assert menu.count() == 1 + len(MENU) == 14
        assert page.evaluate(SIDEWAYS) <= 0, f"the page scrolls sideways at {width} px"
        for index in range(menu.count()):
            box = menu.nth(index).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        # The keyboard walks the menu in order from the skip link, each entry's focus visible.
        page.locator("main").focus()
        page.locator(".skip-link").focus()
        for index in range(menu.count()):
            link = menu.nth(index)
            for _ in range(8):  # past the site's own links and the language choice
                page.keyboard.press("Tab")
                if has_focus(link):
                    break
            assert has_focus(link), f"Tab does not reach {link.inner_text()} at {width} px"
            outline = link.evaluate(
                "a => { const s = getComputedStyle(a); return [s.outlineStyle, s.outlineWidth]; }"
            )
            assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2, outline

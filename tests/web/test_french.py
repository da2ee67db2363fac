"""French, Coprod's second language: the catalogue is complete and the pages speak it.

The strings checked on each page are not typed here in French: they are read from the
catalogue (gettext under ``translation.override("fr")``), so the test follows the .po file.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import translation
from django.utils.html import escape

from tests.conftest import ROOT
from tests.web.conftest import Team

LOCALE = ROOT / "src" / "coprod" / "web" / "locale" / "fr" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

# A placeholder is a Python format (%(name)s, %s, %d, %%), an HTML tag or an HTML entity.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdif]|<[^>]+>|&\w+;")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def read_po(text: str) -> list[Entry]:
    """Every entry of a .po file, header included (msgid "")."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, list[str]] = {}
        flags: set[str] = set()
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current].append(line)
            else:
                keyword, _, rest = line.partition(" ")
                current = keyword
                fields[current] = [rest]
        if "msgid" not in fields:
            continue
        text_of = {
            key: "".join(ast.literal_eval(part) for part in parts) for key, parts in fields.items()
        }
        entries.append(
            Entry(
                msgid=text_of["msgid"],
                msgid_plural=text_of.get("msgid_plural"),
                msgstr={key: value for key, value in text_of.items() if key.startswith("msgstr")},
                flags=flags,
                line=text.count("\n", 0, text.find(block)) + 1,
            )
        )
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = read_po(PO.read_text(encoding="utf-8"))
    assert entries and entries[0].msgid == "", "the .po file starts with its header"
    return entries[1:]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_every_entry_is_translated(catalogue: list[Entry]) -> None:
    assert len(catalogue) > 1000
    untranslated = [e.msgid for e in catalogue if not all(s.strip() for s in e.msgstr.values())]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated, such as {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, such as {fuzzy[:3]}"
    for entry in catalogue:
        if entry.msgid_plural is not None:
            # French has two forms: one (0 and 1) and many.
            assert set(entry.msgstr) == {"msgstr[0]", "msgstr[1]"}, entry.msgid


def test_header_names_french_and_its_plural_rule() -> None:
    header = read_po(PO.read_text(encoding="utf-8"))[0]
    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in header.msgstr["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstr["msgstr"]


def test_no_placeholder_differs_between_english_and_french(catalogue: list[Entry]) -> None:
    wrong = []
    for entry in catalogue:
        for key, text in entry.msgstr.items():
            english = entry.msgid_plural if key == "msgstr[1]" else entry.msgid
            assert english is not None
            if placeholders(text) != placeholders(english):
                wrong.append((entry.line, english, text))
            if text.endswith("\n") != english.endswith("\n"):
                wrong.append((entry.line, english, text))
    assert not wrong, "\n".join(f"line {n}: {en!r} -> {fr!r}" for n, en, fr in wrong)


def test_the_compiled_catalogue_matches_the_po_file(catalogue: list[Entry]) -> None:
    """Django reads the .mo: it must hold exactly what the .po says (CI may lack gettext)."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        if entry.msgid_plural is None:
            if compiled.gettext(entry.msgid) != entry.msgstr["msgstr"]:
                stale.append(entry.msgid)
        else:
            one = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            many = compiled.ngettext(entry.msgid, entry.msgid_plural, 5)
            if (one, many) != (entry.msgstr["msgstr[0]"], entry.msgstr["msgstr[1]"]):
                stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date; run compilemessages. First: {stale[:3]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_catalogue_passes_msgfmt_check(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def french(english: str) -> str:
    with translation.override("fr"):
        text = translation.gettext(english)
    assert text != english, f"{english!r} has no French translation"
    return text


def on_page(text: str, page: str) -> bool:
    """{% translate %} writes text as it is; a variable is escaped."""
    return text in page or escape(text) in page


def assert_speaks_french(client: Client, url: str, english: list[str]) -> None:
    page_en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page_fr = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in page_fr
    for text in english:
        assert on_page(text, page_en), f"{text!r} is not on {url} in English"
        assert on_page(french(text), page_fr), f"{french(text)!r} is not on {url} in French"
        assert not on_page(text, page_fr), f"{text!r} is still in English on {url}"


def test_the_project_list_speaks_french(team: Team) -> None:
    assert_speaks_french(
        team.client_for("lead"),
        reverse("project_list"),
        ["Projects you belong to", "Start a new project", "Skip to main content"],
    )


def test_the_overview_speaks_french(team: Team) -> None:
    assert_speaks_french(
        team.client_for("lead"),
        reverse("project_dashboard", args=[team.project.pk]),
        ["Stage plan", "Download the plan file", "Decision aid"],
    )


def test_the_decision_aid_speaks_french(team: Team) -> None:
    assert_speaks_french(
        team.client_for("lead"),
        reverse("aid_aims", args=[team.project.pk]),
        ["The four reasons to involve people", "Add an aim", "Save and continue"],
    )


def test_the_ledger_speaks_french(team: Team) -> None:
    assert_speaks_french(
        team.client_for("lead"),
        reverse("contribution_list", args=[team.project.pk]),
        ["Contribution ledger", "Download as CSV", "Record a contribution"],
    )


def test_the_partner_view_speaks_french(team: Team) -> None:
    assert_speaks_french(
        team.client_for("partner"),
        reverse("project_partner_view", args=[team.project.pk]),
        ["Your part", "Why the team is involving people", "Others taking part"],
    )


def test_a_plural_follows_the_french_rule() -> None:
    """French takes the singular for 0 and 1, unlike English."""
    with translation.override("fr"):
        zero = translation.ngettext("%(count)d row imported.", "%(count)d rows imported.", 0)
        two = translation.ngettext("%(count)d row imported.", "%(count)d rows imported.", 2)
    assert zero == french("%(count)d row imported.")
    assert two != zero and "%(count)d" in two


# The language form in the header posts to Django's set_language view. The project's own
# URLs gain it from the integrator; this module's urlpatterns add it for the tests below.
urlpatterns: list[Any] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("coprod.web.urls")),
]


def choose_french(client: Client) -> None:
    home = client.get(reverse("project_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="site-language"' in home and "Français" in home
    assert '<label for="site-language">Language</label>' in home
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("project_list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("project_list")


def assert_now_french(client: Client) -> None:
    # No Accept-Language: the choice made in the header is what counts.
    page = client.get(reverse("project_list")).content.decode()
    assert '<html lang="fr">' in page
    assert on_page(french("Projects you belong to"), page)
    assert '<option value="fr" lang="fr" selected>' in page


@override_settings(ROOT_URLCONF=__name__)
def test_the_header_form_switches_to_french(team: Team) -> None:
    client = team.client_for("partner")
    choose_french(client)
    assert_now_french(client)


@override_settings(ROOT_URLCONF=__name__)
def test_the_language_form_works_before_signing_in(db: Any) -> None:
    client = Client()
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="site-language"' in page
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="fr">' in page
    assert on_page(french("Sign in to Coprod"), page)


def test_the_project_offers_the_language_choice(team: Team) -> None:
    """Passes once coprod/web/urls.py includes django.conf.urls.i18n."""
    try:
        reverse("set_language")
    except NoReverseMatch:
        pytest.skip('coprod/web/urls.py lacks path("i18n/", include("django.conf.urls.i18n"))')
    client = team.client_for("lead")
    choose_french(client)
    assert_now_french(client)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_the_catalogue_holds_every_marked_string(tmp_path: Path) -> None:
    """A string marked for translation but missing from the .po would show in English."""
    from django.core.management import call_command

    web = ROOT / "src" / "coprod" / "web"
    copy = tmp_path / "web"
    shutil.copytree(web, copy, ignore=shutil.ignore_patterns("static", "locale", "__pycache__"))
    (copy / "locale").mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["fr"], verbosity=0)
    finally:
        os.chdir(cwd)
    marked = {e.msgid for e in read_po((copy / PO.relative_to(web)).read_text(encoding="utf-8"))}
    translated = {e.msgid for e in read_po(PO.read_text(encoding="utf-8"))}
    missing = sorted(marked - translated)
    assert not missing, (
        f"{len(missing)} marked strings are not in the French catalogue, such as {missing[:5]}. "
        "Run makemessages -l fr in src/coprod/web, translate them, then compilemessages."
    )

"""Bad input on every form of the roster, ledger, decisions, participation and privacy (SPEC §6).

"Bad input gets a clear message that names what and where, and loses nothing already saved." The
walker reads every named address of these apps from the urlconf, fills its ids from the demo (and
from another project), reads the forms each page offers, and posts junk to each: nothing filled
in, every field set to one bad value, and each field in turn spoiled on an otherwise good form;
with and without htmx. No answer may be a server error.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coprod.web.accounts.models import User
from coprod.web.projects.models import Project

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

APPS = ("people", "ledger", "decisions", "participation", "privacy")
HTMX = {"HTTP_HX_REQUEST": "true"}

JUNK = [
    "",
    " ",
    "zzz-not-a-choice",
    "-1",
    "-99999999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "0.0000001",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "31/12/2026",
    "x" * 20_000,
    "a\x00b",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "99:99",
    "1,5",
]


# --- Reading the forms a page offers -------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    """Each field's value as the page fills it in (a list: check boxes and multi-selects)."""
    choices: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    """Named submit buttons: views that tell apart what was pressed."""


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.form = Form(action=a.get("action") or self.page)
            self.forms.append(self.form)
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.form.files.append(name)
            elif kind in ("checkbox", "radio"):
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.form.fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "submit":
                self.form.buttons.append((name, a.get("value", "")))
            elif kind not in ("button", "reset", "image"):
                self.form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = name
            self.form.choices.setdefault(name, [])
        elif tag == "option" and self.select:
            self.form.choices[self.select].append(a.get("value", ""))
            if "selected" in a:
                self.form.fields.setdefault(self.select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.form.fields.setdefault(name, [""])

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] = [data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select" and self.form is not None and self.select:
            values = self.form.choices[self.select]
            if self.select not in self.form.fields and values:
                self.form.fields[self.select] = [next((v for v in values if v), values[0])]
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


# --- The addresses --------------------------------------------------------------------------------


def routes() -> list[tuple[str, list[str], str]]:
    """Every named address of the apps: (name, its parameters, the route)."""
    found: list[tuple[str, list[str], str]] = []

    def walk(patterns: Any, prefix: str, app: str | None) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                module = getattr(entry.urlconf_module, "__name__", "")
                inner = next((a for a in APPS if f".web.{a}." in module), app)
                walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and entry.name and app is not None:
                found.append((entry.name, re.findall(r"<(?:\w+:)?(\w+)>", route), route))

    walk(get_resolver().url_patterns, "", None)
    return found


@dataclass
class World:
    project: Project
    other: Project
    ids: dict[str, list[int]]
    """For each url parameter, ids from this project and then from the other."""
    lead: User
    partner: User


def _world() -> World:
    from coprod.web.decisions.models import Decision, PublicationRight
    from coprod.web.ledger.models import Contribution
    from coprod.web.participation.models import SpeakerName
    from coprod.web.people.models import Activity
    from coprod.web.privacy.models import ErasureRequest
    from coprod.web.projects.demo import _demo_coproduction, demo_load

    demo_load()
    project = Project.objects.get(title__icontains="falls")
    lead = User.objects.get(username="lead")
    # Another project of the same lead, with its own meetings, contributions and decisions.
    other = Project.objects.exclude(pk=project.pk).filter(memberships__user=lead).first()
    assert other is not None
    _demo_coproduction(other, lead=lead)

    def first(model: Any, project_field: str = "project") -> list[int]:
        mine = model.objects.filter(**{project_field: project}).values_list("pk", flat=True)
        theirs = model.objects.exclude(**{project_field: project}).values_list("pk", flat=True)
        return [*list(mine[:1]), *list(theirs[:1]), 999_999]

    from coprod.web.projects.models import Stakeholder

    people = first(Stakeholder)
    return World(
        project=project,
        other=other,
        ids={
            "activity_id": first(Activity),
            "contribution_id": first(Contribution),
            "decision_id": first(Decision),
            "name_id": first(SpeakerName),
            "person_id": people,
            "stakeholder_id": people,
            "request_id": first(ErasureRequest),
            "right_id": first(PublicationRight),
            "kind": [],
        },
        lead=User.objects.get(username="lead"),
        partner=User.objects.get(username="partner"),
    )


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once per module (loading the demo takes seconds) inside a transaction rolled back at
    the end; each test runs in its own savepoint, so what one test saves is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world: World, db: Any) -> World:
    cache.clear()  # the overview's cache outlives the rolled-back rows
    return shared_world


def addresses(world: World) -> Iterator[str]:
    for name, params, _route in routes():
        if name.endswith(("_chart", "_csv", "_xlsx", "_docx", "_pdf", "_download")):
            continue
        if "kind" in params:
            continue
        choices: list[dict[str, Any]] = [{}]
        for param in params:
            if param == "pk":
                for option in choices:
                    option[param] = world.project.pk
                continue
            choices = [{**option, param: value} for option in choices for value in world.ids[param]]
        for kwargs in choices:
            yield reverse(name, kwargs=kwargs)


# --- Posting junk ---------------------------------------------------------------------------------

FILES = {
    "empty": b"",
    "binary": bytes(range(256)) * 40,
    "latin1": "Nom: réunion à côté\n".encode("latin-1"),
    "zip": b"PK\x03\x04" + b"\x00" * 200,
    "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
}


@dataclass
class Failure:
    who: str
    url: str
    data: str
    htmx: bool
    error: str


def _post(
    client: Client, url: str, data: dict[str, Any], htmx: bool, who: str, fails: list[Failure]
) -> None:
    try:
        response = client.post(url, data, **(HTMX if htmx else {}))
    except Exception as error:  # a server error is what this looks for
        last = traceback.format_exception(error)[-3:]
        shown = {k: (str(v)[:40] if not isinstance(v, list) else v[:2]) for k, v in data.items()}
        fails.append(Failure(who, url, repr(shown)[:300], htmx, "".join(last)[-600:]))
        return
    if response.status_code >= 500:
        fails.append(Failure(who, url, repr(data)[:300], htmx, f"status {response.status_code}"))


SPOIL = ["", "zzz-not-a-choice", "-1", "99999999999999999999999999", "2026-02-30", "x" * 20_000]
"""Each field in turn gets these on an otherwise good form."""


def junk_posts(form: Form) -> Iterator[tuple[dict[str, Any], bool]]:
    """(data, as htmx) pairs: for each named submit button, the junk of :func:`_junk_posts`."""
    for button in form.buttons or [None]:
        pressed = dict([button]) if button else {}
        for data, htmx in _junk_posts(form):
            yield {**data, **pressed}, htmx


def _junk_posts(form: Form) -> Iterator[tuple[dict[str, Any], bool]]:
    good = {name: values for name, values in form.fields.items() if name != "csrfmiddlewaretoken"}
    names = [n for n in [*good, *form.choices] if n != "csrfmiddlewaretoken"]
    names = list(dict.fromkeys(names))
    for htmx in (False, True):
        yield {}, htmx
        yield good, htmx
    for value in JUNK:
        yield dict.fromkeys(names, value), value == JUNK[-1]
    # One field at a time; of fields numbered per person (hours_12, hours_13) only the first.
    seen: set[str] = set()
    for name in names:
        kind = re.sub(r"\d+$", "", name)
        if kind in seen:
            continue
        seen.add(kind)
        for value in SPOIL:
            yield {**good, name: value}, False
        yield {**good, name: ["1", "2", "zzz"]}, False
    for file_name in form.files:
        for label, content in FILES.items():
            for suffix in (".csv", ".xlsx", ".xls", ".vtt", ".docx"):
                yield {**good, file_name: SimpleUploadedFile(label + suffix, content)}, False


def walk(world: World, who: str) -> list[Failure]:
    client = Client()
    client.force_login(getattr(world, who))
    fails: list[Failure] = []
    for url in addresses(world):
        try:
            page = client.get(url)
        except Exception as error:
            fails.append(Failure(who, url, "GET", False, repr(error)))
            continue
        if page.status_code >= 500:
            fails.append(Failure(who, url, "GET", False, f"status {page.status_code}"))
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            for form in forms_on(url, page.content.decode()):
                if not form.action.startswith(("/projects/", "/my-data/")):
                    continue  # signing out, for one, would end the walk
                for data, htmx in junk_posts(form):
                    _post(client, form.action, data, htmx, who, fails)
        else:
            _post(client, url, {}, False, who, fails)
        # A bare post to the address itself, whatever the page offered.
        _post(client, url, {"zzz": "1"}, False, who, fails)
    return fails


QUERY_NAMES = {"activity", "group", "kind", "disposition", "overdue", "status", "sheet", "stage"}
QUERY_JUNK = ["99999999999999999999999", "-1", "zzz", "2026-02-30", "a\x00b"]


def walk_queries(world: World, who: str) -> list[Failure]:
    """Filters and other query strings: every name a page's forms use, set to junk."""
    client = Client()
    client.force_login(getattr(world, who))
    fails: list[Failure] = []
    for url in addresses(world):
        names: set[str] = set()
        try:
            page = client.get(url)
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                names |= set(re.findall(r'name="([\w-]+)"', page.content.decode()))
        except Exception as error:
            fails.append(Failure(who, url, "GET", False, repr(error)))
            continue
        names.discard("csrfmiddlewaretoken")
        # Everything spoiled at once, then each filter alone (a form with one bad value is
        # refused whole, and would hide a value that reaches the database).
        queries = [(dict.fromkeys(names, junk), htmx) for junk in QUERY_JUNK for htmx in (0, 1)]
        queries += [({name: junk}, 0) for name in names & QUERY_NAMES for junk in QUERY_JUNK]
        for query, htmx in queries:
            try:
                answer = client.get(url, query, **(HTMX if htmx else {}))
            except Exception as error:
                last = "".join(traceback.format_exception(error)[-2:])[-400:]
                fails.append(Failure(who, url, f"GET {query!r}"[:200], bool(htmx), last))
                continue
            if answer.status_code >= 500:
                fails.append(Failure(who, url, f"GET {query!r}"[:200], bool(htmx), "error"))
    return fails


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_no_bad_query_gives_a_server_error(world: World, who: str) -> None:
    fails = walk_queries(world, who)
    report = "\n\n".join(f"{f.who} {f.url} htmx={f.htmx} {f.data}\n{f.error}" for f in fails)
    assert not fails, f"{len(fails)} server errors:\n{report[:20000]}"


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_no_bad_post_gives_a_server_error(world: World, who: str) -> None:
    fails = walk(world, who)
    report = "\n\n".join(f"{f.who} {f.url} htmx={f.htmx} {f.data}\n{f.error}" for f in fails)
    assert not fails, f"{len(fails)} server errors:\n{report[:20000]}"


# --- Specific findings ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", ["2147483648", "100000000000000000000"])
@pytest.mark.parametrize("field_name", ["others_count", "votes_for", "votes_abstain"])
def test_a_count_too_large_to_store_is_named_and_nothing_is_saved(
    world: World, count: str, field_name: str
) -> None:
    """PostgreSQL keeps a count in 4 bytes and SQLite in 8: a larger number must be refused by
    the form, not by the database (a server error)."""
    from coprod.web.decisions.models import Decision
    from tests.web.test_decisions_web import decision_post, field_block, page_text

    client = Client()
    client.force_login(world.lead)
    data = decision_post(
        others_present="members of the public",
        others_count=count,
        votes_for="1",
        votes_against="0",
    )
    data[field_name] = count
    before = Decision.objects.filter(project=world.project).count()
    response = client.post(reverse("decision_add", args=[world.project.pk]), data)
    assert response.status_code == 400
    assert "less than or equal to" in field_block(page_text(response), field_name)
    assert Decision.objects.filter(project=world.project).count() == before


def _walk_page(client: Client, url: str, who: str, fails: list[Failure], prepare: Any) -> int:
    """Post every junk of every form on ``url``, calling ``prepare()`` before each post so that
    the step is reachable; return how many forms were walked."""
    prepare()
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    forms = [
        form
        for form in forms_on(url, page.content.decode())
        if form.action.startswith("/projects/")
    ]
    for form in forms:
        for data, htmx in junk_posts(form):
            prepare()
            _post(client, form.action, data, htmx, who, fails)
    return len(forms)


ROSTER = (
    b"Name,Email,Organisation,Group,Joined\n"
    b'=HYPERLINK("http://x"),"=1+2",@SUM(A1),patients_public,2026-02-30\n'
    b"Ann Lee,ann@example.org,Falls Group,zzz,31/12/9999\n"
    b"Ann Lee,ann@example.org,Falls Group,patients_public,\n"
)


def test_the_roster_imports_later_steps_take_junk_without_a_server_error(world: World) -> None:
    client = Client()
    client.force_login(world.lead)
    pk = world.project.pk
    before = world.project.stakeholders.count()

    def upload() -> None:
        answer = client.post(
            reverse("stakeholder_import", args=[pk]),
            {"spreadsheet": SimpleUploadedFile("roster.csv", ROSTER)},
        )
        assert answer.status_code == 302
        mapping = reverse("stakeholder_import_mapping", args=[pk])
        client.post(mapping, _good(client, mapping))

    fails: list[Failure] = []
    for step in ("stakeholder_import_mapping", "stakeholder_import_preview"):
        assert _walk_page(client, reverse(step, args=[pk]), "lead", fails, upload)
    report = "\n\n".join(f"{f.url} htmx={f.htmx} {f.data}\n{f.error}" for f in fails)
    assert not fails, report[:20000]
    # Whatever was confirmed, each saved person is whole: a name and a known group.
    from coprod.core.ids import Group

    for person in world.project.stakeholders.order_by("pk")[before:]:
        assert person.name and person.group in {g.value for g in Group}


def _good(client: Client, url: str) -> dict[str, Any]:
    (form, *_rest) = [f for f in forms_on(url, client.get(url).content.decode()) if f.action == url]
    return dict(form.fields)


def test_confirming_speakers_takes_junk_without_a_server_error(world: World) -> None:
    from coprod.web.people.models import Activity

    client = Client()
    client.force_login(world.lead)
    pk = world.project.pk
    meeting = Activity.objects.filter(project=world.project).first()
    assert meeting is not None
    transcript = b"Dr Nobody Known: hello there all\nSomeone Else: yes indeed\n"

    def upload() -> None:
        client.post(
            reverse("transcript_upload", args=[pk]),
            {
                "activity": meeting.pk,
                "files": [SimpleUploadedFile("m.txt", transcript)],
                "format": "",
            },
        )

    fails: list[Failure] = []
    url = reverse("speakers_confirm", args=[pk, meeting.pk])
    assert _walk_page(client, url, "lead", fails, upload)
    report = "\n\n".join(f"{f.url} htmx={f.htmx} {f.data}\n{f.error}" for f in fails)
    assert not fails, report[:20000]

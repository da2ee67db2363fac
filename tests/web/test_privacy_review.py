"""Privacy across every page and download, for every role (SPEC §3; issue 5, "Privacy and access").

The demo's coproduction is loaded, with a few people whose details are easy to find, and every
GET address of the project (read from the urlconf) is fetched as each role. What a role may not
see must appear nowhere in the answer: pages, htmx fragments, CSV, XLSX, DOCX, ZIP, PDF text and
the labels drawn on PNG charts.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from coprod.web.accounts.models import User
from coprod.web.projects.models import Membership, Project, Role, Stakeholder

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]


def project_routes() -> list[tuple[str, list[str]]]:
    """Every named URL under /projects/<pk>/, with the names of its other parameters."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: Any, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and entry.name and "projects/<int:pk>/" in route:
                params = re.findall(r"<(?:\w+:)?(\w+)>", route)
                found.append((entry.name, [p for p in params if p != "pk"]))

    walk(get_resolver().url_patterns, "")
    return found


# --- The data: the demo, with people whose details are easy to find -----------------------------

OTHER = "Olwen Ambrose-Tedeschi"
OTHER_EMAIL = "olwen.at@example.net"
OTHER_PHONE = "07700 900999"
OTHER_NEEDS = "Hearing loop and a BSL interpreter"
OTHER_GENDER = "Genderqueer-OAT"
OTHER_ETHNICITY = "Romany-OAT"
OWN_NEEDS = "Large print agenda for Margaret-test"
AUTHOR_USER = "Quentin Penhaligon-User"
AUTHOR_ENTRY = "Quentin Penhaligon-Roster"
AUTHOR_EMAIL = "quentin.penhaligon@example.net"
ANON_TEXT = "The bus to the leisure centre stops at six"
ANON_REASON = "We moved the sessions to the afternoon"
DISSENT = f"{OTHER} wanted the clinic"
OTHERS_PRESENT = "Bartholomew Fitzwilliam-Kaur"


@dataclass
class World:
    project: Project
    second: Project  # the lead's other project
    foreign: Project  # a project the lead has no role in
    users: dict[str, User]
    other: Stakeholder
    own: Stakeholder
    author_entry: Stakeholder
    anonymous_id: int
    decision_id: int

    def key_ids(self) -> set[int]:
        """Ids of the records the checks are about. Ids of different tables may coincide: then
        one more record of that table is fetched, which does no harm."""
        return {
            self.other.pk,
            self.own.pk,
            self.author_entry.pk,
            self.anonymous_id,
            self.decision_id,
        }

    def client_for(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


def build_world() -> World:
    from coprod.web.decisions import services as decisions
    from coprod.web.ledger import services as ledger
    from coprod.web.participation.services import Upload, meeting_upload
    from coprod.web.people import services as people
    from coprod.web.projects.demo import demo_load

    demo_load()
    project = Project.objects.get(stakeholders__user__username="partner")
    second = Project.objects.exclude(pk=project.pk).get(memberships__user__username="lead")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["lead", "researcher", "partner", "observer"])
    }
    users["outsider"] = User.objects.create_user(username="outsider", password="x-long-pw-42")
    foreign = Project.objects.create(title="Somebody else's project")
    Membership.objects.create(project=foreign, user=users["outsider"], role=Role.LEAD)
    lead = users["lead"]

    own = Stakeholder.objects.get(project=project, user=users["partner"])
    people.stakeholder_update(
        person=own, access_needs=OWN_NEEDS, demographics_consent=True, gender="woman"
    )
    other = people.stakeholder_create(
        project=project,
        name=OTHER,
        group="practitioners",
        email=OTHER_EMAIL,
        phone=OTHER_PHONE,
        access_needs=OTHER_NEEDS,
        demographics_consent=True,
        gender=OTHER_GENDER,
        ethnicity=OTHER_ETHNICITY,
        contact_consent=True,
    )
    # The author of an anonymous contribution: a partner with an account and a roster entry.
    author = User.objects.create_user(
        username="quentin", password="x-long-pw-42", email=AUTHOR_EMAIL, display_name=AUTHOR_USER
    )
    users["author"] = author
    Membership.objects.create(project=project, user=author, role=Role.PARTNER)
    author_entry = people.stakeholder_create(
        project=project,
        name=AUTHOR_ENTRY,
        group="patients_public",
        email=AUTHOR_EMAIL,
        contact_consent=True,
    )
    author_entry.user = author
    author_entry.save()

    meeting = people.activity_create(
        project=project, kind="meeting", title="Privacy review meeting", date=dt.date(2026, 5, 4)
    )
    people.attendance_set(activity=meeting, present={own.pk: None, other.pk: None})
    anonymous = ledger.contribution_submit(
        project=project,
        user=author,
        person=author_entry,
        text=ANON_TEXT,
        kind="concern",
        today=dt.date(2026, 5, 4),
        anonymous=True,
        activity=meeting,
    )
    ledger.contribution_dispose(
        contribution=anonymous,
        by=lead,
        disposition="adopted",
        reason=ANON_REASON,
        disposed_on=dt.date(2026, 5, 5),
    )
    ledger.contribution_create(
        project=project,
        recorded_by=lead,
        text="Falls clinics are full",
        kind="evidence",
        made_on=dt.date(2026, 5, 4),
        stakeholder=other,
        activity=meeting,
    )
    decision = decisions.decision_create(
        project=project,
        user=lead,
        participants=[own.pk, other.pk],
        dissenters=[other.pk],
        answers=[anonymous.pk],
        what="Run sessions in the afternoon",
        decided_on=dt.date(2026, 5, 6),
        method="consensus",
        dissent=DISSENT,
        others_present=OTHERS_PRESENT,
        shared_with_partners=True,
    )
    decisions.terms_save(project=project, person=other, role="Adviser", payment="OAT-PAYMENT")
    lines = [f"{OTHER}: We should ask carers too.", f"{own.name}: Agreed, add them."] * 3
    meeting_upload(
        activity=meeting,
        files=[Upload(name="review.txt", data="\n".join(lines).encode())],
        fmt="plain",
    )
    return World(
        project=project,
        second=second,
        foreign=foreign,
        users=users,
        other=other,
        own=own,
        author_entry=author_entry,
        anonymous_id=anonymous.pk,
        decision_id=decision.pk,
    )


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The world is built once per module (loading the demo takes seconds) inside a transaction
    that is rolled back at the end; each test runs in its own savepoint inside it, so what one
    test writes (an erasure, say) is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world: World, db: Any) -> World:
    cache.clear()  # the overview's cache outlives the rolled-back rows
    for entry in (shared_world.other, shared_world.own, shared_world.author_entry):
        entry.refresh_from_db()
    return shared_world


# --- Fetching every address ---------------------------------------------------------------------

ROLES = ("lead", "researcher", "partner", "observer", "outsider", "anonymous")


def param_models() -> dict[str, Any]:
    from coprod.web.costs.models import BudgetLine, Expense, Payment, TeamMember, TimeLog
    from coprod.web.decisions.models import Decision, PublicationRight
    from coprod.web.ledger.models import Contribution
    from coprod.web.participation.models import MeetingBalance, SpeakerName
    from coprod.web.people.models import Activity
    from coprod.web.privacy.models import ErasureRequest
    from coprod.web.projects.models import Aim, AlternativeChoice
    from coprod.web.risks.models import ProjectRisk

    return {
        "aim_id": Aim,
        "alternative_id": AlternativeChoice,
        "membership_id": Membership,
        "risk_id": ProjectRisk,
        "line_id": BudgetLine,
        "log_id": TimeLog,
        "expense_id": Expense,
        "payment_id": Payment,
        "member_id": TeamMember,
        "stakeholder_id": Stakeholder,
        "person_id": Stakeholder,
        "activity_id": (Activity, MeetingBalance),
        "contribution_id": Contribution,
        "decision_id": Decision,
        "right_id": PublicationRight,
        "request_id": ErasureRequest,
        "name_id": SpeakerName,
    }


FIXED = {
    "fmt": ["docx", "pdf", "html"],
    "kind": ["people", "groups"],
    "attribute": ["career_stage", "contract", "gender", "ethnicity"],
}


def ids_in(project: Project, param: str) -> list[int]:
    model = param_models()[param]
    if isinstance(model, tuple):  # activities: those with figures first
        ids = list(model[1].objects.filter(project=project).values_list("activity_id", flat=True))
        model = model[0]
        ids += list(model.objects.filter(project=project).values_list("pk", flat=True))
        return list(dict.fromkeys(ids))
    return list(model.objects.filter(project=project).values_list("pk", flat=True))


SAMPLE = 2


def sample(ids: list[int], *, keep: set[int]) -> list[int]:
    """The objects the checks are about, and a few others of each kind: every address is still
    fetched, without fetching it once per object (which made the sweep take minutes)."""
    chosen = [i for i in ids if i in keep]
    return [*chosen, *[i for i in ids if i not in keep][:SAMPLE]]


def addresses(world: World, project: Project | None = None) -> Iterator[tuple[str, str]]:
    """(url name, address) for every GET address under the project, with every object id of the
    given project (the world's own by default)."""
    from django.urls import reverse

    source = project or world.project
    for name, params in project_routes():
        if name == "costs_rate_add":
            continue  # an organisation's rate card, not a project's record
        choices: list[dict[str, Any]] = [{}]
        for param in params:
            values = FIXED.get(param) or sample(ids_in(source, param), keep=world.key_ids())
            choices = [{**c, param: v} for c in choices for v in values]
        for kwargs in choices:
            yield name, reverse(name, kwargs={"pk": world.project.pk, **kwargs})


class Captured:
    """Text drawn into PDFs and charts while a response is made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import fpdf
        from matplotlib.text import Text

        self.texts: list[str] = []
        set_text = Text.set_text
        normalize = fpdf.FPDF.normalize_text

        def record_text(text_self: Any, s: Any) -> Any:
            self.texts.append(str(s))
            return set_text(text_self, s)

        def record_pdf(pdf_self: Any, text: Any) -> Any:
            self.texts.append(str(text))
            return normalize(pdf_self, text)

        monkeypatch.setattr(Text, "set_text", record_text)
        monkeypatch.setattr(fpdf.FPDF, "normalize_text", record_pdf)


def readable(response: Any, captured: Captured) -> str:
    """Everything a person could read in the response."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = list(captured.texts)
    captured.texts.clear()
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    elif not content.startswith((b"%PDF", b"\x89PNG")):
        parts.append(content.decode("utf-8", "replace"))
    for header in ("Content-Disposition", "Location"):
        if response.has_header(header):
            parts.append(response[header])
    return "\n".join(parts)


def stripped(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def roster_names(world: World) -> list[str]:
    return list(
        Stakeholder.objects.filter(project=world.project, erased_at__isnull=True).values_list(
            "name", flat=True
        )
    )


# --- Partners and observers ---------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("who", ["partner", "observer"])
def test_partners_and_observers_never_read_other_peoples_details(
    world: World, who: str, htmx: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No name (but a partner's own), e-mail, telephone, access needs, gender or ethnicity of
    anyone else, on any page, fragment or download."""
    captured = Captured(monkeypatch)
    forbidden = [
        *roster_names(world),
        OTHER_EMAIL,
        OTHER_PHONE,
        OTHER_NEEDS,
        OTHER_GENDER,
        OTHER_ETHNICITY,
        AUTHOR_EMAIL,
        OTHERS_PRESENT,
        "OAT-PAYMENT",
    ]
    if who == "partner":
        forbidden.remove(world.own.name)
    else:
        forbidden += [OWN_NEEDS]
    client = world.client_for(who)
    headers = {"HX-Request": "true"} if htmx else {}
    leaks = []
    seen = 0
    for name, url in addresses(world):
        response = client.get(url, headers=headers)
        text = readable(response, captured)
        if response.status_code != 200:
            continue
        seen += 1
        if name == "member_list":
            # Everyone in a project sees who else can sign in to it (their accounts' names),
            # never their e-mails: the earlier design of the members page.
            for user in world.users.values():
                text = text.replace(str(user), "")
        leaks += [(url, value) for value in forbidden if value in text]
    assert seen > 40
    assert leaks == []


def test_a_dissent_names_nobody_to_those_who_may_not_see_names(world: World) -> None:
    url = f"/projects/{world.project.pk}/decisions/{world.decision_id}/"
    for who in ("partner", "observer"):
        page = stripped(world.client_for(who).get(url).content.decode())
        assert "[name withheld] wanted the clinic" in page
        assert OTHER.split()[0] not in page
    assert DISSENT in world.client_for("researcher").get(url).content.decode()


def test_withholding_names_keeps_every_other_word() -> None:
    from coprod.web.decisions.selectors import WITHHELD, withhold_names

    names = (["Olwen Ambrose-Tedeschi", "Dr Olwen"], ["Olwen", "Ambrose-Tedeschi"])
    text = "olwen ambrose-tedeschi and Olwen's colleague disagreed; an olwen is not a name here"
    assert withhold_names(text, names) == (
        f"{WITHHELD} and {WITHHELD}'s colleague disagreed; an olwen is not a name here"
    )
    assert withhold_names("", names) == ""
    assert withhold_names("Nobody named", ([], [])) == "Nobody named"


# --- Outsiders, the signed-out, and ids from elsewhere ------------------------------------------


def same_page(one: bytes, other: bytes) -> bool:
    """Whether two answers read the same, once the per-request nonces and tokens are set aside."""

    def plain(content: bytes) -> bytes:
        return re.sub(rb'(nonce|value|content)="[^"]*"', b"", content)

    return plain(one) == plain(other)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outsiders_get_what_a_missing_project_gets_everywhere(world: World, who: str) -> None:
    client = world.client_for(who)
    missing = Project.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    prefix = f"/projects/{world.project.pk}/"
    for _name, url in addresses(world):
        response = client.get(url)
        nowhere = client.get(url.replace(prefix, f"/projects/{missing}/", 1))
        assert response.status_code == nowhere.status_code, url
        if who == "outsider":
            assert response.status_code in (404, 405), url
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert same_page(response.content, nowhere.content), url


def test_ids_from_another_project_are_not_found(world: World) -> None:
    """The lead leads two projects: no id of the second, nor of a project they have no role in,
    opens anything under the first."""
    client = world.client_for("lead")
    elsewhere = [*addresses(world, world.second), *addresses(world, world.foreign)]
    own = {url for _name, url in addresses(world)}
    checked = 0
    for _name, url in elsewhere:
        if url in own:
            continue  # an address with no object id
        checked += 1
        assert client.get(url).status_code in (404, 405), url
    assert checked > 20


def test_refused_writes_leave_no_row_and_no_history(world: World) -> None:
    from django.apps import apps

    def counts() -> dict[str, int]:
        return {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model._meta.app_label
            in {"projects", "people", "ledger", "decisions", "participation", "privacy", "costs"}
        }

    before = counts()
    pk = world.project.pk
    posts = {
        "observer": [
            (f"/projects/{pk}/people/add/", {"name": "Sneaky", "group": "other"}),
            (f"/projects/{pk}/people/{world.other.pk}/", {"name": "Renamed", "group": "other"}),
            (f"/projects/{pk}/ledger/submit/", {"text": "Hi", "kind": "idea"}),
            (f"/projects/{pk}/decisions/new/", {"what": "x", "decided_on": "2026-01-01"}),
            (f"/projects/{pk}/privacy/people/{world.other.pk}/erase/", {"confirm": "on"}),
        ],
        "partner": [
            (f"/projects/{pk}/ledger/record/", {"text": "Hi", "kind": "idea", "group": "other"}),
            (f"/projects/{pk}/ledger/{world.anonymous_id}/", {"text": "Changed"}),
            (f"/projects/{pk}/ledger/{world.anonymous_id}/dispose/", {"disposition": "declined"}),
            (f"/projects/{pk}/decisions/terms/{world.other.pk}/", {"role": "x"}),
            (f"/projects/{pk}/participation/meetings/{world.decision_id}/remove/", {}),
        ],
        "outsider": [
            (f"/projects/{pk}/ledger/submit/", {"text": "Hi", "kind": "idea"}),
            (f"/projects/{pk}/people/add/", {"name": "Sneaky", "group": "other"}),
        ],
    }
    for who, requests in posts.items():
        client = world.client_for(who)
        for url, data in requests:
            assert client.post(url, data).status_code in (403, 404), (who, url)
    assert counts() == before


# --- An anonymous contribution ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "researcher", "partner", "observer"])
def test_an_anonymous_contribution_never_names_its_author(
    world: World, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wherever its text shows, nothing near it names the person who wrote it."""
    captured = Captured(monkeypatch)
    client = world.client_for(who)
    author = [AUTHOR_USER, AUTHOR_ENTRY, AUTHOR_EMAIL, "Quentin"]
    shown = 0
    for _name, url in addresses(world):
        response = client.get(url)
        text = stripped(readable(response, captured))
        for match in re.finditer(re.escape(ANON_TEXT[:30]), text):
            shown += 1
            near = text[max(0, match.start() - 400) : match.end() + 400]
            assert not [a for a in author if a in near], (url, near)
    assert shown > 0 or who == "partner"
    # What a lead downloads about the author's roster entry holds none of it.
    if who == "lead":
        url = f"/projects/{world.project.pk}/privacy/people/{world.author_entry.pk}/data.zip"
        assert ANON_TEXT not in readable(client.get(url), captured)


def test_its_author_sees_it_as_theirs(world: World) -> None:
    client = world.client_for("author")
    page = client.get(f"/projects/{world.project.pk}/ledger/").content.decode()
    assert ANON_TEXT in page
    data = readable(client.get("/my-data/download.zip"), Captured(pytest.MonkeyPatch()))
    assert ANON_TEXT in data


# --- Erasure ------------------------------------------------------------------------------------


def test_erasure_takes_a_roster_spreadsheet_kept_for_an_import(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coprod.web.people.models import RosterUpload
    from coprod.web.privacy import services

    sheet = f"name,group,email\n{OTHER},practitioners,{OTHER_EMAIL}\nAnn Other,other,\n"
    client = world.client_for("researcher")
    upload = SimpleUploadedFile("roster.csv", sheet.encode(), content_type="text/csv")
    response = client.post(f"/projects/{world.project.pk}/people/import/", {"spreadsheet": upload})
    assert response.status_code == 302
    assert any(OTHER_EMAIL.encode() in bytes(u.data) for u in RosterUpload.objects.all())

    services.stakeholder_erase(stakeholder=world.other, by=world.users["lead"])

    assert not [u for u in RosterUpload.objects.all() if OTHER.encode() in bytes(u.data)]
    # The import starts again from its first step.
    step = client.get(f"/projects/{world.project.pk}/people/import/columns/")
    assert step.status_code == 302


def test_an_erased_person_is_on_no_page_or_download(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coprod.web.privacy import services

    captured = Captured(monkeypatch)
    client = world.client_for("lead")
    overview = f"/projects/{world.project.pk}/"
    assert OTHER in client.get(overview).content.decode()  # cached with the name in it
    services.stakeholder_erase(stakeholder=world.other, by=world.users["lead"])
    leaks = []
    for _name, url in addresses(world):
        text = readable(client.get(url), captured)
        leaks += [(url, v) for v in (OTHER, OTHER_EMAIL, OTHER_PHONE, OTHER_NEEDS) if v in text]
    assert leaks == []

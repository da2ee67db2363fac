"""A person's own data: the download holds theirs and nobody else's; erasure removes it from every
table, the history included, and leaves the ledger and the costs as they were."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import connection, models
from django.db.models import Count, Sum, TextField
from django.db.models.functions import Cast
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.core.contributions import ADOPTED, DECIDED, GroupCounts, adoption_by_group
from coprod.core.ids import Disposition, Group
from coprod.web.accounts.models import User
from coprod.web.costs.models import Expense, Payment, TeamMember, TimeLog
from coprod.web.decisions.models import Decision, DecisionParticipant, TermsOfReference
from coprod.web.ledger.models import Contribution
from coprod.web.people.models import Activity, Attendance
from coprod.web.privacy import services
from coprod.web.privacy.audit import DESCRIBE
from coprod.web.privacy.export import JSON_NAME, README_NAME, TABLE_KEYS
from coprod.web.privacy.models import ErasureRequest
from coprod.web.privacy.selectors import dashboard_summary
from coprod.web.projects.models import Invitation, Membership, Project, Role, Stakeholder
from tests.web.conftest import PASSWORD, Team, make_team, make_user

NAME = "Philippa Quennell-Oyelaran"
OLD_NAME = "Pippa Quennell"
EMAIL = "pippa.quennell@example.net"
PHONE = "07700 900461"
OTHER = "Olwen Ambrose-Tedeschi"
OTHER_EMAIL = "olwen.at@example.net"


@dataclass
class Seeded:
    team: Team
    me: Stakeholder
    other: Stakeholder
    member: TeamMember
    other_member: TeamMember


def seed(team: Team) -> Seeded:
    """The partner's roster entry with everything a roster person can have, and another person."""
    project = team.project
    me = Stakeholder.objects.get(project=project, user=team.partner)
    me.name = OLD_NAME  # an earlier name: it must go from the history too
    me.save()
    me.name = NAME
    me.email = EMAIL
    me.phone = PHONE
    me.organisation = "Quennell Carers Circle"
    me.aliases = ["Mrs Q", NAME.split()[0]]
    me.access_needs = "Step-free access; large print"
    me.contact_consent = True
    me.demographics_consent = True
    me.gender = "woman"
    me.ethnicity = "Black British"
    me.joined = dt.date(2026, 1, 5)
    me.save()
    other = Stakeholder.objects.create(
        project=project,
        name=OTHER,
        group=Group.PRACTITIONERS.value,
        email=OTHER_EMAIL,
        phone="07700 900999",
    )
    member = TeamMember.objects.create(
        project=project, name=NAME, user=team.partner, stakeholder=me, role="public contributor"
    )
    member.receives_benefits = True
    member.save()
    other_member = TeamMember.objects.create(project=project, name=OTHER, stakeholder=other)
    TimeLog.objects.create(
        project=project,
        person=member,
        activity="Advisory group",
        date=dt.date(2026, 2, 3),
        hours=Decimal("2.50"),
    )
    TimeLog.objects.create(
        project=project,
        person=other_member,
        activity="Advisory group",
        date=dt.date(2026, 2, 3),
        hours=Decimal("3.00"),
    )
    Expense.objects.create(
        project=project,
        person=member,
        description="Taxi",
        date=dt.date(2026, 2, 3),
        amount=Decimal("12.40"),
    )
    Payment.objects.create(
        project=project,
        person=member,
        activity="Advisory group",
        activity_date=dt.date(2026, 2, 3),
        offered="voucher",
        amount=Decimal("50.00"),
    )
    meeting = Activity.objects.create(
        project=project,
        kind="meeting",
        title="Advisory group 1",
        date=dt.date(2026, 2, 3),
        duration_hours=Decimal("2.50"),
    )
    Attendance.objects.create(project=project, activity=meeting, stakeholder=me)
    Attendance.objects.create(project=project, activity=meeting, stakeholder=other)
    Contribution.objects.create(
        project=project,
        stakeholder=me,
        group=me.group,
        made_on=dt.date(2026, 2, 3),
        activity=meeting,
        kind="idea",
        text='=HYPERLINK("http://x") meet in the library',
        disposition=Disposition.ADOPTED.value,
        submitted_by=team.partner,
    )
    Contribution.objects.create(
        project=project,
        anonymous=True,
        group=me.group,
        submitted_by=team.partner,
        made_on=dt.date(2026, 2, 4),
        kind="concern",
        text="Sessions run too late",
        disposition=Disposition.DECLINED.value,
    )
    Contribution.objects.create(
        project=project,
        stakeholder=other,
        group=other.group,
        made_on=dt.date(2026, 2, 3),
        kind="evidence",
        text="Falls clinics are full",
        disposition=Disposition.ADAPTED.value,
    )
    decision = Decision.objects.create(
        project=project,
        what="Meet in the library",
        decided_on=dt.date(2026, 2, 10),
        method="consensus",
        dissent=f"{OTHER} preferred the clinic",
    )
    DecisionParticipant.objects.create(project=project, decision=decision, stakeholder=me)
    DecisionParticipant.objects.create(
        project=project, decision=decision, stakeholder=other, dissented=True
    )
    TermsOfReference.objects.create(
        project=project,
        stakeholder=me,
        role="Public contributor on the advisory group",
        payment="£25 an hour, in vouchers",
    )
    Invitation.objects.create(project=project, email=EMAIL, role=Role.PARTNER)
    return Seeded(team=team, me=me, other=other, member=member, other_member=other_member)


@pytest.fixture
def seeded(team: Team) -> Seeded:
    return seed(team)


def read_zip(content: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
    return json.loads(files[JSON_NAME]), files


def text_columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


def tables_holding(*values: str) -> list[str]:
    """Every table and column, history tables included, that holds one of the values."""
    found = []
    for model in apps.get_models():
        for field in text_columns(model):
            for value in values:
                rows = model._default_manager.all()
                if isinstance(field, models.JSONField):
                    rows = rows.annotate(_as_text=Cast(field.name, TextField()))
                    lookup = "_as_text__icontains"
                else:
                    lookup = f"{field.name}__icontains"
                if rows.filter(**{lookup: value}).exists():
                    found.append(f"{model._meta.label}.{field.name} holds {value!r}")
    return found


def ledger_counts(project: Project) -> dict[tuple[str, str], int]:
    rows = (
        Contribution.objects.filter(project=project)
        .values("group", "disposition")
        .annotate(n=Count("id"))
    )
    return {(row["group"], row["disposition"]): row["n"] for row in rows}


def group_counts(project: Project) -> list[GroupCounts]:
    """Adopted and decided contributions per group, as the ledger's adoption test takes them."""
    counts = ledger_counts(project)
    groups = sorted({group for group, _ in counts if group})
    return [
        GroupCounts(
            group=Group(group),
            adopted=sum(n for (g, d), n in counts.items() if g == group and d in ADOPTED),
            decided=sum(n for (g, d), n in counts.items() if g == group and d in DECIDED),
        )
        for group in groups
    ]


def adoption(project: Project) -> Any:
    result = adoption_by_group(group_counts(project))
    return result.groups, result.test, result.verdict


def costs_totals(project: Project) -> tuple[Any, ...]:
    return (
        TimeLog.objects.filter(project=project).aggregate(Sum("hours"), Count("id")),
        Expense.objects.filter(project=project).aggregate(Sum("amount"), Count("id")),
        Payment.objects.filter(project=project).aggregate(Sum("amount"), Count("id")),
        sorted(TimeLog.objects.filter(project=project).values_list("person_id", "hours")),
    )


# --- The download ---------------------------------------------------------------------------------


def test_a_partner_downloads_their_own_data_and_nobody_elses(seeded: Seeded) -> None:
    response = seeded.team.client_for("partner").get("/my-data/download.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    data, files = read_zip(response.content)
    assert {README_NAME, JSON_NAME, *(f"{key}.csv" for key in TABLE_KEYS)} == set(files)
    assert data["format"] == "coprod-personal-data"
    assert set(TABLE_KEYS) <= set(data)

    (entry,) = data["roster_entries"]
    assert (entry["name"], entry["email"], entry["phone"]) == (NAME, EMAIL, PHONE)
    assert (entry["gender"], entry["ethnicity"]) == ("woman", "Black British")
    assert entry["access_needs"] == "Step-free access; large print"
    assert entry["joined"] == "2026-01-05"  # ISO dates
    assert data["account"][0]["email"] == "partner@example.org"
    assert [m["role"] for m in data["memberships"]] == ["partner"]
    assert data["team_entries"][0]["receives_benefits"] is True
    assert [log["hours"] for log in data["time_logs"]] == ["2.50"]  # money and hours as text
    assert [e["amount"] for e in data["expenses"]] == ["12.40"]
    assert [p["amount"] for p in data["payments"]] == ["50.00"]
    assert [a["hours"] for a in data["attendance"]] == ["2.50"]
    made_as = sorted(c["made_as"] for c in data["contributions"])
    assert made_as == ["anonymous (by you)", "you"]  # the anonymous one they wrote is theirs
    (decision,) = data["decisions"]
    assert decision["people_taking_part"] == 2  # the other is counted, not named
    assert decision["you_disagreed"] is False
    assert data["terms_of_reference"][0]["payment"] == "£25 an hour, in vouchers"
    assert [i["email"] for i in data["invitations"]] == []  # sent to EMAIL, not the account's

    everything = "\n".join(files.values())
    for someone_else in (OTHER, OTHER_EMAIL, "Falls clinics are full", "Researcher", "lead@"):
        assert someone_else not in everything
    # Cells a spreadsheet would run as a formula are escaped.
    assert "'=HYPERLINK" in files["contributions.csv"]
    assert "contributions.csv" in files[README_NAME] and "made_as" in files[README_NAME]


def test_the_my_data_page_counts_what_is_held(seeded: Seeded) -> None:
    response = seeded.team.client_for("partner").get("/my-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-table="contributions"' in page
    assert response.context["held"][TABLE_KEYS.index("contributions")]["count"] == 2
    assert seeded.team.project.title in page


def test_a_lead_downloads_what_is_held_about_a_roster_person(seeded: Seeded) -> None:
    project = seeded.team.project
    url = f"/projects/{project.pk}/privacy/people/{seeded.other.pk}/data.zip"
    response = seeded.team.client_for("lead").get(url)
    assert response.status_code == 200
    data, files = read_zip(response.content)
    assert [e["name"] for e in data["roster_entries"]] == [OTHER]
    assert data["account"] == [] and data["memberships"] == []
    assert [c["text"] for c in data["contributions"]] == ["Falls clinics are full"]
    assert data["decisions"][0]["you_disagreed"] is True
    assert data["time_logs"][0]["hours"] == "3.00"
    assert NAME not in "\n".join(files.values())


def test_the_download_takes_the_same_queries_as_the_data_grows(seeded: Seeded) -> None:
    client = seeded.team.client_for("partner")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/my-data/download.zip").status_code == 200
        return len(context)

    before = queries()
    project = seeded.team.project
    for day in range(1, 6):
        TimeLog.objects.create(
            project=project,
            person=seeded.member,
            activity="Reading",
            date=dt.date(2026, 3, day),
            hours=Decimal(1),
        )
        Contribution.objects.create(
            project=project,
            stakeholder=seeded.me,
            group=seeded.me.group,
            made_on=dt.date(2026, 3, day),
            kind="idea",
            text=f"Idea {day}",
        )
    assert queries() == before


# --- Who may do what ------------------------------------------------------------------------------

ROLES = ("lead", "researcher", "partner", "observer", "outsider", "anonymous")


def project_urls(seeded: Seeded, request_id: int) -> dict[str, str]:
    pk = seeded.team.project.pk
    return {
        "list": f"/projects/{pk}/privacy/",
        "carry_out": f"/projects/{pk}/privacy/requests/{request_id}/",
        "data": f"/projects/{pk}/privacy/people/{seeded.other.pk}/data.zip",
        "erase": f"/projects/{pk}/privacy/people/{seeded.other.pk}/erase/",
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_leads_see_requests_download_a_person_and_erase(seeded: Seeded, role: str) -> None:
    (request,) = services.erasure_request_create(
        user=seeded.team.observer, project=seeded.team.project
    )
    urls = project_urls(seeded, request.pk)
    expected = {
        "lead": 200,
        "researcher": 403,
        "partner": 403,
        "observer": 403,
        "outsider": 404,
        "anonymous": 302,
    }[role]
    client = seeded.team.client_for(role)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == expected, (name, role)
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
    history = Stakeholder.history.count()
    for name in ("carry_out", "erase"):
        response = client.post(urls[name], {"confirm": "on"})
        assert response.status_code == (302 if role == "lead" else expected), (name, role)
    if role != "lead":
        # Refused writes leave nothing behind, not even a history row.
        assert Stakeholder.history.count() == history
        assert ErasureRequest.objects.filter(done_at__isnull=False).count() == 0
        assert Stakeholder.objects.get(pk=seeded.other.pk).name == OTHER


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_has_their_own_data_pages(seeded: Seeded, role: str) -> None:
    client = seeded.team.client_for(role)
    for url in ("/my-data/", "/my-data/download.zip", "/my-data/erase/"):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 200, url


def test_a_missing_project_or_person_is_not_found(seeded: Seeded) -> None:
    client = seeded.team.client_for("lead")
    other = make_team_project(seeded)
    assert client.get(f"/projects/{other.pk + 1000}/privacy/").status_code == 404
    outsider_person = Stakeholder.objects.create(project=other, name="Elsewhere", group="other")
    pk = seeded.team.project.pk
    assert (
        client.get(f"/projects/{pk}/privacy/people/{outsider_person.pk}/erase/").status_code == 404
    )
    assert client.get(f"/projects/{pk}/privacy/requests/999/").status_code == 404


def make_team_project(seeded: Seeded) -> Project:
    return Project.objects.create(title="Another project")


def test_nobody_withdraws_another_persons_request(seeded: Seeded) -> None:
    (request,) = services.erasure_request_create(
        user=seeded.team.partner, project=seeded.team.project
    )
    response = seeded.team.client_for("lead").post(f"/my-data/requests/{request.pk}/withdraw/")
    assert response.status_code == 404
    assert ErasureRequest.objects.filter(pk=request.pk).exists()
    response = seeded.team.client_for("partner").post(f"/my-data/requests/{request.pk}/withdraw/")
    assert response.status_code == 302
    assert not ErasureRequest.objects.filter(pk=request.pk).exists()


# --- Asking and erasing ---------------------------------------------------------------------------


def test_a_partner_asks_and_the_lead_erases_them_everywhere(seeded: Seeded) -> None:
    team, project = seeded.team, seeded.team.project
    counts, adopted, costs = ledger_counts(project), adoption(project), costs_totals(project)
    contributions = Contribution.objects.filter(project=project).count()
    assert tables_holding(NAME, OLD_NAME, EMAIL, PHONE)  # the scan does find them

    partner = team.client_for("partner")
    page = partner.get("/my-data/erase/")
    assert "What will stay" in page.content.decode()
    refused = partner.post("/my-data/erase/", {"scope": str(project.pk)})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not ErasureRequest.objects.exists()
    response = partner.post("/my-data/erase/", {"scope": str(project.pk), "confirm": "on"})
    assert response.status_code == 302
    (request,) = ErasureRequest.objects.all()
    assert (request.user, request.project, request.done_at) == (team.partner, project, None)

    summary = dashboard_summary(project, user=team.lead)
    assert summary is not None and [r.pk for r in summary.open] == [request.pk]
    assert dashboard_summary(project, user=team.researcher) is None
    lead = team.client_for("lead")
    assert "Partner" in lead.get(f"/projects/{project.pk}/privacy/").content.decode()
    unconfirmed = lead.post(f"/projects/{project.pk}/privacy/requests/{request.pk}/", {})
    assert unconfirmed.status_code == 400
    assert Stakeholder.objects.get(pk=seeded.me.pk).name == NAME
    done = lead.post(f"/projects/{project.pk}/privacy/requests/{request.pk}/", {"confirm": "on"})
    assert done.status_code == 302

    assert tables_holding(NAME, OLD_NAME, EMAIL, PHONE, "Quennell") == []
    me = Stakeholder.objects.get(pk=seeded.me.pk)
    assert me.name == "Erased person 1" and me.erased_at is not None and me.user is None
    assert (me.gender, me.ethnicity, me.demographics_consent, me.contact_consent) == (
        "",
        "",
        False,
        False,
    )
    member = TeamMember.objects.get(pk=seeded.member.pk)
    assert (member.name, member.user, member.receives_benefits) == ("Erased person 1", None, False)
    # The ledger is whole: the same contributions, counts by group and disposition, and test.
    assert Contribution.objects.filter(project=project).count() == contributions
    assert ledger_counts(project) == counts
    assert adoption(project) == adopted
    assert not Contribution.objects.filter(submitted_by=team.partner).exists()
    assert Contribution.objects.filter(project=project, anonymous=True).count() == 2
    # The costs are unchanged; attendance and decisions still count the person.
    assert costs_totals(project) == costs
    assert Attendance.objects.filter(stakeholder=me).count() == 1
    assert DecisionParticipant.objects.filter(stakeholder=me).count() == 1
    # Their role in the project is gone, and nothing in the project's history names the account.
    assert not Membership.objects.filter(project=project, user=team.partner).exists()
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and "project" in {
            f.name for f in model._meta.fields
        }:
            assert not model._default_manager.filter(
                project_id=project.pk, history_user_id=team.partner.pk
            ).exists(), model
    # The account stays (only one project was asked for); the request is an audit event.
    assert User.objects.get(pk=team.partner.pk).is_active
    request.refresh_from_db()
    assert (request.user, request.done_by, request.erased_as) == (
        None,
        team.lead,
        "Erased person 1",
    )
    assert not ErasureRequest.history.filter(user_id=team.partner.pk).exists()
    assert dashboard_summary(project, user=team.lead).count == 0  # type: ignore[union-attr]


def test_a_lead_erases_a_roster_person_directly(seeded: Seeded) -> None:
    project = seeded.team.project
    counts, costs = ledger_counts(project), costs_totals(project)
    lead = seeded.team.client_for("lead")
    url = f"/projects/{project.pk}/privacy/people/{seeded.other.pk}/erase/"
    assert "What will be erased" in lead.get(url).content.decode()
    assert lead.post(url, {"confirm": "on"}).status_code == 302
    assert tables_holding(OTHER, OTHER_EMAIL, "07700 900999") == []
    assert ledger_counts(project) == counts and costs_totals(project) == costs
    other = Stakeholder.objects.get(pk=seeded.other.pk)
    assert other.name == "Erased person 1"
    (event,) = ErasureRequest.objects.all()
    assert (event.asked_in_coprod, event.done_by, event.user) == (False, seeded.team.lead, None)
    # The partner's data is untouched, and a second erasure gets the next number.
    assert Stakeholder.objects.get(pk=seeded.me.pk).name == NAME
    services.stakeholder_erase(stakeholder=seeded.me, by=seeded.team.lead)
    assert Stakeholder.objects.get(pk=seeded.me.pk).name == "Erased person 2"
    assert lead.post(url, {"confirm": "on"}).status_code == 302  # already erased: nothing happens
    assert ErasureRequest.objects.count() == 2


def test_erasing_the_whole_account(seeded: Seeded) -> None:
    team, project = seeded.team, seeded.team.project
    partner = User.objects.get(pk=team.partner.pk)
    partner.display_name = "Philippa Q"
    partner.email = "philippa.account@example.net"
    partner.first_name, partner.last_name = "Philippa", "Quennell-Oyelaran"
    partner.save()
    second = Project.objects.create(title="A second project")
    Membership.objects.create(project=second, user=partner, role=Role.PARTNER)
    costs = costs_totals(project)
    client = team.client_for("partner")
    assert client.post("/my-data/erase/", {"scope": "all", "confirm": "on"}).status_code == 302
    first_part, second_part = ErasureRequest.objects.order_by("project__title")
    assert first_part.all_projects and second_part.all_projects

    services.erasure_request_carry_out(request=second_part, by=team.lead)
    assert User.objects.get(pk=partner.pk).is_active  # one part still open
    services.erasure_request_carry_out(request=first_part, by=team.lead)
    erased = User.objects.get(pk=partner.pk)
    assert not erased.is_active and not erased.has_usable_password()
    assert (erased.email, erased.display_name, erased.first_name) == ("", "", "")
    assert erased.username == f"erased-{partner.pk}"
    assert tables_holding(NAME, EMAIL, PHONE, "philippa.account@", "Philippa") == []
    assert not User.history.filter(id=partner.pk, username="partner").exists()
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            assert not model._default_manager.filter(history_user_id=partner.pk).exists(), model
    assert not Membership.objects.filter(user=partner).exists()
    assert costs_totals(project) == costs
    # They can no longer sign in.
    signing_in = RequestFactory().post("/accounts/login/")
    assert authenticate(signing_in, username="partner", password=PASSWORD) is None
    assert client.get("/my-data/").status_code == 302


def test_someone_in_no_project_is_erased_at_once(db: Any) -> None:
    loner = make_user("loner")
    client = make_client(loner)
    response = client.post("/my-data/erase/", {"scope": "all", "confirm": "on"})
    assert response.status_code == 200
    assert "has been erased" in response.content.decode()
    loner.refresh_from_db()
    assert not loner.is_active and loner.email == ""
    assert tables_holding("loner@example.org") == []
    (event,) = ErasureRequest.objects.all()
    assert event.done_at is not None and event.user is None


def make_client(user: User) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_only_lead_cannot_be_erased_before_naming_another(team: Team) -> None:
    (request,) = services.erasure_request_create(user=team.lead, project=team.project)
    lead = team.client_for("lead")
    response = lead.post(
        f"/projects/{team.project.pk}/privacy/requests/{request.pk}/", {"confirm": "on"}
    )
    assert response.status_code == 400
    assert "only lead" in response.content.decode()
    assert Membership.objects.filter(project=team.project, user=team.lead).exists()
    assert ErasureRequest.objects.get(pk=request.pk).is_open


def test_asking_twice_keeps_one_open_request(team: Team) -> None:
    services.erasure_request_create(user=team.partner, project=team.project)
    services.erasure_request_create(user=team.partner, project=team.project)
    assert ErasureRequest.objects.count() == 1
    services.erasure_request_create(user=team.partner, project=None, all_projects=True)
    (request,) = ErasureRequest.objects.all()
    assert request.all_projects


def test_the_record_of_changes_says_an_erasure_happened_without_the_data() -> None:
    done = {"erased_as": "Erased person 3", "done_at": dt.datetime(2026, 3, 1, tzinfo=dt.UTC)}
    assert DESCRIBE["erasure"]("~", done) == (
        "Erased a person's personal data: they are now “Erased person 3”"
    )
    assert DESCRIBE["erasure"]("+", {"done_at": None}) == "Someone asked to be erased"
    assert DESCRIBE["erasure"]("-", {}) == "A request to be erased was withdrawn"


# --- The ledger's counts, whatever the contributions ----------------------------------------------

GROUPS = [Group.PATIENTS_PUBLIC.value, Group.PRACTITIONERS.value, Group.MANAGERS.value]
DISPOSITIONS = [d.value for d in Disposition]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["me", "other", "group", "anonymous"]),
            st.sampled_from(GROUPS),
            st.sampled_from(DISPOSITIONS),
        ),
        max_size=25,
    )
)
@pytest.mark.django_db
def test_erasure_never_changes_the_counts_by_group_and_disposition(
    rows: list[tuple[str, str, str]],
) -> None:
    team = make_team_cached()
    project = team.project
    Contribution.objects.filter(project=project).delete()
    Stakeholder.objects.filter(project=project).update(erased_at=None)
    me = Stakeholder.objects.create(project=project, name=NAME, group=GROUPS[0], user=None)
    other = Stakeholder.objects.create(project=project, name=OTHER, group=GROUPS[1])
    for who, group, disposition in rows:
        Contribution.objects.create(
            project=project,
            stakeholder={"me": me, "other": other}.get(who),
            anonymous=who == "anonymous",
            group=group,
            made_on=dt.date(2026, 4, 1),
            kind="idea",
            text="x",
            disposition=disposition,
        )
    counts, by_group = ledger_counts(project), group_counts(project)
    services.stakeholder_erase(stakeholder=me, by=team.lead)
    assert ledger_counts(project) == counts
    assert group_counts(project) == by_group
    assert not Contribution.objects.filter(stakeholder=me).exists()
    assert Contribution.objects.filter(stakeholder=other).count() == sum(
        1 for who, _, _ in rows if who == "other"
    )


_TEAM: dict[str, Team] = {}


def make_team_cached() -> Team:
    """One team per hypothesis run (each example runs in the same test transaction)."""
    team = _TEAM.get("team")
    if team is None or not Project.objects.filter(pk=team.project.pk).exists():
        User.objects.filter(
            username__in=["lead", "researcher", "partner", "observer", "outsider"]
        ).delete()
        team = make_team()
        _TEAM["team"] = team
    return team


def test_the_demo_leaves_an_erasure_done_and_its_contribution_counted(team: Team) -> None:
    from coprod.web.privacy.demo import demo_privacy

    event = demo_privacy(team.project, lead=team.lead)
    assert event.erased_as == "Erased person 1" and event.done_by == team.lead
    assert tables_holding("Gwen Ellery", "gwen.ellery@") == []
    (kept,) = Contribution.objects.filter(project=team.project, anonymous=True)
    assert kept.group == Group.PATIENTS_PUBLIC.value and kept.disposition == "adopted"
    page = team.client_for("lead").get(f"/projects/{team.project.pk}/privacy/")
    assert "Erased person 1" in page.content.decode()


@pytest.mark.parametrize("discard_text", [True, False])
def test_erasure_leaves_no_name_in_the_meetings_they_spoke_at(
    seeded: Seeded, discard_text: bool
) -> None:
    from coprod.web.participation.models import MeetingBalance, SpeakerFigure
    from coprod.web.participation.services import Upload, meeting_upload

    project = seeded.team.project
    project.discard_transcript_text = discard_text
    project.save()
    meeting = Activity.objects.create(
        project=project, kind="meeting", title="Advisory group", date=dt.date(2026, 5, 1)
    )
    lines = [f"{OTHER}: We should ask carers too.", "Sam Lead: Agreed, let us add them."] * 3
    transcript = Upload(name="advisory.txt", data="\n".join(lines).encode())
    balance = meeting_upload(activity=meeting, files=[transcript], fmt="plain")
    words_before = sorted(
        SpeakerFigure.objects.filter(meeting=balance).values_list("words", flat=True)
    )
    assert tables_holding(OTHER) != []  # the label is kept with the figures until erasure

    services.stakeholder_erase(stakeholder=seeded.other, by=seeded.team.lead)

    assert tables_holding(OTHER) == []
    balance = MeetingBalance.objects.get(pk=balance.pk)
    words_after = sorted(
        SpeakerFigure.objects.filter(meeting=balance).values_list("words", flat=True)
    )
    assert words_after == words_before  # the figures still count what they said

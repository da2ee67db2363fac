"""The contribution ledger in the browser's pages (SPEC C6): recording and submitting, deciding,
feedback prompts, adoption by group, "you said, we did", exports, anonymity, who may do what, and
a fixed number of queries.

Expected figures are never written here by hand: they are what the core (and scipy) computes for
the rows the test left in the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.core import contributions as core
from coprod.core.ids import Disposition, Group
from coprod.formats.safe_export import unescape_cell
from coprod.web.ledger import selectors, services
from coprod.web.ledger.demo import DEMO, demo_ledger
from coprod.web.ledger.models import Contribution
from coprod.web.people.models import Activity
from coprod.web.projects.models import Project, Stakeholder
from tests.web.conftest import Team, make_team

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Ledger:
    team: Team
    own_person: Stakeholder  # the partner's roster entry
    other_person: Stakeholder
    own: Contribution  # the partner's, named, pending
    other: Contribution  # someone else's, named
    secret: Contribution  # the partner's, anonymous
    group_view: Contribution  # a whole group's
    activity: Activity

    @property
    def project(self) -> Project:
        return self.team.project


def make_ledger() -> Ledger:
    team = make_team()
    project = team.project
    own_person = project.stakeholders.get(user=team.partner)
    other_person = project.stakeholders.exclude(group=own_person.group).first()
    assert other_person is not None
    activity = Activity.objects.create(
        project=project, kind="meeting", title="Advisory group, May", date=today(), stage="analysis"
    )
    own = services.contribution_submit(
        project=project,
        user=team.partner,
        person=own_person,
        text="Ask the people who stopped coming why they stopped.",
        kind="idea",
        today=today(),
    )
    other = services.contribution_create(
        project=project,
        recorded_by=team.lead,
        text="Report rates per 1,000 people over 65.",
        kind="recommendation",
        made_on=today() - dt.timedelta(days=3),
        stakeholder=other_person,
        activity=activity,
    )
    secret = services.contribution_submit(
        project=project,
        user=team.partner,
        person=own_person,
        text="The researchers talk over the public members.",
        kind="concern",
        today=today(),
        anonymous=True,
    )
    group_view = services.contribution_create(
        project=project,
        recorded_by=team.researcher,
        text="Managers want the headline rate only.",
        kind="recommendation",
        made_on=today() - dt.timedelta(days=2),
        group="managers",
    )
    return Ledger(team, own_person, other_person, own, other, secret, group_view, activity)


@pytest.fixture
def ledger(db: Any) -> Ledger:
    return make_ledger()


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def row_html(page: str, contribution: Contribution) -> str:
    match = re.search(rf'<tr id="contribution-{contribution.pk}".*?</tr>', page, re.S)
    assert match, f"contribution {contribution.pk} is not on the page"
    return match.group(0)


def url(name: str, ledger: Ledger, **kwargs: Any) -> str:
    return reverse(name, kwargs={"pk": ledger.project.pk, **kwargs})


# --- Recording, submitting, changing --------------------------------------------------------------


def test_the_team_records_a_contribution_for_a_person_a_group_or_nobody(ledger: Ledger) -> None:
    client = ledger.team.client_for("researcher")
    base = {"made_on": today().isoformat(), "kind": "question", "activity": ledger.activity.pk}
    for who, text in (
        (f"person:{ledger.other_person.pk}", "From a person"),
        ("group:practitioners", "From a group"),
        ("anonymous", "From nobody named"),
    ):
        response = client.post(
            url("contribution_record", ledger), {**base, "who": who, "text": text}
        )
        assert response.status_code == 302, page_text(response)[:800]
    person = Contribution.objects.get(text="From a person")
    assert person.stakeholder == ledger.other_person
    assert person.group == ledger.other_person.group
    assert person.stage == "analysis"  # taken from the activity
    group = Contribution.objects.get(text="From a group")
    assert (group.stakeholder, group.group, group.anonymous) == (None, "practitioners", False)
    nobody = Contribution.objects.get(text="From nobody named")
    assert (nobody.stakeholder, nobody.anonymous) == (None, True)


def test_a_record_without_who_or_text_is_refused_with_the_field_named(ledger: Ledger) -> None:
    client = ledger.team.client_for("lead")
    before = Contribution.objects.count()
    response = client.post(
        url("contribution_record", ledger), {"made_on": "", "kind": "idea", "text": " ", "who": ""}
    )
    page = page_text(response)
    assert response.status_code == 400
    assert "Nothing was saved" in page
    assert 'href="#id_who"' in page and 'href="#id_text"' in page and 'href="#id_made_on"' in page
    assert Contribution.objects.count() == before


def test_an_anonymous_contribution_can_name_nobody() -> None:
    team = make_team()
    person = team.project.stakeholders.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            project=team.project,
            stakeholder=person,
            anonymous=True,
            made_on=today(),
            kind="idea",
            text="x",
        )


def test_a_partner_submits_with_their_group_and_may_stay_anonymous(ledger: Ledger) -> None:
    client = ledger.team.client_for("partner")
    response = client.get(url("contribution_submit", ledger))
    assert response.status_code == 200
    assert "Do not show my name with it" in page_text(response)
    response = client.post(
        url("contribution_submit", ledger), {"text": "Named one", "kind": "question"}
    )
    assert response.status_code == 302
    named = Contribution.objects.get(text="Named one")
    assert named.stakeholder == ledger.own_person and named.group == ledger.own_person.group
    assert named.made_on == today() and named.submitted_by == ledger.team.partner
    client.post(
        url("contribution_submit", ledger),
        {"text": "Hidden one", "kind": "concern", "anonymous": "on", "leave_out_group": "on"},
    )
    hidden = Contribution.objects.get(text="Hidden one")
    assert (hidden.stakeholder, hidden.group, hidden.anonymous) == (None, "", True)


def test_leaving_out_the_group_needs_anonymity(ledger: Ledger) -> None:
    response = ledger.team.client_for("partner").post(
        url("contribution_submit", ledger), {"text": "x", "kind": "idea", "leave_out_group": "on"}
    )
    assert response.status_code == 400
    assert 'href="#id_leave_out_group"' in page_text(response)
    assert not Contribution.objects.filter(text="x").exists()


def test_a_partner_not_on_the_roster_is_told_to_ask_the_lead(ledger: Ledger) -> None:
    ledger.own_person.user = None
    ledger.own_person.save()
    client = ledger.team.client_for("partner")
    response = client.get(url("contribution_submit", ledger))
    assert "not on this project's list of people" in page_text(response)
    assert (
        client.post(url("contribution_submit", ledger), {"text": "x", "kind": "idea"}).status_code
        == 403
    )


def test_a_partner_rewords_their_own_only_while_pending(ledger: Ledger) -> None:
    client = ledger.team.client_for("partner")
    edit = url("contribution_edit", ledger, contribution_id=ledger.own.pk)
    response = client.post(edit, {"text": "Reworded"})
    assert response.status_code == 302
    ledger.own.refresh_from_db()
    assert ledger.own.text == "Reworded"
    services.contribution_dispose(
        contribution=ledger.own,
        by=ledger.team.lead,
        disposition="adopted",
        reason="Good idea",
        disposed_on=today(),
    )
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"text": "Again"}).status_code == 403
    ledger.own.refresh_from_db()
    assert ledger.own.text == "Reworded"
    # Someone else's is not there for them at all; their anonymous one is theirs.
    other = url("contribution_edit", ledger, contribution_id=ledger.other.pk)
    assert client.get(other).status_code == 404
    secret = url("contribution_edit", ledger, contribution_id=ledger.secret.pk)
    assert client.post(secret, {"text": "Still anonymous"}).status_code == 302
    ledger.secret.refresh_from_db()
    assert ledger.secret.anonymous and ledger.secret.text == "Still anonymous"


def test_the_team_can_never_give_an_anonymous_contribution_a_name(ledger: Ledger) -> None:
    client = ledger.team.client_for("lead")
    edit = url("contribution_edit", ledger, contribution_id=ledger.secret.pk)
    response = client.post(
        edit,
        {
            "who": f"person:{ledger.own_person.pk}",
            "made_on": today().isoformat(),
            "kind": "concern",
            "text": "Named now?",
        },
    )
    assert response.status_code == 400
    ledger.secret.refresh_from_db()
    assert ledger.secret.anonymous and ledger.secret.stakeholder is None
    with pytest.raises(Exception, match="stays anonymous"):
        services.contribution_update(
            contribution=ledger.secret,
            by=ledger.team.lead,
            text="x",
            kind="idea",
            made_on=today(),
            stakeholder=None,
            group="",
            anonymous=False,
            activity=None,
            stage="",
        )


# --- The disposition flow -------------------------------------------------------------------------


def test_the_lead_decides_what_became_of_a_contribution(ledger: Ledger) -> None:
    client = ledger.team.client_for("lead")
    dispose = url("contribution_dispose", ledger, contribution_id=ledger.own.pk)
    page = page_text(client.get(dispose))
    assert ledger.own.text in page
    for value in ("adopted", "adapted", "deferred", "declined", "out_of_scope", "pending"):
        assert f'value="{value}"' in page
    response = client.post(
        dispose,
        {
            "disposition": "adapted",
            "reason": "We added it, for those who left in the first month.",
            "changed": "Interview guide, version 3",
            "disposed_on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    ledger.own.refresh_from_db()
    assert ledger.own.disposition == "adapted"
    assert ledger.own.changed == "Interview guide, version 3"
    assert ledger.own.disposed_by == ledger.team.lead
    assert ledger.own.told_on is None
    row = row_html(page_text(client.get(url("contribution_list", ledger))), ledger.own)
    assert "Adapted" in row and "Interview guide, version 3" in row
    # The partner sees what was done, and why.
    mine = page_text(ledger.team.client_for("partner").get(url("you_said_we_did_mine", ledger)))
    assert "We added it, for those who left in the first month." in mine


@pytest.mark.parametrize(
    "disposition", ["adopted", "adapted", "deferred", "declined", "out_of_scope"]
)
def test_every_decision_but_pending_needs_a_reason(ledger: Ledger, disposition: str) -> None:
    client = ledger.team.client_for("researcher")
    dispose = url("contribution_dispose", ledger, contribution_id=ledger.other.pk)
    response = client.post(
        dispose, {"disposition": disposition, "reason": "  ", "disposed_on": today().isoformat()}
    )
    assert response.status_code == 400
    assert 'href="#id_reason"' in page_text(response)
    ledger.other.refresh_from_db()
    assert ledger.other.disposition == "pending"
    pending = client.post(dispose, {"disposition": "pending", "reason": ""})
    assert pending.status_code == 302


def test_nobody_is_told_before_they_spoke(ledger: Ledger) -> None:
    response = ledger.team.client_for("lead").post(
        url("contribution_dispose", ledger, contribution_id=ledger.other.pk),
        {
            "disposition": "declined",
            "reason": "Not now",
            "disposed_on": today().isoformat(),
            "told_on": (ledger.other.made_on - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert 'href="#id_told_on"' in page_text(response)
    ledger.other.refresh_from_db()
    assert ledger.other.disposition == "pending"


def test_mark_as_told_for_many_at_once(ledger: Ledger) -> None:
    client = ledger.team.client_for("lead")
    ids = [ledger.own.pk, ledger.group_view.pk]
    before = Contribution.history.count()  # type: ignore[attr-defined]
    response = client.post(
        url("contribution_told", ledger), {"told": ids, "told_on": today().isoformat()}
    )
    assert response.status_code == 302
    told = dict(Contribution.objects.filter(pk__in=ids).values_list("pk", "told_on"))
    assert told == {pk: today() for pk in ids}
    assert Contribution.history.count() == before + 2  # type: ignore[attr-defined]
    none = client.post(url("contribution_told", ledger), {"told_on": today().isoformat()})
    assert none.status_code == 400
    assert "Tick at least one contribution" in page_text(none)


# --- Feedback prompts -----------------------------------------------------------------------------


def test_the_ledger_shows_what_was_said_at_one_activity(ledger: Ledger) -> None:
    client = ledger.team.client_for("lead")
    page = page_text(
        client.get(url("contribution_list", ledger) + f"?activity={ledger.activity.pk}")
    )
    assert f'id="contribution-{ledger.other.pk}"' in page  # said at the advisory group
    for elsewhere in (ledger.own, ledger.group_view):
        assert f'id="contribution-{elsewhere.pk}"' not in page
    # The activity's own page links to exactly this view of the ledger.
    activity_page = page_text(
        client.get(reverse("activity_detail", args=[ledger.project.pk, ledger.activity.pk]))
    )
    assert f"/ledger/?activity={ledger.activity.pk}" in activity_page


def _aged(ledger: Ledger, days: int, **extra: Any) -> Contribution:
    return services.contribution_create(
        project=ledger.project,
        recorded_by=ledger.team.lead,
        text=f"Said {days} days ago {extra}",
        kind="idea",
        made_on=today() - dt.timedelta(days=days),
        **({"group": "practitioners"} | extra),
    )


def test_feedback_is_overdue_after_the_set_days_and_not_before(ledger: Ledger) -> None:
    on_time = _aged(ledger, 30)
    late = _aged(ledger, 31)
    client = ledger.team.client_for("lead")
    page = page_text(client.get(url("contribution_list", ledger)))
    assert "Overdue by 1 day" in row_html(page, late)
    assert "Overdue" not in row_html(page, on_time)
    assert "1 contributor has not been told" in page
    only = page_text(client.get(url("contribution_list", ledger) + "?overdue=on"))
    assert f'id="contribution-{late.pk}"' in only
    assert f'id="contribution-{on_time.pk}"' not in only
    # Telling them clears it.
    client.post(
        url("contribution_told", ledger), {"told": [late.pk], "told_on": today().isoformat()}
    )
    assert selectors.totals(ledger.project, today=today()).overdue == 0


def test_the_lead_sets_the_number_of_days(ledger: Ledger) -> None:
    late = _aged(ledger, 10)
    assert selectors.totals(ledger.project, today=today()).overdue == 0
    client = ledger.team.client_for("lead")
    response = client.post(url("ledger_settings", ledger), {"feedback_days": "7"})
    assert response.status_code == 302
    project = Project.objects.get(pk=ledger.project.pk)
    assert project.feedback_days == 7
    assert project.history.first().feedback_days == 7  # type: ignore[attr-defined]
    page = page_text(client.get(url("contribution_list", ledger)))
    assert "Overdue by 3 days" in row_html(page, late)
    bad = client.post(url("ledger_settings", ledger), {"feedback_days": "0"})
    assert bad.status_code == 400 and 'href="#id_feedback_days"' in page_text(bad)


def test_nobody_to_tell_is_never_overdue(ledger: Ledger) -> None:
    anonymous = _aged(ledger, 90, anonymous=True, group="")
    quiet = ledger.project.stakeholders.filter(user__isnull=True).first()
    quiet.contact_consent = False
    quiet.save()
    unconsented = _aged(ledger, 90, stakeholder=quiet, group="")
    rows = {
        row.contribution.pk: row
        for row in selectors.ledger_rows(ledger.project, user=ledger.team.lead, today=today())
    }
    assert rows[anonymous.pk].days_late is None
    assert rows[unconsented.pk].days_late is None
    quiet.contact_consent = True
    quiet.save()
    assert selectors.totals(ledger.project, today=today()).overdue == 1


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ages=st.lists(
        st.tuples(
            st.integers(0, 90),  # days ago
            st.booleans(),  # told
            st.sampled_from(["anonymous", "group", "consented", "unconsented"]),
            st.sampled_from(list(Disposition)),
        ),
        min_size=1,
        max_size=8,
    ),
    days=st.integers(1, 60),
)
def test_the_query_flags_exactly_what_the_core_calls_overdue(
    ledger: Ledger, ages: list[tuple[int, bool, str, Disposition]], days: int
) -> None:
    Contribution.objects.filter(project=ledger.project).delete()
    project = Project.objects.get(pk=ledger.project.pk)
    project.feedback_days = days
    consented, unconsented = (
        ledger.other_person,
        ledger.project.stakeholders.filter(user__isnull=True)
        .exclude(pk=ledger.other_person.pk)
        .first(),
    )
    Stakeholder.objects.filter(pk=consented.pk).update(contact_consent=True)
    Stakeholder.objects.filter(pk=unconsented.pk).update(contact_consent=False)
    for ago, told, who, disposition in ages:
        made_on = today() - dt.timedelta(days=ago)
        Contribution.objects.create(
            project=project,
            stakeholder={"consented": consented, "unconsented": unconsented}.get(who),
            group="" if who == "anonymous" else "practitioners",
            anonymous=who == "anonymous",
            made_on=made_on,
            told_on=made_on if told else None,
            kind="idea",
            text="x",
            disposition=disposition.value,
        )
    flagged = 0
    for row in selectors.annotated(project, today=today()):
        expected = core.feedback_overdue(
            made_on=row.made_on,
            told_on=row.told_on,
            today=today(),
            days=days,
            disposition=Disposition(row.disposition),
            contactable=not row.anonymous
            and (
                row.stakeholder is None
                or row.stakeholder.contact_consent
                or bool(row.stakeholder.user_id)
            ),
        )
        assert row.overdue == (expected is not None)
        flagged += expected is not None
    assert selectors.totals(project, today=today()).overdue == flagged


# --- Adoption by group ----------------------------------------------------------------------------


def _decided(ledger: Ledger, group: str, adopted: int, other: int, pending: int = 0) -> None:
    for index in range(adopted + other + pending):
        row = services.contribution_create(
            project=ledger.project,
            recorded_by=ledger.team.lead,
            text=f"{group} {index}",
            kind="idea",
            made_on=today(),
            group=group,
        )
        if index < adopted + other:
            services.contribution_dispose(
                contribution=row,
                by=ledger.team.lead,
                disposition=("adopted" if index % 2 else "adapted")
                if index < adopted
                else "deferred",
                reason="Because",
                disposed_on=today(),
            )


def test_adoption_figures_on_known_counts_match_the_core_and_scipy(ledger: Ledger) -> None:
    from scipy import stats  # type: ignore[import-untyped]

    Contribution.objects.filter(project=ledger.project).delete()
    _decided(ledger, "patients_public", adopted=6, other=14, pending=3)
    _decided(ledger, "practitioners", adopted=15, other=5)
    counts = selectors.adoption_counts(ledger.project)
    assert counts == [
        core.GroupCounts(Group.PATIENTS_PUBLIC, adopted=6, decided=20),
        core.GroupCounts(Group.PRACTITIONERS, adopted=15, decided=20),
    ] or sorted(counts, key=lambda c: c.group.value) == sorted(
        [
            core.GroupCounts(Group.PATIENTS_PUBLIC, adopted=6, decided=20),
            core.GroupCounts(Group.PRACTITIONERS, adopted=15, decided=20),
        ],
        key=lambda c: c.group.value,
    )
    result = core.adoption_by_group(counts)
    chi = stats.chi2_contingency([[6, 14], [15, 5]])
    assert result.test is not None and result.test.method == "chi-square"
    assert result.test.p_value == pytest.approx(chi.pvalue)
    page = page_text(ledger.team.client_for("observer").get(url("contribution_list", ledger)))
    assert result.verdict in page
    assert f"{result.test.statistic:.2f}" in page
    assert core.p_text(float(chi.pvalue)) in page
    table = re.search(r"<table data-adoption>.*?</table>", page, re.S).group(0)  # type: ignore[union-attr]
    assert re.search(
        r'data-group="patients_public".*?data-adopted>6<.*?data-decided>20<.*?30%', table, re.S
    )
    assert re.search(
        r'data-group="practitioners".*?data-adopted>15<.*?data-decided>20<.*?75%', table, re.S
    )
    assert "oliver" not in page.lower() or "Oliver" in page  # the paper's source is shown
    assert "cherry-picked" in page


def test_small_counts_use_fishers_test_with_a_caution(ledger: Ledger) -> None:
    from scipy import stats

    Contribution.objects.filter(project=ledger.project).delete()
    _decided(ledger, "patients_public", adopted=1, other=3)
    _decided(ledger, "managers", adopted=4, other=0)
    result = selectors.adoption(ledger.project)
    assert result.test is not None and result.test.method == "fisher"
    assert result.test.p_value == pytest.approx(stats.fisher_exact([[1, 3], [4, 0]]).pvalue)
    page = page_text(ledger.team.client_for("lead").get(url("contribution_list", ledger)))
    assert result.caution is not None and result.caution in page
    assert result.test.p_text in page


def test_the_adoption_chart_is_a_png(ledger: Ledger) -> None:
    _decided(ledger, "patients_public", adopted=2, other=1)
    response = ledger.team.client_for("partner").get(url("contribution_adoption_chart", ledger))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_adoption_counts_are_one_aggregate_query(ledger: Ledger) -> None:
    _decided(ledger, "patients_public", adopted=3, other=2)
    with CaptureQueriesContext(connection) as captured:
        selectors.adoption_counts(ledger.project)
    assert len(captured) == 1
    assert "GROUP BY" in captured[0]["sql"].upper()


# --- Anonymity everywhere -------------------------------------------------------------------------


def _names(ledger: Ledger) -> list[str]:
    partner = ledger.team.partner
    return [ledger.own_person.name, str(partner), partner.username, partner.email]


@pytest.mark.parametrize("who", ["lead", "researcher", "observer"])
def test_an_anonymous_contribution_names_nobody_on_the_ledger(ledger: Ledger, who: str) -> None:
    page = page_text(ledger.team.client_for(who).get(url("contribution_list", ledger)))
    row = row_html(page, ledger.secret)
    assert "Anonymous" in row
    for name in _names(ledger):
        assert name not in row
    if who != "observer":
        assert ledger.other_person.name in row_html(page, ledger.other)
    else:
        for person in ledger.project.stakeholders.all():
            assert person.name not in page


@pytest.mark.parametrize("who", ["lead", "observer"])
def test_exports_name_only_those_one_may_see(ledger: Ledger, who: str) -> None:
    client = ledger.team.client_for(who)
    response = client.get(url("ledger_csv", ledger))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_text = {unescape_cell(row["text"]): row for row in rows}
    secret = by_text[ledger.secret.text]
    assert secret["who"] == "Anonymous"
    body = response.content.decode("utf-8-sig")
    assert ledger.own_person.name not in by_text[ledger.secret.text].values()
    if who == "lead":
        assert by_text[ledger.other.text]["who"] == ledger.other_person.name
    else:
        for person in ledger.project.stakeholders.all():
            assert person.name not in body
    xlsx = client.get(url("ledger_xlsx", ledger))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_exports_escape_formulas(ledger: Ledger) -> None:
    services.contribution_create(
        project=ledger.project,
        recorded_by=ledger.team.lead,
        text='=HYPERLINK("http://evil.example","click")',
        kind="idea",
        made_on=today(),
        group="other",
    )
    body = ledger.team.client_for("lead").get(url("ledger_csv", ledger)).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    content = ledger.team.client_for("lead").get(url("ledger_xlsx", ledger)).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(
        cell.data_type == "s" and str(cell.value).startswith("'") for cell in cells
    )


def test_the_partner_sees_their_own_and_nothing_else(ledger: Ledger) -> None:
    page = page_text(ledger.team.client_for("partner").get(url("contribution_list", ledger)))
    assert ledger.own.text in page and ledger.secret.text in page
    assert "You (anonymous to everyone else)" in row_html(page, ledger.secret)
    assert ledger.other.text not in page and ledger.group_view.text not in page
    assert ledger.other_person.name not in page
    csv_body = (
        ledger.team.client_for("partner").get(url("ledger_csv", ledger)).content.decode("utf-8-sig")
    )
    assert ledger.other.text not in csv_body and ledger.secret.text in csv_body


def test_reports_keep_anonymous_contributions_anonymous(ledger: Ledger) -> None:
    project_page = page_text(
        ledger.team.client_for("lead").get(url("you_said_we_did_project", ledger))
    )
    assert ledger.secret.text in project_page
    section = project_page.split(ledger.secret.text)[0].rsplit("<tr>", 1)[1]
    assert "Anonymous" in section
    for name in _names(ledger):
        assert name not in section
    mine = page_text(ledger.team.client_for("partner").get(url("you_said_we_did_mine", ledger)))
    assert ledger.secret.text in mine and ledger.own.text in mine
    assert ledger.other.text not in mine
    person = page_text(
        ledger.team.client_for("lead").get(
            url("you_said_we_did", ledger, person_id=ledger.own_person.pk)
        )
    )
    assert ledger.own.text in person and ledger.secret.text not in person
    report = selectors.project_report(ledger.project, user=ledger.team.lead, today=today())
    by = {item.text: item.by for s in report.sections for item in s.items}
    assert by[ledger.secret.text] is None
    assert by[ledger.other.text] == ledger.other_person.name


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("you_said_we_did_project_download", "lead"),
        ("you_said_we_did_project_download", "observer"),
        ("you_said_we_did_mine_download", "partner"),
    ],
)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_report_downloads(ledger: Ledger, name: str, who: str, fmt: str) -> None:
    response = ledger.team.client_for(who).get(url(name, ledger, fmt=fmt))
    assert response.status_code == 200
    assert response.content.startswith(b"PK" if fmt == "docx" else b"%PDF")
    if fmt == "docx":
        from docx import Document

        document = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        for name_ in _names(ledger) if who != "partner" else []:
            assert name_ not in text.split(ledger.secret.text)[0].rsplit("\n", 1)[-1]
        if who == "observer":
            for person in ledger.project.stakeholders.all():
                assert person.name not in text
    assert ledger.team.client_for(who).get(url(name, ledger, fmt="exe")).status_code == 404


def test_the_record_of_changes_names_nobody_for_an_anonymous_contribution(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coprod.web.projects import audit

    services.contribution_edit_text(
        contribution=ledger.secret, by=ledger.team.partner, text="Edited"
    )
    services.contribution_dispose(
        contribution=ledger.secret,
        by=ledger.team.lead,
        disposition="adopted",
        reason="The chair asks public members first.",
        disposed_on=today(),
    )
    audit.table_specs.cache_clear()
    try:
        changes = audit.read_changes(ledger.project)
        page = page_text(
            ledger.team.client_for("lead").get(reverse("change_log", args=[ledger.project.pk]))
        )
    finally:
        audit.table_specs.cache_clear()
    secret = [c for c in changes if c.key == "contribution" and c.object_id == ledger.secret.pk]
    named = [c for c in changes if c.key == "contribution" and c.object_id == ledger.own.pk]
    assert len(secret) == 3
    assert {c.who for c in secret} == {"someone"} and {c.who_id for c in secret} == {None}
    shown = " ".join(f"{f.label} {f.before} {f.after}" for c in secret for f in c.fields)
    for name in _names(ledger):
        assert name not in shown
    assert "Decided what became of" in " ".join(c.description for c in secret)
    # A named contribution still says who saved it.
    assert named and named[0].who == str(ledger.team.partner)
    assert "Recorded a contribution: ‘The researchers talk over" in page
    # The history rows themselves never hold the person of an anonymous contribution.
    rows = Contribution.history.filter(id=ledger.secret.pk)  # type: ignore[attr-defined]
    assert rows.count() == 3 and not rows.filter(stakeholder__isnull=False).exists()


def test_the_audit_hook_hides_every_row_of_a_record_once_it_is_anonymous() -> None:
    from coprod.web.projects import audit

    rows = [
        {"id": 1, "history_id": 1, "history_date": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
         "history_type": "+", "history_user_id": 7, "anonymous": False, "submitted_by_id": 7},
        {"id": 1, "history_id": 2, "history_date": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
         "history_type": "~", "history_user_id": 8, "anonymous": True, "submitted_by_id": 7},
        {"id": 2, "history_id": 3, "history_date": dt.datetime(2026, 1, 3, tzinfo=dt.UTC),
         "history_type": "+", "history_user_id": 7, "anonymous": False, "submitted_by_id": 7},
    ]  # fmt: skip
    fields = (
        audit.FieldSpec("anonymous", "anonymous", "Anonymous", "bool", {}),
        audit.FieldSpec("submitted_by_id", "submitted_by", "Submitted by", "user", {}),
    )
    specs = {"thing": audit.TableSpec("thing", fields)}
    original = dict(audit.ANONYMITY), dict(audit.DESCRIBE)
    try:
        audit.ANONYMITY["thing"] = audit.Anonymity(flag="anonymous", hidden=("submitted_by_id",))
        audit.DESCRIBE["thing"] = lambda kind, row: "changed"
        assert audit.user_ids_in({"thing": rows}, specs) == {7}  # only from record 2
        changes = audit.build_changes({"thing": rows}, names={7: "Pat", 8: "Lee"}, specs=specs)
    finally:
        audit.ANONYMITY.clear()
        audit.ANONYMITY.update(original[0])
        audit.DESCRIBE.clear()
        audit.DESCRIBE.update(original[1])
    hidden = [c for c in changes if c.object_id == 1]
    assert [c.who for c in hidden] == ["someone", "someone"]
    assert all(f.name != "submitted_by" for c in hidden for f in c.fields)
    shown = [c for c in changes if c.object_id == 2]
    assert shown[0].who == "Pat"
    assert any(f.name == "submitted_by" and f.after == "Pat" for f in shown[0].fields)


# --- The overview's summary and the partner's own part --------------------------------------------


def test_dashboard_summary_for_the_team_and_for_a_partner(ledger: Ledger) -> None:
    _aged(ledger, 45)
    summary = selectors.dashboard_summary(ledger.project, user=ledger.team.lead, today=today())
    assert summary.sees_all and summary.totals.overdue == 1
    assert summary.totals.pending == Contribution.objects.filter(disposition="pending").count()
    assert summary.adoption is not None
    from django.template.loader import render_to_string

    body = render_to_string(
        "ledger/_dashboard.html", {"summary": summary, "project": ledger.project}
    )
    assert "1 contributor is still waiting" in html.unescape(body)
    own = selectors.dashboard_summary(ledger.project, user=ledger.team.partner, today=today())
    assert not own.sees_all
    assert {item.pk for item in own.own} == {ledger.own.pk, ledger.secret.pk}
    body = html.unescape(
        render_to_string("ledger/_dashboard.html", {"summary": own, "project": ledger.project})
    )
    assert ledger.own.text in body and ledger.other.text not in body
    partner = html.unescape(
        render_to_string(
            "ledger/_partner.html",
            {
                "own": selectors.partner_summary(ledger.project, user=ledger.team.partner),
                "project": ledger.project,
            },
        )
    )
    assert ledger.secret.text in partner and "without your name" in partner


# --- The demo -------------------------------------------------------------------------------------


def test_demo_ledger_adds_realistic_rows_once() -> None:
    team = make_team()
    added = demo_ledger(team.project)
    assert added == len(DEMO) == Contribution.objects.filter(project=team.project).count()
    rows = Contribution.objects.filter(project=team.project)
    assert rows.filter(anonymous=True).count() == 1
    assert rows.filter(told_on__isnull=False).exists()
    assert len(set(rows.values_list("disposition", flat=True))) == 6
    assert selectors.totals(team.project, today=today()).overdue > 0
    assert demo_ledger(team.project) == 0


# --- Who may do what, on every URL ----------------------------------------------------------------

ROLES = ["lead", "researcher", "partner", "observer", "outsider", "anonymous"]
MEMBERS = {"lead": 200, "researcher": 200, "partner": 200, "observer": 200}
TEAM = {"lead": 200, "researcher": 200, "partner": 403, "observer": 403}
TEAM_OBSERVER = {"lead": 200, "researcher": 200, "partner": 403, "observer": 200}
PARTNERS = {"lead": 403, "researcher": 403, "partner": 200, "observer": 403}


def _ids(ledger: Ledger) -> dict[str, Any]:
    return {
        "pk": ledger.project.pk,
        "contribution_id": ledger.other.pk,
        "person_id": ledger.other_person.pk,
        "fmt": "docx",
    }


# (url name, url kwargs beyond pk, expected GET status per member role)
PAGES: list[tuple[str, tuple[str, ...], dict[str, int]]] = [
    ("contribution_list", (), MEMBERS),
    ("contribution_record", (), TEAM),
    ("contribution_submit", (), PARTNERS),
    ("contribution_told", (), {"lead": 405, "researcher": 405, "partner": 403, "observer": 403}),
    ("ledger_settings", (), {**TEAM, "researcher": 403}),
    ("contribution_adoption_chart", (), MEMBERS),
    ("ledger_csv", (), MEMBERS),
    ("ledger_xlsx", (), MEMBERS),
    ("contribution_edit", ("contribution_id",), {**TEAM, "partner": 404, "observer": 403}),
    ("contribution_dispose", ("contribution_id",), {**TEAM, "partner": 404, "observer": 403}),
    ("you_said_we_did_project", (), TEAM_OBSERVER),
    ("you_said_we_did_project_download", ("fmt",), TEAM_OBSERVER),
    ("you_said_we_did_mine", (), PARTNERS),
    ("you_said_we_did_mine_download", ("fmt",), PARTNERS),
    ("you_said_we_did", ("person_id",), TEAM),
    ("you_said_we_did_download", ("person_id", "fmt"), TEAM),
]  # fmt: skip


def _url(ledger: Ledger, name: str, extra: tuple[str, ...]) -> str:
    ids = _ids(ledger)
    return reverse(name, kwargs={"pk": ids["pk"], **{key: ids[key] for key in extra}})


@pytest.mark.parametrize(("name", "extra", "expected"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ROLES)
def test_get(
    ledger: Ledger, who: str, name: str, extra: tuple[str, ...], expected: dict[str, int]
) -> None:
    response = ledger.team.client_for(who).get(_url(ledger, name, extra))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == expected[who], page_text(response)[:500]


def test_every_url_of_the_app_is_in_the_matrix() -> None:
    from coprod.web.ledger import urls

    assert {pattern.name for pattern in urls.urlpatterns} == {name for name, *_ in PAGES}


# (url name, url kwargs, the roles allowed to post): a refused role never reaches the form.
WRITES: list[tuple[str, tuple[str, ...], set[str]]] = [
    ("contribution_record", (), {"lead", "researcher"}),
    ("contribution_submit", (), {"partner"}),
    ("contribution_told", (), {"lead", "researcher"}),
    ("ledger_settings", (), {"lead"}),
    ("contribution_edit", ("contribution_id",), {"lead", "researcher"}),
    ("contribution_dispose", ("contribution_id",), {"lead", "researcher"}),
]
HIDDEN_ROWS = {"contribution_edit", "contribution_dispose"}
REFUSED = [
    (who, name, extra)
    for name, extra, allowed in WRITES
    for who in ("lead", "researcher", "partner", "observer", "outsider")
    if who not in allowed
]


def _history_size() -> int:
    return Contribution.history.count() + Project.history.count()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("who", "name", "extra"), REFUSED, ids=[f"{w}-{n}" for w, n, _ in REFUSED])
def test_refused_writes_change_nothing(
    ledger: Ledger, who: str, name: str, extra: tuple[str, ...]
) -> None:
    before = _history_size()
    response = ledger.team.client_for(who).post(
        _url(ledger, name, extra),
        {
            "text": "X",
            "kind": "idea",
            "who": "group:other",
            "made_on": today().isoformat(),
            "disposition": "declined",
            "reason": "No",
            "disposed_on": today().isoformat(),
            "told": [ledger.other.pk],
            "told_on": today().isoformat(),
            "feedback_days": "3",
        },
    )
    hidden = who == "outsider" or (name in HIDDEN_ROWS and who == "partner")
    assert response.status_code == (404 if hidden else 403)
    assert _history_size() == before


# --- A fixed number of queries, whatever the size of the ledger -----------------------------------


def _grow(ledger: Ledger, count: int) -> None:
    people = list(ledger.project.stakeholders.all())
    for index in range(count):
        person = people[index % len(people)]
        row = services.contribution_create(
            project=ledger.project,
            recorded_by=ledger.team.lead,
            text=f"Grown {index}",
            kind="idea",
            made_on=today() - dt.timedelta(days=index),
            stakeholder=person if index % 3 else None,
            group=person.group,
            anonymous=index % 3 == 0,
            activity=ledger.activity if index % 2 else None,
        )
        if index % 2:
            services.contribution_dispose(
                contribution=row,
                by=ledger.team.lead,
                disposition="adopted",
                reason="Yes",
                disposed_on=today(),
            )
        services.contribution_submit(
            project=ledger.project,
            user=ledger.team.partner,
            person=ledger.own_person,
            text=f"Partner {index}",
            kind="question",
            today=today(),
            anonymous=bool(index % 2),
        )


def _queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


QUERY_PAGES = [
    ("lead", "contribution_list", {}),
    ("observer", "contribution_list", {}),
    ("partner", "contribution_list", {}),
    ("lead", "ledger_csv", {}),
    ("lead", "you_said_we_did_project", {}),
    ("partner", "you_said_we_did_mine", {}),
    ("lead", "contribution_record", {}),
]


@pytest.mark.parametrize(
    ("who", "name", "kwargs"), QUERY_PAGES, ids=[f"{w}-{n}" for w, n, _ in QUERY_PAGES]
)
def test_page_queries_do_not_grow_with_the_ledger(
    who: str, name: str, kwargs: dict[str, Any]
) -> None:
    small = make_ledger()
    _grow(small, 3)
    client = small.team.client_for(who)
    address = url(name, small, **kwargs)
    three = _queries(client, address)
    _grow(small, 27)
    assert Contribution.objects.filter(project=small.project).count() > 60
    assert _queries(client, address) == three


@pytest.mark.parametrize("who", ["lead", "observer", "partner"])
def test_the_dashboard_summary_runs_a_fixed_number_of_queries(ledger: Ledger, who: str) -> None:
    user = getattr(ledger.team, who)
    _grow(ledger, 3)
    project = Project.objects.get(pk=ledger.project.pk)
    with CaptureQueriesContext(connection) as three:
        selectors.dashboard_summary(project, user=user, today=today())
    _grow(ledger, 27)
    project = Project.objects.get(pk=ledger.project.pk)
    with CaptureQueriesContext(connection) as thirty:
        selectors.dashboard_summary(project, user=user, today=today())
    assert len(thirty) == len(three) <= 4

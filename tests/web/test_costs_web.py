"""Costs and burden in the browser's pages (SPEC C4): the budget, rate cards, actuals, burden, the
team and its consent, benefits letters, spreadsheet imports, and who may do what.

The expected figures are never written here: they are what the core computes for the rows the
test left in the database (:func:`coprod.core.costs.budget`, :func:`budget_vs_actuals`,
:func:`burden_shares`). The page must show exactly those.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coprod.core import costs as core
from coprod.core.catalogue import default_catalogue
from coprod.core.plan import CostLine
from coprod.formats.budget_reports import money_text
from coprod.formats.plan_file import load_plan
from coprod.web.costs import plan_io, selectors, services
from coprod.web.costs.charts import percent
from coprod.web.costs.models import (
    BudgetLine,
    Expense,
    Payment,
    Rate,
    RateCard,
    TeamMember,
    TimeLog,
)
from coprod.web.projects.models import Organisation, Project
from tests.web.conftest import EXAMPLE, Team, make_team

pytestmark = pytest.mark.django_db

D = Decimal
CARD = "public_contributor_example"
UPLIFT = dt.date(2025, 12, 16)  # NIHR's uplift: the shipped card's second amounts apply from it


# --- Fixtures: the example plan's budget, an organisation, a team with time and money -------------


@dataclass
class Costed:
    team: Team
    researcher: TeamMember
    partner: TeamMember
    contributor: TeamMember
    own_log: TimeLog  # the partner's
    other_log: TimeLog  # the contributor's
    own_expense: Expense
    other_expense: Expense
    payment: Payment  # the contributor's
    card: RateCard

    @property
    def project(self) -> Project:
        return self.team.project


def costed_team() -> Costed:
    team = make_team()
    project = team.project
    plan_io.replace_from_plan(project, load_plan(EXAMPLE).plan.costs)
    organisation = Organisation.objects.create(name="Northern University", slug="northern")
    project.organisation = organisation
    project.save()
    card = services.rate_card_create(
        organisation=organisation,
        card_id="northern_contributors",
        label="Northern contributor rates",
        help="Our rates for public contributors; checked each April.",
        source="Finance office, 2026/27",
        currency="GBP",
    )
    services.rate_add(
        card=card,
        rate_id="hour",
        label="Per hour",
        unit="hour",
        amount=D("30.00"),
        valid_from=dt.date(2026, 4, 1),
    )
    researcher = services.team_member_create(
        project=project,
        name="Rosa Researcher",
        user_id=team.researcher.pk,
        career_stage="early_career",
        contract="fixed_term",
    )
    partner = services.team_member_create(
        project=project, name="Pat Partner", user_id=team.partner.pk, receives_benefits=True
    )
    contributor = services.team_member_create(
        project=project, name="Cora Contributor", receives_benefits=True
    )
    day = dt.date(2026, 5, 4)
    own_log = services.time_log_create(
        project=project, person=partner, activity="Read the papers", date=day, hours=D("2.00")
    )
    other_log = services.time_log_create(
        project=project, person=contributor, activity="Advisory group", date=day, hours=D("3.00")
    )
    services.time_log_create(
        project=project, person=researcher, activity="Prepared the agenda", date=day, hours=D("4")
    )
    own_expense = services.expense_create(
        project=project,
        person=partner,
        description="Bus fare",
        date=day,
        amount=D("4.20"),
        kind="travel_venue",
    )
    other_expense = services.expense_create(
        project=project,
        person=contributor,
        description="Taxi",
        date=day,
        amount=D("18.00"),
        kind="travel_venue",
    )
    payment = services.payment_create(
        project=project,
        person=contributor,
        activity_date=day,
        offered="voucher",
        amount=D("75.00"),
        paid_on=dt.date(2026, 5, 30),
    )
    return Costed(
        team, researcher, partner, contributor, own_log, other_log, own_expense, other_expense,
        payment, card,
    )  # fmt: skip


@pytest.fixture
def costed(db: Any) -> Costed:
    return costed_team()


def field_block(page: str, field_id: str) -> str:
    """The markup of the form field whose input has this id, from its wrapper to the next one."""
    for block in page.split('<div class="field')[1:]:
        if f'id="{field_id}"' in block:
            return block
    raise AssertionError(f"no field {field_id}")


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def data_values(page: str, attribute: str) -> dict[str, str]:
    """{key: shown text} for each element marked data-<attribute>="key"."""
    pattern = rf'data-{attribute}="([^"]*)"[^>]*>([^<]*)<'
    return {html.unescape(key): value.strip() for key, value in re.findall(pattern, page)}


def project_budget(project: Project) -> core.Budget:
    catalogue = selectors.project_catalogue(project=project)
    return core.budget(plan_io.to_plan(project), catalogue)


# --- The budget ---------------------------------------------------------------------------------


def test_totals_on_the_budget_page_are_the_cores(costed: Costed) -> None:
    response = costed.team.client_for("lead").get(reverse("budget", args=[costed.project.pk]))
    assert response.status_code == 200
    page = page_text(response)
    expected = project_budget(costed.project)
    assert expected.lines, "the example plan has a budget"
    currency = expected.currency
    total = re.search(r"data-total>([^<]+)<", page)
    assert total is not None and total.group(1) == money_text(expected.total, currency)
    assert data_values(page, "by-kind") == {
        kind: money_text(amount, currency) for kind, amount in expected.by_kind.items()
    }
    assert data_values(page, "by-bearer") == {
        bearer: money_text(amount, currency) for bearer, amount in expected.by_bearer.items()
    }
    assert data_values(page, "subtotal") == data_values(page, "by-kind")
    for line in expected.lines:
        assert money_text(line.amount, currency) in page


def test_the_rate_is_the_one_in_force_on_the_lines_date(costed: Costed) -> None:
    """Two lines of 10 hours from the shipped card, the day before the uplift and the day of it."""
    client = costed.team.client_for("lead")
    url = reverse("budget", args=[costed.project.pk])
    card = default_catalogue().rate_cards[CARD]
    dates = {"before": UPLIFT - dt.timedelta(days=1), "from": UPLIFT}
    for label, day in dates.items():
        response = client.post(
            url,
            {
                "new-kind": "contributor_payment",
                "new-description": f"Ten hours {label} the uplift",
                "new-rate_choice": f"{CARD}:hour",
                "new-quantity": "10",
                "new-date": day.isoformat(),
                "new-bearer": "grant",
            },
        )
        assert response.status_code == 302, page_text(response)[:3000]
    priced = {line.description: line for line in project_budget(costed.project).lines}
    for label, day in dates.items():
        line = priced[f"Ten hours {label} the uplift"]
        rate = core.rate_in_force(card, "hour", day)
        assert line.pricing is not None and line.pricing.valid_from == rate.valid_from
        assert line.amount == core.money(10 * rate.amount)
    before, after = (priced[f"Ten hours {label} the uplift"] for label in dates)
    assert before.amount < after.amount, "the uplift applies from its date only"
    page = page_text(client.get(url))
    for line in (before, after):
        row_pattern = rf'<tr id="line-\d+">\s*<th scope="row">{line.description}.*?</tr>'
        row = re.search(row_pattern, page, re.S)
        assert row is not None
        assert money_text(line.amount, "GBP") in row.group(0)
        assert line.pricing is not None
        assert f"applies from {line.pricing.valid_from:%-d %B %Y}" in row.group(0)


def test_a_line_that_cannot_be_priced_is_refused_next_to_its_field(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    before = BudgetLine.objects.count()
    response = client.post(
        reverse("budget", args=[costed.project.pk]),
        {
            "new-kind": "contributor_payment",
            "new-description": "Too early for any rate",
            "new-rate_choice": f"{CARD}:hour",
            "new-quantity": "10",
            "new-date": "2020-01-01",
        },
    )
    assert response.status_code == 400
    field = field_block(page_text(response), "id_new-date")
    assert field.startswith(' field-error"')
    assert "no rate 'hour' in force on 2020-01-01" in field
    assert BudgetLine.objects.count() == before


def test_a_negative_amount_is_refused_and_nothing_is_saved(costed: Costed) -> None:
    client = costed.team.client_for("researcher")
    before = BudgetLine.objects.count()
    response = client.post(
        reverse("budget", args=[costed.project.pk]),
        {"new-kind": "other", "new-description": "Refund", "new-amount": "-5.00"},
    )
    assert response.status_code == 400
    assert "Amounts cannot be negative." in page_text(response)
    assert BudgetLine.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(
            project=costed.project, kind="other", description="x", amount=D("-1")
        )


def test_a_line_is_changed_and_deleted_with_history(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    row = costed.project.budget_lines.filter(rate_card="").first()
    assert row is not None
    url = reverse("costs_line_edit", args=[costed.project.pk, row.pk])
    initial = client.get(url)
    assert initial.status_code == 200
    response = client.post(
        url,
        {"kind": row.kind, "description": "Changed", "amount": "12.34", "currency": "GBP"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.description, row.amount) == ("Changed", D("12.34"))
    assert client.post(url, {"delete": "1"}).status_code == 302
    assert not BudgetLine.objects.filter(pk=row.pk).exists()
    assert [h.history_type for h in BudgetLine.history.filter(id=row.pk).order_by("history_id")][
        -2:
    ] == ["~", "-"]


def test_the_downloads_open(costed: Costed) -> None:
    from docx import Document
    from openpyxl import load_workbook

    client = costed.team.client_for("observer")
    expected = project_budget(costed.project)
    xlsx = client.get(reverse("costs_budget_xlsx", args=[costed.project.pk]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('budget.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    descriptions = {line.description for line in expected.lines}
    assert descriptions <= {row[1] for row in rows}
    amounts = [D(str(row[6])) for row in rows if row[1] in descriptions]
    assert len(amounts) == len(expected.lines)
    assert sum(amounts) == expected.total
    docx = client.get(reverse("costs_budget_docx", args=[costed.project.pk]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"Total cost of involvement: {money_text(expected.total, 'GBP')}" in text


def test_plan_lines_go_in_and_come_out_unchanged(costed: Costed) -> None:
    plan = load_plan(EXAMPLE).plan
    assert [line.model_dump() for line in plan_io.to_plan(costed.project)] == [
        line.model_dump() for line in plan.costs
    ]
    first = list(costed.project.budget_lines.values_list("pk", flat=True))
    plan_io.replace_from_plan(costed.project, plan.costs[:2])
    assert costed.project.budget_lines.count() == 2
    # Every old line was deleted one by one, so each deletion is in the history.
    assert BudgetLine.history.filter(id__in=first, history_type="-").count() == len(first)


# --- Rate cards ---------------------------------------------------------------------------------


def test_the_lead_adds_a_rate_from_a_date_and_budgets_use_it(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    card = costed.card
    url = reverse("costs_rate_add", args=[costed.project.pk, card.pk])
    prefix = f"card-{card.pk}"
    fields = {
        f"{prefix}-rate_id": "hour",
        f"{prefix}-label": "Per hour",
        f"{prefix}-unit": "hour",
        f"{prefix}-amount": "33.00",
        f"{prefix}-valid_from": "2027-04-01",
    }
    version = Project.objects.get(pk=costed.project.pk).version
    assert client.post(url, fields).status_code == 302
    assert Project.objects.get(pk=costed.project.pk).version > version
    # The same rate and date twice: the core refuses it, next to the date, and nothing is saved.
    again = client.post(url, {**fields, f"{prefix}-amount": "35.00"})
    assert again.status_code == 400
    assert "has two amounts from 2027-04-01" in page_text(again)
    assert Rate.objects.filter(card=card).count() == 2
    # A line priced from the organisation's card takes the amount in force on its date.
    response = client.post(
        reverse("budget", args=[costed.project.pk]),
        {
            "new-kind": "contributor_payment",
            "new-description": "Our own rate, 2027",
            "new-rate_choice": "northern_contributors:hour",
            "new-quantity": "2",
            "new-date": "2027-05-01",
        },
    )
    assert response.status_code == 302
    line = next(
        line
        for line in project_budget(costed.project).lines
        if line.description == "Our own rate, 2027"
    )
    assert line.pricing is not None and line.pricing.rate_amount == D("33.00")
    assert line.amount == core.money(2 * line.pricing.rate_amount)


def test_the_rate_cards_page_shows_the_shipped_sources_and_the_warning(costed: Costed) -> None:
    response = costed.team.client_for("partner").get(
        reverse("costs_rate_cards", args=[costed.project.pk])
    )
    page = page_text(response)
    catalogue = default_catalogue()
    assert "Check current rates." in page
    for card in catalogue.rate_cards.values():
        assert card.label in page
        assert catalogue.cite(card.source) in page
    assert costed.card.label in page
    assert "Add a card" not in page, "only the lead adds cards"


def test_a_card_may_not_take_a_shipped_cards_name(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    response = client.post(
        reverse("costs_rate_cards", args=[costed.project.pk]),
        {
            "card-card_id": CARD,
            "card-label": "Ours",
            "card-help": "Ours",
            "card-source": "Us",
            "card-currency": "GBP",
        },
    )
    assert response.status_code == 400
    assert "An example card shipped with Coprod has this name." in page_text(response)
    assert RateCard.objects.count() == 1


# --- Actuals ------------------------------------------------------------------------------------


def test_budget_against_actuals_is_the_cores(costed: Costed) -> None:
    response = costed.team.client_for("lead").get(
        reverse("costs_actuals", args=[costed.project.pk])
    )
    page = page_text(response)
    view = selectors.actuals_view(project=costed.project)
    assert view.budget.budget is not None
    expected = core.budget_vs_actuals(
        view.budget.budget,
        time_logs=[selectors.core_time_log(r) for r in TimeLog.objects.all()],
        expenses=[selectors.core_expense(r) for r in Expense.objects.all()],
        payments=[selectors.core_payment(r) for r in Payment.objects.all()],
        catalogue=view.budget.catalogue,
    )
    shown = dict(re.findall(r'<tr data-kind="(\w+)">.*?data-spent>([^<]+)<', page, re.S))
    assert shown == {row.kind: money_text(row.spent, "GBP") for row in expected.kinds}
    assert re.search(r"data-total-spent>([^<]+)<", page).group(1) == money_text(  # type: ignore[union-attr]
        expected.spent, "GBP"
    )
    days = core.Payment(
        person="x",
        activity_date=costed.payment.activity_date,
        offered="voucher",
        amount=costed.payment.amount,
        paid_on=costed.payment.paid_on,
    ).days_to_payment
    assert re.search(r"data-days>(\d+)<", page).group(1) == str(days)  # type: ignore[union-attr]


def test_a_partner_logs_and_sees_only_their_own(costed: Costed) -> None:
    client = costed.team.client_for("partner")
    url = reverse("costs_actuals", args=[costed.project.pk])
    page = page_text(client.get(url))
    assert costed.own_log.activity in page and costed.own_expense.description in page
    for other in (costed.other_log.activity, costed.other_expense.description, "Cora"):
        assert other not in page
    fields = {
        "action": "time",
        "time-person": str(costed.partner.pk),
        "time-activity": "Commented on the survey",
        "time-date": "2026-06-01",
        "time-hours": "1.5",
        "time-kind": "contributor_payment",
    }
    assert client.post(url, fields).status_code == 302
    assert TimeLog.objects.filter(person=costed.partner).count() == 2
    # Someone else's name is not a choice for a partner: refused, and nothing is saved.
    refused = client.post(url, {**fields, "time-person": str(costed.contributor.pk)})
    assert refused.status_code == 400
    assert TimeLog.objects.filter(person=costed.contributor).count() == 1
    # Their own entry they may change; someone else's they cannot even open.
    own = reverse("costs_time_edit", args=[costed.project.pk, costed.own_log.pk])
    other = reverse("costs_time_edit", args=[costed.project.pk, costed.other_log.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    # Payments are the team's to record.
    payment = {"action": "payment", "payment-person": str(costed.partner.pk)}
    assert client.post(url, payment).status_code == 403


def test_a_declined_payment_with_a_date_paid_is_refused_at_that_field(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    before = Payment.objects.count()
    response = client.post(
        reverse("costs_actuals", args=[costed.project.pk]),
        {
            "action": "payment",
            "payment-person": str(costed.contributor.pk),
            "payment-activity_date": "2026-06-01",
            "payment-offered": "declined",
            "payment-amount": "25.00",
            "payment-currency": "GBP",
            "payment-paid_on": "2026-06-02",
        },
    )
    assert response.status_code == 400
    field = field_block(page_text(response), "id_payment-paid_on")
    assert field.startswith(' field-error"')
    assert "a declined payment has no date paid" in field
    assert Payment.objects.count() == before


def test_an_expense_in_another_currency_than_the_budget_is_refused(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    response = client.post(
        reverse("costs_actuals", args=[costed.project.pk]),
        {
            "action": "expense",
            "expense-description": "Ferry",
            "expense-date": "2026-06-01",
            "expense-amount": "20.00",
            "expense-currency": "EUR",
            "expense-kind": "travel_venue",
        },
    )
    assert response.status_code == 400
    assert "is in EUR, the budget in GBP" in page_text(response)
    assert not Expense.objects.filter(description="Ferry").exists()


def test_a_time_log_moves_the_project_version(costed: Costed) -> None:
    version = Project.objects.get(pk=costed.project.pk).version
    services.time_log_update(row=costed.own_log, hours=D("2.50"))
    assert Project.objects.get(pk=costed.project.pk).version == version + 1
    services.time_log_delete(row=costed.own_log)
    assert Project.objects.get(pk=costed.project.pk).version == version + 2


# --- Burden -------------------------------------------------------------------------------------


def burden_team() -> Team:
    """Two doctoral researchers carry most of the hours; five early-career and five senior share
    the rest. The doctoral group is under five: only the lead sees it on its own."""
    team = make_team()
    project = team.project
    day = dt.date(2026, 5, 1)
    groups = [("doctoral", 2, D("20")), ("early_career", 5, D("10")), ("senior", 5, D("2"))]
    for stage, count, hours in groups:
        for index in range(count):
            member = services.team_member_create(
                project=project,
                name=f"{stage} {index}",
                career_stage=stage,
                contract="casual" if stage == "doctoral" else "permanent",
            )
            services.time_log_create(
                project=project, person=member, activity="Meetings", date=day, hours=hours
            )
    return team


def shown_groups(page: str) -> dict[str, bool]:
    """{group key: flagged?} for each row of the career stage table."""
    section = page[page.index('id="burden-career_stage"') : page.index('id="burden-contract"')]
    rows = re.findall(r'<tr data-group="([^"]+)">(.*?)</tr>', section, re.S)
    return {key: "Flagged" in row for key, row in rows}


def test_burden_flags_are_raised_and_small_groups_shown_only_to_the_lead() -> None:
    team = burden_team()
    url = reverse("costs_burden", args=[team.project.pk])
    members = list(TeamMember.objects.filter(project=team.project))
    people = [selectors.core_person(m) for m in members]
    logs = [selectors.core_time_log(r) for r in TimeLog.objects.filter(project=team.project)]
    for who, is_lead in (("lead", True), ("researcher", False), ("observer", False)):
        expected = core.burden_shares(people, logs, "career_stage", viewer_is_lead=is_lead)
        page = page_text(team.client_for(who).get(url))
        assert shown_groups(page) == {share.key: share.flagged for share in expected}, who
        for share in expected:
            assert f"{percent(share.hours_share)}%" in page
    lead = shown_groups(page_text(team.client_for("lead").get(url)))
    assert lead["doctoral"], "two doctoral researchers giving 40% of the hours are flagged"
    researcher = shown_groups(page_text(team.client_for("researcher").get(url)))
    assert "doctoral" not in researcher and core.OTHER_GROUP in researcher
    # The chart draws the same groups: the lead's differs from the researcher's.
    chart = reverse("costs_burden_chart", args=[team.project.pk, "career_stage"])
    lead_png = team.client_for("lead").get(chart)
    researcher_png = team.client_for("researcher").get(chart)
    assert lead_png["Content-Type"] == "image/png" and lead_png.content.startswith(b"\x89PNG")
    assert lead_png.content != researcher_png.content


def test_the_dashboard_summary_is_the_cores_and_names_the_flag() -> None:
    team = burden_team()
    plan_io.replace_from_plan(team.project, load_plan(EXAMPLE).plan.costs)
    summary = selectors.dashboard_summary(team.project, user=team.lead)
    assert summary.budget_total == project_budget(team.project).total
    assert summary.spent == D("0.00")  # time without a rate costs nothing, but counts as hours
    assert ("career stage", "Doctoral") in summary.flagged
    anyone = selectors.dashboard_summary(team.project)
    assert ("career stage", "Doctoral") not in anyone.flagged, "small groups stay merged"
    from django.template.loader import render_to_string

    partial = render_to_string(
        "costs/_dashboard.html", {"project": team.project, "summary": summary}
    )
    assert money_text(summary.budget_total, "GBP") in html.unescape(partial)
    assert "data-burden-flag" in partial and partial.count("<h2") == 1


def test_gender_and_ethnicity_count_only_with_consent_and_only_for_the_team() -> None:
    team = burden_team()
    member = TeamMember.objects.filter(project=team.project).first()
    assert member is not None
    services.team_member_update(member=member, demographics_consent=True, gender="Woman")
    people = [selectors.core_person(m) for m in TeamMember.objects.filter(project=team.project)]
    assert sum(person.gender is not None for person in people) == 1
    url = reverse("costs_burden", args=[team.project.pk])
    assert 'id="burden-gender"' in page_text(team.client_for("researcher").get(url))
    for who in ("partner", "observer"):
        page = page_text(team.client_for(who).get(url))
        assert 'id="burden-gender"' not in page and 'id="burden-ethnicity"' not in page
        chart = reverse("costs_burden_chart", args=[team.project.pk, "gender"])
        assert team.client_for(who).get(chart).status_code == 403


# --- The team: consent, withdrawal, benefits letters ---------------------------------------------


def test_demographics_are_refused_without_consent(costed: Costed) -> None:
    with pytest.raises(services.DemographicsWithoutConsent):
        services.team_member_create(project=costed.project, name="Dee", gender="Man")
    with pytest.raises(services.DemographicsWithoutConsent):
        services.team_member_update(member=costed.contributor, ethnicity="Irish")
    costed.contributor.refresh_from_db()
    assert (costed.contributor.gender, costed.contributor.ethnicity) == ("", "")
    # The form says so next to the field, and saves nothing.
    client = costed.team.client_for("lead")
    count = TeamMember.objects.count()
    response = client.post(
        reverse("costs_team", args=[costed.project.pk]),
        {"new-name": "Dee", "new-gender": "Man"},
    )
    assert response.status_code == 400
    field = field_block(page_text(response), "id_new-gender")
    assert field.startswith(' field-error"')
    assert "Only record this if they agreed" in field
    assert TeamMember.objects.count() == count
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(project=costed.project, name="Eve", gender="Woman")


def test_withdrawing_consent_erases_the_answers_and_the_history_never_held_them(
    costed: Costed,
) -> None:
    client = costed.team.client_for("researcher")
    member = costed.contributor
    url = reverse("costs_member_edit", args=[costed.project.pk, member.pk])
    base = {"member-name": member.name, "member-receives_benefits": "on"}
    given = {**base, "member-demographics_consent": "on", "member-gender": "Non-binary"}
    assert client.post(url, {**given, "member-ethnicity": "Black British"}).status_code == 302
    member.refresh_from_db()
    assert (member.gender, member.ethnicity) == ("Non-binary", "Black British")
    revision = member.demographics_revision
    # Untick the box, leaving the answers in the fields: they are erased all the same.
    withdrawn = {**base, "member-gender": "Non-binary", "member-ethnicity": "Black British"}
    response = client.post(url, withdrawn, follow=True)
    assert "their answers were erased" in page_text(response)
    member.refresh_from_db()
    assert (member.demographics_consent, member.gender, member.ethnicity) == (False, "", "")
    assert member.demographics_revision > revision
    history = TeamMember.history.model
    assert not {"gender", "ethnicity"} & {f.name for f in history._meta.get_fields()}
    rows = TeamMember.history.filter(id=member.pk).values()
    assert not any("Non-binary" in str(row) or "Black British" in str(row) for row in rows)


def test_the_benefits_letter_opens_for_the_team_and_for_the_person_only(costed: Costed) -> None:
    from docx import Document

    letter = reverse("costs_benefits_letter", args=[costed.project.pk, costed.contributor.pk])
    response = costed.team.client_for("lead").get(letter)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Dear Cora Contributor," in text
    assert "Payments may affect your benefits" in text
    assert "not legal or financial advice" in text
    assert "Citizens Advice" in text
    own = reverse("costs_benefits_letter", args=[costed.project.pk, costed.partner.pk])
    assert costed.team.client_for("partner").get(own).status_code == 200
    assert costed.team.client_for("partner").get(letter).status_code == 403
    nobody = reverse("costs_benefits_letter", args=[costed.project.pk, costed.researcher.pk])
    assert costed.team.client_for("lead").get(nobody).status_code == 404


# --- Spreadsheet import -------------------------------------------------------------------------

TIME_CSV = """person,activity,date,hours
Rosa Researcher,Wrote the summary,2026-06-01,2
Cora Contributor,Advisory group,31/06/2026,3
Pat Partner,Reading,2026-06-02,-1
Nobody Known,Reading,2026-06-02,1
Pat Partner,Reading,2026-06-03,1.5
"""


def _upload(client: Any, project: Project, what: str, text: str, good_only: bool) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "what": what,
        "spreadsheet": SimpleUploadedFile("file.csv", text.encode(), "text/csv"),
    }
    if good_only:
        data["good_rows_only"] = "on"
    return client.post(reverse("costs_import", args=[project.pk]), data)


def problem_rows(response: Any) -> list[tuple[str, str]]:
    page = page_text(response)
    return re.findall(r'<tr data-row="(\d*)"><td>[^<]*</td><td>([^<]*)</td>', page)


def test_a_time_log_file_with_bad_rows_imports_nothing_and_names_each(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    before = TimeLog.objects.count()
    response = _upload(client, costed.project, "time_logs", TIME_CSV, good_only=False)
    assert response.status_code == 400
    rows = problem_rows(response)
    assert ("3", "date (column C)") in rows
    assert ("4", "hours (column D)") in rows
    assert ("5", "person") in rows
    assert {row for row, _column in rows} == {"3", "4", "5"}
    assert TimeLog.objects.count() == before


def test_only_the_good_time_log_rows_are_imported_when_asked(costed: Costed) -> None:
    client = costed.team.client_for("lead")
    before = TimeLog.objects.count()
    response = _upload(client, costed.project, "time_logs", TIME_CSV, good_only=True)
    assert response.status_code == 200
    assert {row for row, _column in problem_rows(response)} == {"3", "4", "5"}
    assert TimeLog.objects.count() == before + 2
    new = TimeLog.objects.filter(date__gte=dt.date(2026, 6, 1))
    assert sorted((log.person.name, log.hours) for log in new) == [
        ("Pat Partner", D("1.50")),
        ("Rosa Researcher", D("2.00")),
    ]


BUDGET_CSV = """kind,description,amount,rate_card,rate,quantity,date
travel_venue,Room hire,120.00,,,,
catering,Lunches,80.00,,,,
contributor_payment,Workshop,,public_contributor_example,hour,6,2026-09-01
other,Printing,-3.00,,,,
"""


def test_budget_lines_from_a_spreadsheet_all_or_only_the_good(costed: Costed) -> None:
    client = costed.team.client_for("researcher")
    before = BudgetLine.objects.count()
    response = _upload(client, costed.project, "budget", BUDGET_CSV, good_only=False)
    assert response.status_code == 400
    assert {row for row, _column in problem_rows(response)} == {"3", "5"}
    assert ("3", "kind (column A)") in problem_rows(response)
    assert BudgetLine.objects.count() == before
    response = _upload(client, costed.project, "budget", BUDGET_CSV, good_only=True)
    assert response.status_code == 200
    added = BudgetLine.objects.order_by("position")[before:]
    assert [line.description for line in added] == ["Room hire", "Workshop"]


# --- Who may do what, on every URL --------------------------------------------------------------

ROLES = ["lead", "researcher", "partner", "observer", "outsider", "anonymous"]
MEMBERS = {"lead": 200, "researcher": 200, "partner": 200, "observer": 200}
TEAM = {"lead": 200, "researcher": 200, "partner": 403, "observer": 403}
TEAM_ELSE_HIDDEN = {"lead": 200, "researcher": 200, "partner": 404, "observer": 404}


def _ids(costed: Costed) -> dict[str, Any]:
    return {
        "pk": costed.project.pk,
        "line_id": costed.project.budget_lines.first().pk,  # type: ignore[union-attr]
        "card_id": costed.card.pk,
        "log_id": costed.other_log.pk,
        "expense_id": costed.other_expense.pk,
        "payment_id": costed.payment.pk,
        "member_id": costed.contributor.pk,
        "attribute": "career_stage",
    }


# (url name, url kwargs beyond pk, expected GET status per member role)
PAGES: list[tuple[str, tuple[str, ...], dict[str, int]]] = [
    ("budget", (), MEMBERS),
    ("costs_budget_xlsx", (), MEMBERS),
    ("costs_budget_docx", (), MEMBERS),
    ("costs_line_edit", ("line_id",), TEAM),
    ("costs_rate_cards", (), MEMBERS),
    ("costs_rate_add", ("card_id",), {**TEAM, "lead": 302, "researcher": 403}),
    ("costs_actuals", (), MEMBERS),
    ("costs_time_edit", ("log_id",), TEAM_ELSE_HIDDEN),
    ("costs_expense_edit", ("expense_id",), TEAM_ELSE_HIDDEN),
    ("costs_payment_edit", ("payment_id",), TEAM_ELSE_HIDDEN),
    ("costs_burden", (), MEMBERS),
    ("costs_burden_chart", ("attribute",), MEMBERS),
    ("costs_team", (), TEAM),
    ("costs_member_edit", ("member_id",), TEAM),
    ("costs_benefits_letter", ("member_id",), TEAM),
    ("costs_import", (), TEAM),
]  # fmt: skip


def _url(costed: Costed, name: str, extra: tuple[str, ...]) -> str:
    ids = _ids(costed)
    return reverse(name, kwargs={"pk": ids["pk"], **{key: ids[key] for key in extra}})


@pytest.mark.parametrize(("name", "extra", "expected"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ROLES)
def test_get(
    costed: Costed, who: str, name: str, extra: tuple[str, ...], expected: dict[str, int]
) -> None:
    response = costed.team.client_for(who).get(_url(costed, name, extra))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == expected[who], page_text(response)[:500]


def test_every_url_of_the_app_is_in_the_matrix() -> None:
    from coprod.web.costs import urls

    assert {pattern.name for pattern in urls.urlpatterns} == {name for name, *_ in PAGES}


# (url name, url kwargs, the roles allowed to post): a refused role never reaches the form.
WRITES: list[tuple[str, tuple[str, ...], set[str]]] = [
    ("budget", (), {"lead", "researcher"}),
    ("costs_line_edit", ("line_id",), {"lead", "researcher"}),
    ("costs_rate_cards", (), {"lead"}),
    ("costs_rate_add", ("card_id",), {"lead"}),
    ("costs_actuals", (), {"lead", "researcher", "partner"}),
    ("costs_time_edit", ("log_id",), {"lead", "researcher"}),
    ("costs_expense_edit", ("expense_id",), {"lead", "researcher"}),
    ("costs_payment_edit", ("payment_id",), {"lead", "researcher"}),
    ("costs_team", (), {"lead", "researcher"}),
    ("costs_member_edit", ("member_id",), {"lead", "researcher"}),
    ("costs_import", (), {"lead", "researcher"}),
]
HIDDEN_ROWS = {"costs_time_edit", "costs_expense_edit", "costs_payment_edit"}
REFUSED = [
    (who, name, extra)
    for name, extra, allowed in WRITES
    for who in ("researcher", "partner", "observer", "outsider")
    if who not in allowed
]


def _history_size() -> int:
    models = (BudgetLine, RateCard, Rate, TeamMember, TimeLog, Expense, Payment, Project)
    return sum(model.history.count() for model in models)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("who", "name", "extra"), REFUSED, ids=[f"{w}-{n}" for w, n, _ in REFUSED])
def test_refused_writes_change_nothing(
    costed: Costed, who: str, name: str, extra: tuple[str, ...]
) -> None:
    before = _history_size()
    response = costed.team.client_for(who).post(
        _url(costed, name, extra), {"delete": "1", "action": "payment", "new-name": "X"}
    )
    hidden = who == "outsider" or (name in HIDDEN_ROWS and who in ("partner", "observer"))
    assert response.status_code == (404 if hidden else 403)
    assert _history_size() == before


def test_a_partner_cannot_delete_someone_elses_entry(costed: Costed) -> None:
    client = costed.team.client_for("partner")
    url = reverse("costs_expense_edit", args=[costed.project.pk, costed.other_expense.pk])
    assert client.post(url, {"delete": "1"}).status_code == 404
    assert Expense.objects.filter(pk=costed.other_expense.pk).exists()
    own = reverse("costs_expense_edit", args=[costed.project.pk, costed.own_expense.pk])
    assert client.post(own, {"delete": "1"}).status_code == 302
    assert not Expense.objects.filter(pk=costed.own_expense.pk).exists()


# --- A fixed number of queries, whatever the size of the data ------------------------------------


def _grow(costed: Costed, count: int) -> None:
    project = costed.project
    for index in range(count):
        services.budget_line_create(
            project=project,
            line=CostLine(kind="other", description=f"Extra {index}", amount=D("10.00")),
        )
        person = services.team_member_create(
            project=project, name=f"Extra person {index}", career_stage="senior"
        )
        services.time_log_create(
            project=project,
            person=person,
            activity=f"Work {index}",
            date=dt.date(2026, 6, 1),
            hours=D("1.25"),
            rate_card="northern_contributors",
            rate="hour",
        )
        services.payment_create(
            project=project,
            person=person,
            activity_date=dt.date(2026, 6, 1),
            offered="cash",
            amount=D("25.00"),
        )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["budget", "costs_actuals", "costs_burden", "costs_team", "costs_rate_cards"]
)
def test_page_queries_do_not_grow_with_lines_and_time_logs(name: str) -> None:
    small = costed_team()
    _grow(small, 3)
    client = small.team.client_for("lead")
    url = reverse(name, args=[small.project.pk])
    three = _queries(client, url)
    _grow(small, 27)
    assert BudgetLine.objects.filter(project=small.project).count() >= 30
    assert _queries(client, url) == three


def test_the_dashboard_summary_runs_a_fixed_number_of_queries(costed: Costed) -> None:
    _grow(costed, 3)
    project = Project.objects.get(pk=costed.project.pk)  # as fresh as a request's
    with CaptureQueriesContext(connection) as three:
        selectors.dashboard_summary(project, user=costed.team.lead)
    _grow(costed, 27)
    project = Project.objects.get(pk=costed.project.pk)
    with CaptureQueriesContext(connection) as thirty:
        summary = selectors.dashboard_summary(project, user=costed.team.lead)
    assert len(thirty) == len(three)
    assert summary.budget_total == project_budget(project).total


# --- The record of changes, once the lead adds these tables to it --------------------------------


def test_the_change_log_can_show_costs_changes_without_the_demographics(
    costed: Costed, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coprod.web.projects import audit

    audit.table_specs.cache_clear()
    try:
        member = costed.contributor
        services.team_member_update(member=member, demographics_consent=True, gender="Woman")
        services.demographics_withdraw(member=member)
        changes = audit.read_changes(costed.project)
    finally:
        audit.table_specs.cache_clear()
    descriptions = [change.description for change in changes]
    assert f"Logged time: ‘{costed.other_log.activity}’" in descriptions
    assert "Erased the gender and ethnicity of Cora Contributor" in descriptions
    assert "Changed the gender or ethnicity of Cora Contributor" in descriptions
    shown = " ".join(f"{f.before} {f.after}" for change in changes for f in change.fields)
    assert "Woman" not in shown

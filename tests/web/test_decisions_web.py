"""The decision log, the dissemination agreement and terms of reference in the browser's pages
(SPEC C7): recording decisions checked by the core, the contributions they answered, what
partners and observers see, the agreement's lines and the decision aid's warning, terms and their
gaps, the documents, and who may do what.

Expected messages and statuses are never written here: they are what the core says for the
values the test used (:func:`coprod.core.decisions.decision_problems`,
:func:`~coprod.core.decisions.publication_status`, :func:`coprod.core.terms.terms_gaps`).
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from coprod.core import decisions as core
from coprod.core.ids import DecisionRule
from coprod.core.terms import terms_gaps
from coprod.web.decisions import selectors, services
from coprod.web.decisions.models import (
    Decision,
    DecisionContribution,
    DecisionParticipant,
    PublicationRight,
    TermsOfReference,
)
from coprod.web.ledger.models import Contribution
from coprod.web.projects.models import Project, Stakeholder
from tests.web.conftest import Team, make_team

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


@dataclass
class Logged:
    team: Team
    own: Stakeholder  # the partner's roster entry
    others: list[Stakeholder]  # everyone else on the roster
    named: Contribution  # made by another roster person
    mine: Contribution  # made by the partner, named
    anonymous: Contribution  # made by the partner, anonymously
    shared: Decision
    hidden: Decision  # not shared with partners

    @property
    def project(self) -> Project:
        return self.team.project


def logged_team() -> Logged:
    team = make_team()
    project = team.project
    own = project.stakeholders.get(user=team.partner)
    others = list(project.stakeholders.exclude(pk=own.pk).order_by("position"))
    named = Contribution.objects.create(
        project=project,
        stakeholder=others[0],
        group=others[0].group,
        made_on=dt.date(2026, 5, 1),
        kind="idea",
        text="Ask people who stopped going to classes why they stopped.",
    )
    mine = Contribution.objects.create(
        project=project,
        stakeholder=own,
        group=own.group,
        submitted_by=team.partner,
        made_on=dt.date(2026, 5, 2),
        kind="concern",
        text="Fear of falling keeps people at home; measure it.",
    )
    anonymous = Contribution.objects.create(
        project=project,
        anonymous=True,
        group="patients_public",
        submitted_by=team.partner,
        made_on=dt.date(2026, 5, 3),
        kind="concern",
        text="Some instructors make people feel judged.",
    )
    shared = services.decision_create(
        project=project,
        user=team.lead,
        what="Recruit by post and through the forum, not through instructors.",
        decided_on=dt.date(2026, 6, 10),
        method="vote",
        votes_for=3,
        votes_against=1,
        votes_abstain=None,
        participants=[own.pk, others[0].pk, others[1].pk, others[2].pk],
        dissenters=[others[2].pk],
        others_present="",
        others_count=None,
        dissent="One member felt instructors would reach more people.",
        answers=[named.pk, anonymous.pk],
        review_on=dt.date(2026, 11, 1),
        shared_with_partners=True,
    )
    hidden = services.decision_create(
        project=project,
        user=team.lead,
        what="Pay the chair's honorarium from the grant.",
        decided_on=dt.date(2026, 4, 20),
        method="lead_decides",
        votes_for=None,
        votes_against=None,
        votes_abstain=None,
        participants=[others[0].pk],
        dissenters=[],
        others_present="The faculty finance officer",
        others_count=1,
        dissent="",
        review_on=None,
        shared_with_partners=False,
    )
    return Logged(team, own, others, named, mine, anonymous, shared, hidden)


@pytest.fixture
def logged(db: Any) -> Logged:
    return logged_team()


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def field_block(page: str, name: str) -> str:
    """The markup of the form field called ``name``, from its wrapper to the next one."""
    for block in page.split('<div class="field')[1:]:
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def history_size() -> int:
    models = (Decision, DecisionParticipant, DecisionContribution, PublicationRight)
    return sum(model.history.count() for model in (*models, TermsOfReference, Project))  # type: ignore[attr-defined]


def decision_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "what": "Hold the advisory group in the afternoon.",
        "decided_on": "2026-09-01",
        "method": "vote",
        "votes_for": "",
        "votes_against": "",
        "votes_abstain": "",
        "others_present": "",
        "others_count": "",
        "dissent": "",
        "review_on": "",
        "shared_with_partners": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def core_messages(**values: Any) -> list[tuple[str, str]]:
    return core.decision_problems(**values)


# --- Recording a decision: the core's checks, end to end ------------------------------------------


def test_a_vote_needs_its_counts_and_they_must_fit_who_took_part(logged: Logged) -> None:
    client = logged.team.client_for("researcher")
    url = reverse("decision_add", args=[logged.project.pk])
    people = [str(logged.others[0].pk), str(logged.others[1].pk)]
    before, decisions = history_size(), Decision.objects.count()

    # No counts at all: the core asks for them, beside each field; nothing is saved.
    response = client.post(url, decision_post(participants=people))
    assert response.status_code == 400
    page = page_text(response)
    expected = core_messages(method=DecisionRule.VOTE, participants=2, what="x")
    assert {name for name, _m in expected} == {"votes_for", "votes_against"}
    for name, message in expected:
        assert message in field_block(page, name)
    assert "There is a problem. Nothing was saved." in page
    assert (history_size(), Decision.objects.count()) == (before, decisions)

    # More votes than people: the core's message, beside "votes for".
    response = client.post(
        url, decision_post(participants=people, votes_for="4", votes_against="1")
    )
    assert response.status_code == 400
    (name, message), *_rest = core_messages(
        method=DecisionRule.VOTE, votes_for=4, votes_against=1, participants=2, what="x"
    )
    assert name == "votes_for" and message in field_block(page_text(response), "votes_for")
    assert Decision.objects.count() == decisions

    # With the others who took part counted, the same counts fit, and everything is kept.
    response = client.post(
        url,
        decision_post(
            participants=people,
            dissenters=people[1:],
            votes_for="4",
            votes_against="1",
            others_present="Three members of the advisory group",
            others_count="3",
            dissent="Afternoons are hard for carers.",
        ),
    )
    assert response.status_code == 302
    decision = Decision.objects.latest("id")
    assert response["Location"] == reverse("decision_detail", args=[logged.project.pk, decision.pk])
    assert (decision.votes_for, decision.votes_against, decision.others_count) == (4, 1, 3)
    rows = {p.stakeholder_id: p.dissented for p in decision.participants.all()}
    assert rows == {logged.others[0].pk: False, logged.others[1].pk: True}
    assert decision.history.count() == 1  # type: ignore[attr-defined]


def test_counts_on_a_decision_not_taken_by_vote_are_refused(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    response = client.post(
        reverse("decision_add", args=[logged.project.pk]),
        decision_post(method="lead_decides", votes_for="2"),
    )
    assert response.status_code == 400
    [(name, message)] = core_messages(method=DecisionRule.LEAD_DECIDES, votes_for=2, what="x")
    assert message in field_block(page_text(response), name)


def test_a_negative_count_and_a_missing_method_are_named_by_the_core(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    response = client.post(
        reverse("decision_add", args=[logged.project.pk]),
        decision_post(method="", what="", votes_for="-1"),
    )
    assert response.status_code == 400
    page = page_text(response)
    for name, message in core_messages(method=None, votes_for=-1, what=""):
        assert message in field_block(page, name)


def test_a_consensus_with_dissent_is_saved_with_the_cores_note(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    response = client.post(
        reverse("decision_add", args=[logged.project.pk]),
        decision_post(method="consensus", dissent="Dennis stood aside."),
        follow=True,
    )
    assert response.status_code == 200
    [(_name, note)] = core_messages(method=DecisionRule.CONSENSUS, dissent="x", what="x")
    assert note in page_text(response)
    assert Decision.objects.filter(method="consensus").exists()


def test_someone_who_disagreed_must_have_taken_part(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    response = client.post(
        reverse("decision_add", args=[logged.project.pk]),
        decision_post(method="consensus", dissenters=[str(logged.others[0].pk)]),
    )
    assert response.status_code == 400
    assert "Who took part" in field_block(page_text(response), "dissenters")


def test_changing_a_decision_keeps_its_links_in_step(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    decision = logged.shared
    url = reverse("decision_edit", args=[logged.project.pk, decision.pk])
    page = page_text(client.get(url))
    assert 'value="3"' in field_block(page, "votes_for")
    kept = [str(logged.own.pk), str(logged.others[0].pk)]
    response = client.post(
        url,
        decision_post(
            what=decision.what,
            votes_for="1",
            votes_against="1",
            participants=kept,
            dissenters=kept[:1],
            answers=[str(logged.mine.pk)],
        ),
    )
    assert response.status_code == 302
    rows = {p.stakeholder_id: p.dissented for p in decision.participants.all()}
    assert rows == {logged.own.pk: True, logged.others[0].pk: False}
    assert [a.contribution_id for a in decision.answers.all()] == [logged.mine.pk]
    # Each removed link is in the history, one by one.
    removed = DecisionParticipant.history.filter(decision_id=decision.pk, history_type="-")  # type: ignore[attr-defined]
    assert removed.count() == 2


def test_deleting_a_decision_keeps_it_in_the_history(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    pk = logged.shared.pk
    response = client.post(reverse("decision_edit", args=[logged.project.pk, pk]), {"delete": "1"})
    assert response.status_code == 302
    assert not Decision.objects.filter(pk=pk).exists()
    assert Decision.history.filter(id=pk, history_type="-").exists()  # type: ignore[attr-defined]


# --- The contributions a decision answered --------------------------------------------------------


def test_the_team_picks_contributions_anonymous_ones_name_nobody(logged: Logged) -> None:
    page = page_text(
        logged.team.client_for("lead").get(reverse("decision_add", args=[logged.project.pk]))
    )
    block = field_block(page, "answers")
    assert logged.named.stakeholder.name in block  # type: ignore[union-attr]
    anonymous_choice = selectors.contribution_choice(logged.anonymous)
    assert anonymous_choice in block
    assert logged.own.name not in anonymous_choice


def test_the_detail_shows_what_a_decision_answered(logged: Logged) -> None:
    url = reverse("decision_detail", args=[logged.project.pk, logged.shared.pk])
    lead = page_text(logged.team.client_for("lead").get(url))
    assert selectors.short(logged.named.text) in lead
    assert logged.others[0].name in lead  # the team sees who said it
    assert selectors.short(logged.anonymous.text) in lead
    anonymous_line = lead.split(selectors.short(logged.anonymous.text))[1].split("</li>")[0]
    assert "Anonymous" in anonymous_line and logged.own.name not in anonymous_line
    # The author of the anonymous contribution sees it is theirs; others' names are hidden.
    partner = page_text(logged.team.client_for("partner").get(url))
    line = partner.split(selectors.short(logged.anonymous.text))[1].split("</li>")[0]
    assert "yours" in line
    named_line = partner.split(selectors.short(logged.named.text))[1].split("</li>")[0]
    assert logged.others[0].name not in named_line and "yours" not in named_line


# --- What partners and observers see --------------------------------------------------------------


def test_partners_see_shared_decisions_with_counts_by_group_never_names(logged: Logged) -> None:
    client = logged.team.client_for("partner")
    listing = page_text(client.get(reverse("decision_list", args=[logged.project.pk])))
    assert logged.shared.what in listing
    assert logged.hidden.what not in listing
    detail_url = reverse("decision_detail", args=[logged.project.pk, logged.shared.pk])
    detail = page_text(client.get(detail_url))
    for person in logged.others:
        assert person.name not in detail
    view = selectors.decision_get(
        logged.project, logged.shared.pk, user=logged.team.partner, today=TODAY
    )
    for group in view.by_group:
        assert f"{group.label}: {group.count}" in detail
    assert "You took part." in detail
    hidden_url = reverse("decision_detail", args=[logged.project.pk, logged.hidden.pk])
    assert client.get(hidden_url).status_code == 404


def test_observers_read_every_decision_without_names(logged: Logged) -> None:
    client = logged.team.client_for("observer")
    listing = page_text(client.get(reverse("decision_list", args=[logged.project.pk])))
    assert logged.hidden.what in listing and logged.shared.what in listing
    detail = page_text(
        client.get(reverse("decision_detail", args=[logged.project.pk, logged.hidden.pk]))
    )
    assert logged.hidden.others_present not in detail  # the others, as the team wrote them
    assert "1 other person" in detail
    for person in [logged.own, *logged.others]:
        assert person.name not in detail


def test_reviews_due_are_flagged(logged: Logged) -> None:
    page = page_text(
        logged.team.client_for("lead").get(reverse("decision_list", args=[logged.project.pk]))
    )
    row = page.split(f'id="decision-{logged.shared.pk}"')[1].split("</tr>")[0]
    assert "Review due" in row  # 1 November 2026 has passed
    other = page.split(f'id="decision-{logged.hidden.pk}"')[1].split("</tr>")[0]
    assert "Review due" not in other


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_decision_log_document_holds_what_each_viewer_may_see(logged: Logged) -> None:
    url = reverse("decision_docx", args=[logged.project.pk])
    lead = logged.team.client_for("lead").get(url)
    assert lead.status_code == 200
    assert lead["Content-Disposition"].endswith('decision-log.docx"')
    text = _docx_text(lead.content)
    assert logged.hidden.what in text and logged.others[0].name in text
    assert "3 for, 1 against" in text
    assert "Gaps in this record" not in text  # the saved records are whole
    partner = _docx_text(logged.team.client_for("partner").get(url).content)
    assert logged.shared.what in partner and logged.hidden.what not in partner
    for person in logged.others:
        assert person.name not in partner
    assert "4 people" in partner


# --- The dissemination agreement ------------------------------------------------------------------


def _line_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "line-output": "Journal article on the main findings",
        "line-who": "The research team",
        "line-partner_review": "comment",
        "line-review_window_days": "28",
        "line-embargo_until": "",
        "line-draft_shared_on": "",
        "line-note": "",
        "add_line": "1",
    }
    data.update(overrides)
    return data


def _warnings(page: str) -> set[str]:
    return {chunk.split('"')[0] for chunk in page.split('data-warning="')[1:]}


def test_a_veto_line_brings_the_dissemination_warning_and_removing_it_clears_it(
    logged: Logged,
) -> None:
    client = logged.team.client_for("lead")
    url = reverse("agreement", args=[logged.project.pk])
    assert "dissemination-block" not in _warnings(page_text(client.get(url)))

    response = client.post(url, _line_post(**{"line-partner_review": "veto"}))
    assert response.status_code == 302
    right = PublicationRight.objects.get(project=logged.project)
    assert right.partner_review == "veto"
    page = page_text(client.get(url))
    assert "dissemination-block" in _warnings(page)
    # The warning is the decision aid's own, on the overview too once the plan carries the lines.
    plan = selectors.agreement_plan(Project.objects.get(pk=logged.project.pk))
    assert "dissemination-block" in {w.id for w in selectors.dissemination_warnings(plan)}

    edit = reverse("agreement_line_edit", args=[logged.project.pk, right.pk])
    response = client.post(
        edit,
        {
            "output": right.output,
            "who": right.who,
            "partner_review": "comment",
            "review_window_days": "28",
        },
    )
    assert response.status_code == 302
    assert "dissemination-block" not in _warnings(page_text(client.get(url)))


def test_each_line_shows_where_it_stands_today_as_the_core_says(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    url = reverse("agreement", args=[logged.project.pk])
    later = dt.date.today() + dt.timedelta(days=60)
    client.post(url, _line_post(**{"line-embargo_until": later.isoformat()}))
    shared = dt.date.today() - dt.timedelta(days=3)
    client.post(
        url,
        _line_post(**{"line-output": "Lay summary", "line-draft_shared_on": shared.isoformat()}),
    )
    page = page_text(client.get(url))
    for row in PublicationRight.objects.filter(project=logged.project):
        status = core.publication_status(
            selectors.plan_io.right_of(row), dt.date.today(), draft_shared_on=row.draft_shared_on
        )
        assert status in page.split(f'id="line-{row.pk}"')[1].split("</tr>")[0]
    summary = selectors.dashboard_summary(
        logged.project, user=logged.team.lead, today=dt.date.today()
    )
    assert [line.row.output for line in summary.embargoed] == [
        "Journal article on the main findings"
    ]
    assert [line.row.output for line in summary.reviews_open] == ["Lay summary"]


def test_a_line_the_core_refuses_is_named_and_not_saved(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    before = history_size()
    response = client.post(
        reverse("agreement", args=[logged.project.pk]),
        _line_post(**{"line-output": "  ", "line-review_window_days": "400"}),
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "Say what is published." in field_block(page, "line-output")
    assert "365" in field_block(page, "line-review_window_days")
    assert PublicationRight.objects.count() == 0
    assert history_size() == before


def test_the_agreements_terms_are_written_on_the_project(logged: Logged) -> None:
    client = logged.team.client_for("researcher")
    url = reverse("agreement", args=[logged.project.pk])
    response = client.post(
        url,
        {
            "terms-researchers_may_publish_unwelcome": "on",
            "terms-review_window_days": "21",
            "terms-embargo_until": "2027-09-01",
            "save_terms": "1",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(pk=logged.project.pk)
    assert (project.review_window_days, project.embargo_until) == (21, dt.date(2027, 9, 1))
    assert project.has_dissemination_agreement and not project.stakeholders_can_block
    # Giving up the right to publish unwelcome findings is the aid's warning too.
    client.post(url, {"terms-review_window_days": "21", "save_terms": "1"})
    assert "dissemination-block" in _warnings(page_text(client.get(url)))
    before = history_size()
    response = client.post(url, {"terms-review_window_days": "999", "save_terms": "1"})
    assert response.status_code == 400
    assert history_size() == before


def test_partners_read_the_agreement_but_cannot_change_it(logged: Logged) -> None:
    services.publication_right_create(
        project=logged.project, output="Final report", who="The research team"
    )
    client = logged.team.client_for("partner")
    response = client.get(reverse("agreement", args=[logged.project.pk]))
    assert response.status_code == 200
    page = page_text(response)
    assert "Final report" in page and 'name="add_line"' not in page


# --- Terms of reference ---------------------------------------------------------------------------


def test_new_terms_start_from_the_plan_and_name_their_gaps(logged: Logged) -> None:
    client = logged.team.client_for("lead")
    person = logged.own
    url = reverse("terms_edit", args=[logged.project.pk, person.pk])
    page = page_text(client.get(url))
    project = logged.project
    assert project.disagreements.split()[0] in field_block(page, "disagreements")
    assert project.leaving.split()[0] in field_block(page, "leaving")
    assert f"within {project.feedback_days} days" in field_block(page, "feedback")
    assert "£" not in field_block(page, "payment")  # never a made-up figure
    for gap in terms_gaps(selectors.core_terms(person, None)):
        assert gap.why in page

    response = client.post(
        url,
        {
            "role": "Public contributor on the management group",
            "time": "About 6 hours a month",
            "payment": "",
            "feedback": "Within 30 days",
            "recognition": "",
            "disagreements": "Raised at the management group",
            "leaving": "At any time",
            "agreed_on": "2026-04-20",
            "review_on": "2026-10-01",
        },
    )
    assert response.status_code == 302
    terms = TermsOfReference.objects.get(stakeholder=person)
    gaps = terms_gaps(selectors.core_terms(person, terms))
    assert [gap.part for gap in gaps] == ["payment", "recognition"]
    listing = page_text(client.get(reverse("terms_list", args=[logged.project.pk])))
    row = listing.split(f'id="person-{person.pk}"')[1].split("</tr>")[0]
    assert f'data-gaps="{len(gaps)}"' in row and "Review due" in row


def test_the_costs_team_is_pointed_to_without_figures(logged: Logged) -> None:
    from coprod.web.costs.models import TeamMember

    TeamMember.objects.create(
        project=logged.project, name=logged.own.name, stakeholder=logged.own, receives_benefits=True
    )
    page = page_text(
        logged.team.client_for("lead").get(
            reverse("terms_edit", args=[logged.project.pk, logged.own.pk])
        )
    )
    assert "is in the costs team" in page and "welfare benefits" in page
    assert "“public_contributor_example”" in page  # the example budget's rate card, by name


def test_the_terms_document_opens_and_a_partner_gets_only_their_own(logged: Logged) -> None:
    services.terms_save(
        project=logged.project, person=logged.own, role="Public contributor", leaving="Any time"
    )
    url = reverse("terms_docx", args=[logged.project.pk, logged.own.pk])
    for who in ("lead", "partner"):
        response = logged.team.client_for(who).get(url)
        assert response.status_code == 200
        text = _docx_text(response.content)
        assert "Public contributor" in text and logged.own.name in text
        assert "Still to agree" in text
    other = reverse("terms_docx", args=[logged.project.pk, logged.others[0].pk])
    assert logged.team.client_for("partner").get(other).status_code == 404
    assert logged.team.client_for("observer").get(url).status_code == 403
    listing = page_text(
        logged.team.client_for("partner").get(reverse("terms_list", args=[logged.project.pk]))
    )
    assert logged.own.name in listing
    for person in logged.others:
        assert person.name not in listing


# --- The overview and the partner's view ----------------------------------------------------------


def test_the_dashboard_summary_for_the_team_and_for_a_partner(logged: Logged) -> None:
    team = selectors.dashboard_summary(logged.project, user=logged.team.lead, today=TODAY)
    assert [v.pk for v in team.recent] == [logged.shared.pk, logged.hidden.pk]
    assert [v.pk for v in team.reviews_due] == [logged.shared.pk]
    partner = selectors.dashboard_summary(logged.project, user=logged.team.partner, today=TODAY)
    assert [v.pk for v in partner.recent] == [logged.shared.pk]
    assert partner.recent[0].people == []  # no names for a partner
    summary = selectors.partner_summary(logged.project, user=logged.team.partner, today=TODAY)
    assert [line.person.pk for line in summary.terms] == [logged.own.pk]


def test_the_partials_render_for_the_overview_and_the_partner_view(logged: Logged) -> None:
    from django.template.loader import render_to_string

    summary = selectors.dashboard_summary(logged.project, user=logged.team.lead, today=TODAY)
    text = render_to_string(
        "decisions/_dashboard.html", {"summary": summary, "project": logged.project}
    )
    assert logged.shared.what[:40] in html.unescape(text)
    partner = selectors.partner_summary(logged.project, user=logged.team.partner, today=TODAY)
    text = html.unescape(
        render_to_string("decisions/_partner.html", {"summary": partner, "project": logged.project})
    )
    assert logged.shared.what[:40] in text and logged.hidden.what[:40] not in text
    for person in logged.others:
        assert person.name not in text


# --- The demo -------------------------------------------------------------------------------------


def test_the_demo_adds_decisions_an_agreement_and_terms_once(logged: Logged) -> None:
    from coprod.web.decisions.demo import demo_decisions

    project = make_team_project()
    made = demo_decisions(project)
    assert (made.decisions, made.lines, made.terms) == (4, 3, 1)
    vote = Decision.objects.get(project=project, method="vote")
    assert vote.dissent and vote.participants.filter(dissented=True).exists()
    view = selectors.decision_get(project, vote.pk, user=project.created_by, today=TODAY)
    assert [m for _f, m in view.notes] == []
    assert demo_decisions(project).decisions == 0


def make_team_project() -> Project:
    from coprod.formats.plan_file import load_plan
    from coprod.web.accounts.models import User
    from coprod.web.projects import services as project_services
    from tests.web.conftest import EXAMPLE

    user = User.objects.create_user(username="demo-lead", password="x-long-password-42")
    return project_services.project_import(user=user, plan=load_plan(EXAMPLE).plan)

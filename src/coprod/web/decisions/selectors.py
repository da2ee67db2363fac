"""Reads of the decision log, the dissemination agreement and terms of reference.

Each function runs a fixed number of queries, whatever the number of decisions, people,
contributions or agreement lines. The rules are the core's: what a decision lacks
(:func:`coprod.core.decisions.decision_problems`), where an output stands today
(:func:`~coprod.core.decisions.publication_status`), what terms of reference lack
(:func:`coprod.core.terms.terms_gaps`) and the decision aid's dissemination warnings
(:func:`coprod.core.assess.assess`). This module reads rows and hands them over.

Names are shown only to those who may see them (``decisions.view_names``): everyone else sees how
many people from each group took part, whether they took part themselves, and the contributions
answered without anyone's name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from coprod.core import decisions as core
from coprod.core.assess import Warning, assess
from coprod.core.catalogue import default_catalogue
from coprod.core.ids import DecisionRule, Group, Stage
from coprod.core.plan import Plan
from coprod.core.terms import Gap, terms_gaps
from coprod.core.terms import TermsOfReference as CoreTerms
from coprod.web.decisions import plan_io
from coprod.web.decisions.labels import METHOD_LABELS, OUTCOME_LABELS, REVIEW_LABELS
from coprod.web.decisions.models import (
    Decision,
    DecisionContribution,
    DecisionParticipant,
    PublicationRight,
    TermsOfReference,
)
from coprod.web.decisions.permissions import decision_permissions
from coprod.web.ledger.models import Contribution
from coprod.web.projects.models import Project, Stakeholder
from coprod.web.projects.plan_mapping import plan_from_project
from coprod.web.projects.selectors import plan_load

SHORT = 90  # characters of a contribution shown beside a decision


def short(text: str, limit: int = SHORT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_label(group: str) -> str:
    try:
        return str(default_catalogue().groups[Group(group)].label)
    except ValueError:
        return group or _("No group")


# --- Counting who took part, and asking the core what a decision lacks ---------------------------


def took_part(roster_count: int, others_count: int | None, others_present: str) -> int:
    """How many took part, for the core's check of the vote counts; 0 when the record cannot say
    (others took part, but how many is not written down)."""
    if others_present.strip() and others_count is None:
        return 0
    return roster_count + (others_count or 0)


def is_note(message: str) -> bool:
    """A remark the core makes on a decision it accepts (it starts "Note:"), not a problem."""
    return message.startswith("Note:")


def decision_problems(
    *,
    what: str,
    method: str,
    votes_for: int | None,
    votes_against: int | None,
    votes_abstain: int | None,
    roster_count: int,
    others_count: int | None,
    others_present: str,
    dissent: str,
) -> list[tuple[str, str]]:
    """The core's (field, message) pairs for these values of a decision."""
    try:
        rule: DecisionRule | None = DecisionRule(method)
    except ValueError:
        rule = None
    return core.decision_problems(
        method=rule,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        participants=took_part(roster_count, others_count, others_present),
        dissent=dissent,
        what=what,
    )


# --- The decision log ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """A contribution a decision answered, as this viewer may see it."""

    pk: int
    text: str
    who: str  # a name, a group, "Anonymous", or "" where the viewer may not see it
    yours: bool
    made_on: dt.date


@dataclass(frozen=True)
class GroupCount:
    label: str
    count: int
    dissented: int


@dataclass(frozen=True)
class DecisionView:
    """One decision as the viewer may see it."""

    decision: Decision
    method_label: str
    outcome: str  # "carried", ... in words, for a vote with its counts; "" otherwise
    people: list[tuple[Stakeholder, bool]]  # (person, disagreed); empty unless names are shown
    by_group: list[GroupCount]
    others_count: int | None
    others_present: str  # empty unless names are shown
    you_took_part: bool
    you_disagreed: bool
    answers: list[Answered]
    review_due: bool
    names: bool  # whether this viewer sees who took part by name
    notes: list[tuple[str, str]] = field(default_factory=list)
    dissent: str = ""  # as written for those who see names; with the roster's names withheld

    @property
    def pk(self) -> int:
        return self.decision.pk

    @property
    def took_part(self) -> int:
        return sum(g.count for g in self.by_group) + (self.others_count or 0)

    @property
    def disagreed(self) -> int:
        return sum(g.dissented for g in self.by_group)


def _decisions(project: Project, *, shared_only: bool) -> list[Decision]:
    """The project's decisions with who took part and what they answered: three queries."""
    queryset = Decision.objects.filter(project=project)
    if shared_only:
        queryset = queryset.filter(shared_with_partners=True)
    return list(
        queryset.prefetch_related(
            Prefetch(
                "participants",
                queryset=DecisionParticipant.objects.select_related("stakeholder").order_by(
                    "stakeholder__position", "stakeholder_id"
                ),
            ),
            Prefetch(
                "answers",
                queryset=DecisionContribution.objects.select_related(
                    "contribution", "contribution__stakeholder"
                ).order_by("contribution__made_on", "contribution_id"),
            ),
        )
    )


def _answered(contribution: Contribution, *, user: Any, names: bool) -> Answered:
    author = contribution.stakeholder
    yours = contribution.submitted_by_id == user.pk or (
        author is not None and author.user_id is not None and author.user_id == user.pk
    )
    if contribution.anonymous:
        who = _("Anonymous")  # anonymous to everyone but its author, who sees "yours"
    elif not names:
        who = ""
    elif author is not None:
        who = author.name
    elif contribution.group:
        who = _("%(group)s, as a group") % {"group": group_label(contribution.group)}
    else:
        who = ""
    return Answered(
        pk=contribution.pk,
        text=short(contribution.text),
        who=who,
        yours=yours,
        made_on=contribution.made_on,
    )


WITHHELD = "[name withheld]"


def roster_names(project: Project) -> tuple[list[str], list[str]]:
    """The names the roster knows people by (one query): full names and other names, matched in
    any case, and each capitalised word of them, matched as written. A dissent shown to someone
    who may not see names has these withheld."""
    full: set[str] = set()
    words: set[str] = set()
    rows = Stakeholder.objects.filter(project=project, erased_at__isnull=True).values_list(
        "name", "aliases"
    )
    for name, aliases in rows:
        for value in [name, *(a for a in aliases or () if isinstance(a, str))]:
            value = value.strip()
            if len(value) >= 2:
                full.add(value)
            words.update(
                word for word in re.findall(r"[^\W\d_][\w'’-]+", value) if word[0].isupper()
            )
    return sorted(full, key=len, reverse=True), sorted(words, key=len, reverse=True)


def _whole_words(names: Sequence[str]) -> str:
    return r"(?<!\w)(?:" + "|".join(re.escape(name) for name in names) + r")(?!\w)"


def withhold_names(text: str, names: tuple[Sequence[str], Sequence[str]]) -> str:
    """The text with every roster name in it replaced (see :func:`roster_names`)."""
    full, words = names
    if text and full:
        text = re.sub(_whole_words(full), WITHHELD, text, flags=re.IGNORECASE)
    if text and words:
        text = re.sub(_whole_words(words), WITHHELD, text)
    return text


def describe(
    decision: Decision,
    *,
    user: Any,
    names: bool,
    today: dt.date,
    withheld: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> DecisionView:
    """A decision as this viewer may see it; its participants and answers must be prefetched.
    Without ``names``, the roster names in ``withheld`` are taken out of the dissent."""
    people = [(p.stakeholder, p.dissented) for p in decision.participants.all()]
    counts: dict[str, list[int]] = {}
    for person, dissented in people:
        tally = counts.setdefault(person.group, [0, 0])
        tally[0] += 1
        tally[1] += int(dissented)
    order = [g.value for g in Group]
    by_group = [
        GroupCount(group_label(group), count, dissented)
        for group, (count, dissented) in sorted(
            counts.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]
    own = [(person, dissented) for person, dissented in people if person.user_id == user.pk]
    outcome = ""
    if (
        decision.method == DecisionRule.VOTE.value
        and decision.votes_for is not None
        and decision.votes_against is not None
    ):
        outcome = str(OUTCOME_LABELS[core.vote_outcome(decision.votes_for, decision.votes_against)])
    problems = decision_problems(
        what=decision.what,
        method=decision.method,
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        votes_abstain=decision.votes_abstain,
        roster_count=len(people),
        others_count=decision.others_count,
        others_present=decision.others_present,
        dissent=decision.dissent,
    )
    return DecisionView(
        decision=decision,
        method_label=str(METHOD_LABELS.get(decision.method, decision.method)),
        outcome=outcome,
        people=people if names else [],
        by_group=by_group,
        others_count=decision.others_count,
        others_present=decision.others_present if names else "",
        you_took_part=bool(own),
        you_disagreed=any(dissented for _person, dissented in own),
        answers=[
            _answered(link.contribution, user=user, names=names) for link in decision.answers.all()
        ],
        review_due=decision.review_on is not None and decision.review_on <= today,
        names=names,
        notes=problems,
        dissent=decision.dissent if names else withhold_names(decision.dissent, withheld),
    )


def decision_log(project: Project, *, user: Any, today: dt.date) -> list[DecisionView]:
    """Every decision this viewer may see, newest first (three queries)."""
    allowed = decision_permissions(user, project)
    if not allowed["decisions.view_log"]:
        return []
    rows = _decisions(project, shared_only=not allowed["decisions.view_unshared"])
    names = allowed["decisions.view_names"]
    withheld = ([], []) if names or not rows else roster_names(project)
    return [describe(row, user=user, names=names, today=today, withheld=withheld) for row in rows]


def decision_get(project: Project, decision_id: int, *, user: Any, today: dt.date) -> DecisionView:
    """One decision this viewer may see; 404 otherwise, as for one that does not exist."""
    allowed = decision_permissions(user, project)
    rows = [
        row
        for row in _decisions_by_id(project, decision_id)
        if row.shared_with_partners or allowed["decisions.view_unshared"]
    ]
    if not rows or not allowed["decisions.view_log"]:
        raise Http404
    names = allowed["decisions.view_names"]
    withheld = ([], []) if names else roster_names(project)
    return describe(rows[0], user=user, names=names, today=today, withheld=withheld)


def _decisions_by_id(project: Project, decision_id: int) -> list[Decision]:
    queryset = Decision.objects.filter(project=project, pk=decision_id)
    return list(
        queryset.prefetch_related(
            Prefetch(
                "participants", queryset=DecisionParticipant.objects.select_related("stakeholder")
            ),
            Prefetch(
                "answers",
                queryset=DecisionContribution.objects.select_related(
                    "contribution", "contribution__stakeholder"
                ),
            ),
        )
    )


def decision_row(project: Project, decision_id: int) -> Decision:
    """The stored decision, with its links, for the team to change; 404 if the project has none."""
    rows = _decisions_by_id(project, decision_id)
    if not rows:
        raise Http404
    return rows[0]


class LoggedDecision(core.Decision):
    """The core's decision, counting others who took part beside the people named."""

    def __init__(self, *args: Any, counted: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "_counted", counted)

    @property
    def took_part(self) -> int:
        counted = getattr(self, "_counted", None)
        return counted if counted is not None else super().took_part


def core_decision(view: DecisionView, *, names: bool) -> core.Decision:
    """The decision as the core's record, for the decision log document.

    With ``names``, the people who took part (and the others, as the team wrote them); without,
    only how many took part.
    """
    decision = view.decision
    roster_count = sum(group.count for group in view.by_group)
    counted = took_part(roster_count, decision.others_count, decision.others_present)
    participants: tuple[str, ...] = ()
    if names:
        participants = tuple(
            person.name + (f" ({_('disagreed')})" if dissented else "")
            for person, dissented in view.people
        )
        if decision.others_present.strip():
            participants += (decision.others_present.strip(),)
        elif decision.others_count:
            participants += (_("%(count)s others") % {"count": decision.others_count},)
    answers = tuple(f"{item.text} ({item.who})" if item.who else item.text for item in view.answers)
    return LoggedDecision(
        what=decision.what,
        decided_on=decision.decided_on,
        method=DecisionRule(decision.method),
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        votes_abstain=decision.votes_abstain,
        participants=participants,
        participant_count=None if participants else (view.took_part or None),
        dissent=view.dissent or None,
        answers=answers,
        review_on=decision.review_on,
        counted=counted,
    )


def roster(project: Project) -> list[Stakeholder]:
    """The project's roster in plan order (one query)."""
    return list(Stakeholder.objects.filter(project=project).order_by("position", "id"))


def contributions(project: Project) -> list[Contribution]:
    """The project's contributions, newest first, with who made them (one query)."""
    return list(
        Contribution.objects.filter(project=project)
        .select_related("stakeholder")
        .order_by("-made_on", "-id")
    )


def contribution_choice(contribution: Contribution) -> str:
    """A contribution as the team picks it from a list: its date, a short text and who made it.

    An anonymous contribution names nobody."""
    if contribution.anonymous:
        who = _("anonymous")
    elif contribution.stakeholder is not None:
        who = contribution.stakeholder.name
    elif contribution.group:
        who = group_label(contribution.group)
    else:
        who = _("not recorded")
    return f"{contribution.made_on:%d/%m/%Y}: “{short(contribution.text, 70)}” ({who})"


# --- The dissemination agreement ------------------------------------------------------------------


def agreement_plan(project: Project) -> Plan:
    """The project's plan, with the agreement's lines in it (a fixed number of queries)."""
    plan_load(project=project)
    prefetch_related_objects([project], "publication_rights")
    plan = plan_from_project(project)
    governance = plan.governance
    if governance is None or governance.dissemination is None:
        return plan
    dissemination = governance.dissemination.model_copy(update={"rights": plan_io.to_plan(project)})
    return plan.model_copy(
        update={"governance": governance.model_copy(update={"dissemination": dissemination})}
    )


def dissemination_warnings(plan: Plan) -> list[Warning]:
    """The decision aid's warnings about sharing the findings, as the core gives them."""
    return [w for w in assess(plan).warnings if w.subject == Stage.DISSEMINATION.value]


@dataclass(frozen=True)
class LineView:
    row: PublicationRight
    review_label: str
    status: str
    embargoed: bool
    review_open_until: dt.date | None


def line_view(row: PublicationRight, today: dt.date) -> LineView:
    right = plan_io.right_of(row)
    ends = core.review_ends(right, row.draft_shared_on) if row.draft_shared_on else None
    return LineView(
        row=row,
        review_label=str(REVIEW_LABELS.get(row.partner_review, row.partner_review)),
        status=core.publication_status(right, today, draft_shared_on=row.draft_shared_on),
        embargoed=row.embargo_until is not None and today < row.embargo_until,
        review_open_until=ends if ends is not None and today <= ends else None,
    )


@dataclass(frozen=True)
class AgreementView:
    project: Project
    lines: list[LineView]
    warnings: list[Warning]

    @property
    def has_agreement(self) -> bool:
        return self.project.has_dissemination_agreement


def agreement_view(project: Project, today: dt.date) -> AgreementView:
    """The agreement's terms, its lines with where each stands today, and the aid's warnings."""
    plan = agreement_plan(project)
    return AgreementView(
        project=project,
        lines=[line_view(row, today) for row in plan_io.rows_of(project)],
        warnings=dissemination_warnings(plan),
    )


def right_get(project: Project, right_id: int) -> PublicationRight:
    row = PublicationRight.objects.filter(project=project, pk=right_id).first()
    if row is None:
        raise Http404
    return row


# --- Terms of reference ---------------------------------------------------------------------------


def core_terms(person: Stakeholder, terms: TermsOfReference | None) -> CoreTerms:
    """The person's terms as the core's record (blank parts where nothing is agreed yet)."""
    name = person.name.strip() or _("A partner")
    if terms is None:
        return CoreTerms(person=name)
    return CoreTerms(
        person=name,
        role=terms.role,
        time=terms.time,
        payment=terms.payment,
        feedback=terms.feedback,
        recognition=terms.recognition,
        disagreements=terms.disagreements,
        leaving=terms.leaving,
        review_on=terms.review_on,
    )


@dataclass(frozen=True)
class TermsLine:
    person: Stakeholder
    terms: TermsOfReference | None
    gaps: list[Gap]
    review_due: bool


def terms_lines(project: Project, *, user: Any, today: dt.date) -> list[TermsLine]:
    """Whose terms this viewer may see, each with its gaps (two queries).

    The team sees every partner on the roster (everyone but researchers) and anyone who has terms
    already; a partner sees only their own.
    """
    allowed = decision_permissions(user, project)
    people = roster(project)
    if not allowed["decisions.view_all_terms"]:
        people = [p for p in people if p.user_id is not None and p.user_id == user.pk]
    terms = {
        t.stakeholder_id: t
        for t in TermsOfReference.objects.filter(
            project=project, stakeholder__in=[p.pk for p in people]
        )
    }
    lines = []
    for person in people:
        own = terms.get(person.pk)
        if own is None and (person.group == Group.RESEARCHERS.value or person.erased_at):
            continue
        lines.append(
            TermsLine(
                person=person,
                terms=own,
                gaps=terms_gaps(core_terms(person, own)),
                review_due=bool(own and own.review_on and own.review_on <= today),
            )
        )
    return lines


def person_get(project: Project, person_id: int) -> Stakeholder:
    person = Stakeholder.objects.filter(project=project, pk=person_id).first()
    if person is None:
        raise Http404
    return person


def terms_of(person: Stakeholder) -> TermsOfReference | None:
    return TermsOfReference.objects.filter(stakeholder=person).first()


def terms_defaults(project: Project, person: Stakeholder) -> dict[str, str]:
    """What the team's own plan already says, to start a person's terms from. No figures are made
    up: payment is left for the team to write."""
    catalogue = default_catalogue()
    role = person.role.strip()
    if person.brings.strip():
        role = f"{role}. {_('What you bring:')} {person.brings.strip()}" if role else person.brings
    stages = [
        str(catalogue.stages[Stage(stage)].label)
        for stage in person.stages
        if stage in {s.value for s in Stage}
    ]
    defaults = {
        "role": role,
        "time": (
            _("You are involved at these stages: %(stages)s.") % {"stages": ", ".join(stages)}
            if stages
            else ""
        ),
        "feedback": _(
            "We will tell you what became of each thing you contribute, and why, within "
            "%(days)s days (“you said, we did”)."
        )
        % {"days": project.feedback_days},
        "disagreements": project.disagreements.strip(),
        "leaving": project.leaving.strip(),
    }
    if not defaults["disagreements"] and project.decision_rule:
        defaults["disagreements"] = _(
            "Disagreements are raised at the group's meetings. In the end: %(rule)s."
        ) % {"rule": str(METHOD_LABELS[project.decision_rule]).lower()}
    return {name: value for name, value in defaults.items() if value}


def payment_hints(project: Project, person: Stakeholder) -> list[str]:
    """What the costs records say about paying this person, without any figure (two queries)."""
    from coprod.web.costs.models import BudgetLine, TeamMember

    hints = []
    member = TeamMember.objects.filter(stakeholder=person).first()
    if member is not None:
        hints.append(
            _(
                "%(name)s is in the costs team as “%(member)s”: record their time and payments "
                "there."
            )
            % {"name": person.name, "member": member.name}
        )
        if member.receives_benefits:
            hints.append(
                _("They receive welfare benefits: the costs team page has a letter for them.")
            )
    cards = sorted(
        {
            card
            for card in BudgetLine.objects.filter(
                project=project, kind="contributor_payment"
            ).values_list("rate_card", flat=True)
            if card
        }
    )
    if cards:
        hints.append(
            _(
                "The budget prices contributor payments from the rate card %(cards)s. Check the "
                "rate in force before you write it here."
            )
            % {"cards": ", ".join(f"“{card}”" for card in cards)}
        )
    return hints


# --- The overview and the partner's view ---------------------------------------------------------


@dataclass(frozen=True)
class DashboardSummary:
    """What the project's overview shows of decisions and the agreement, for this viewer."""

    decision_count: int
    recent: list[DecisionView]
    reviews_due: list[DecisionView]
    embargoed: list[LineView]
    reviews_open: list[LineView]
    project_embargo: dt.date | None
    terms_due: int


def dashboard_summary(
    project: Project, *, user: Any, today: dt.date, recent: int = 3
) -> DashboardSummary:
    """Recent decisions, decision reviews due, and the embargoes and partners' review windows open
    today. A fixed number of queries (decisions three, agreement lines one, terms one)."""
    log = decision_log(project, user=user, today=today)
    allowed = decision_permissions(user, project)
    lines = (
        [line_view(row, today) for row in plan_io.rows_of(project)]
        if allowed["decisions.view_agreement"]
        else []
    )
    terms_due = 0
    if allowed["decisions.view_all_terms"]:
        terms_due = TermsOfReference.objects.filter(project=project, review_on__lte=today).count()
    embargo = project.embargo_until if project.has_dissemination_agreement else None
    return DashboardSummary(
        decision_count=len(log),
        recent=log[:recent],
        reviews_due=sorted(
            (view for view in log if view.review_due),
            key=lambda view: view.decision.review_on or today,
        ),
        embargoed=[line for line in lines if line.embargoed],
        reviews_open=[line for line in lines if line.review_open_until is not None],
        project_embargo=embargo if embargo is not None and today < embargo else None,
        terms_due=terms_due,
    )


@dataclass(frozen=True)
class PartnerSummary:
    """What a partner sees here: decisions shared with partners, the agreement, their own terms."""

    decisions: list[DecisionView]
    lines: list[LineView]
    terms: list[TermsLine]
    project: Project


def partner_summary(
    project: Project, *, user: Any, today: dt.date, recent: int = 5
) -> PartnerSummary:
    """A fixed number of queries, whatever the size of the log."""
    return PartnerSummary(
        decisions=decision_log(project, user=user, today=today)[:recent],
        lines=[line_view(row, today) for row in plan_io.rows_of(project)],
        terms=terms_lines(project, user=user, today=today),
        project=project,
    )

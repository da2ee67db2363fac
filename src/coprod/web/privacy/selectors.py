"""Reads: everything held about one person, the requests to be erased, the dashboard's summary.

Each read runs a fixed number of queries, however many projects, contributions or time logs the
person has. Nothing about anyone else is read into a person's data: where others took part in a
decision with them, they are counted in the database, never loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from coprod.web.accounts.models import User
from coprod.web.costs.models import Expense, Payment, TeamMember, TimeLog
from coprod.web.decisions.models import DecisionParticipant, TermsOfReference
from coprod.web.ledger.models import Contribution
from coprod.web.people.models import Attendance
from coprod.web.privacy.models import ErasureRequest
from coprod.web.privacy.permissions import privacy_permissions
from coprod.web.projects.models import Invitation, Membership, Project, Stakeholder


@dataclass
class PersonData:
    """The rows of each table of :data:`coprod.web.privacy.export.TABLES` for one person."""

    who: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return len(self.tables.get(key, ()))

    @property
    def projects(self) -> list[str]:
        """The titles of the projects that hold something about the person, sorted."""
        titles = {
            str(row["project"])
            for rows in self.tables.values()
            for row in rows
            if row.get("project")
        }
        return sorted(titles)


def _roster_row(entry: Stakeholder) -> dict[str, Any]:
    return {
        "project": entry.project.title,
        "name": entry.name,
        "group": entry.group,
        "organisation": entry.organisation,
        "role": entry.role,
        "brings": entry.brings,
        "stages": list(entry.stages or []),
        "email": entry.email,
        "phone": entry.phone,
        "contact_consent": entry.contact_consent,
        "aliases": list(entry.aliases or []),
        "access_needs": entry.access_needs,
        "demographics_consent": entry.demographics_consent,
        "gender": entry.gender,
        "ethnicity": entry.ethnicity,
        "joined": entry.joined,
    }


def _team_row(member: TeamMember) -> dict[str, Any]:
    return {
        "project": member.project.title,
        "name": member.name,
        "role": member.role,
        "career_stage": member.career_stage,
        "contract": member.contract,
        "demographics_consent": member.demographics_consent,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "receives_benefits": member.receives_benefits,
    }


def _contribution_row(item: Contribution, user: User | None) -> dict[str, Any]:
    if item.stakeholder_id is not None:
        made_as = "you"
    elif item.anonymous:
        made_as = "anonymous (by you)"
    else:
        made_as = "for a group (by you)"
    return {
        "project": item.project.title,
        "made_on": item.made_on,
        "made_as": made_as,
        "group": item.group or (item.stakeholder.group if item.stakeholder else ""),
        "activity": item.activity.title if item.activity else "",
        "stage": item.stage,
        "kind": item.kind,
        "text": item.text,
        "disposition": item.disposition,
        "reason": item.reason,
        "changed": item.changed,
        "decided_on": item.disposed_on,
        "told_on": item.told_on,
    }


def _linked_rows(
    data: PersonData,
    *,
    user: User | None,
    stakeholders: Sequence[Stakeholder],
    members: Sequence[TeamMember],
) -> None:
    """Everything that hangs off the person's roster entries and costs entries."""
    tables = data.tables
    tables["roster_entries"] = [_roster_row(entry) for entry in stakeholders]
    tables["team_entries"] = [_team_row(member) for member in members]
    member_ids = [m.pk for m in members]
    entry_ids = [s.pk for s in stakeholders]
    tables["time_logs"] = [
        {
            "project": log.project.title,
            "date": log.date,
            "activity": log.activity,
            "hours": log.hours,
            "role": log.role,
            "kind": log.kind,
        }
        for log in TimeLog.objects.filter(person_id__in=member_ids)
        .select_related("project")
        .order_by("date", "id")
    ]
    tables["expenses"] = [
        {
            "project": expense.project.title,
            "date": expense.date,
            "description": expense.description,
            "amount": expense.amount,
            "currency": expense.currency,
            "kind": expense.kind,
        }
        for expense in Expense.objects.filter(person_id__in=member_ids)
        .select_related("project")
        .order_by("date", "id")
    ]
    tables["payments"] = [
        {
            "project": payment.project.title,
            "activity": payment.activity,
            "activity_date": payment.activity_date,
            "offered": payment.offered,
            "amount": payment.amount,
            "currency": payment.currency,
            "paid_on": payment.paid_on,
        }
        for payment in Payment.objects.filter(person_id__in=member_ids)
        .select_related("project")
        .order_by("activity_date", "id")
    ]
    tables["attendance"] = [
        {
            "project": row.project.title,
            "activity": row.activity.title,
            "kind": row.activity.kind,
            "date": row.activity.date,
            "stage": row.activity.stage,
            "hours": row.hours if row.hours is not None else row.activity.duration_hours,
        }
        for row in Attendance.objects.filter(stakeholder_id__in=entry_ids)
        .select_related("project", "activity")
        .order_by("activity__date", "id")
    ]
    mine = Q(stakeholder_id__in=entry_ids)
    if user is not None:
        mine |= Q(submitted_by=user)
    tables["contributions"] = [
        _contribution_row(item, user)
        for item in Contribution.objects.filter(mine)
        .select_related("project", "activity", "stakeholder")
        .order_by("made_on", "id")
    ]
    tables["decisions"] = [
        {
            "project": row.project.title,
            "decided_on": row.decision.decided_on,
            "what": row.decision.what,
            "method": row.decision.method,
            "you_disagreed": row.dissented,
            "people_taking_part": row.taking_part,
            "votes_for": row.decision.votes_for,
            "votes_against": row.decision.votes_against,
            "abstentions": row.decision.votes_abstain,
        }
        for row in DecisionParticipant.objects.filter(stakeholder_id__in=entry_ids)
        .select_related("project", "decision")
        .annotate(taking_part=Count("decision__participants"))
        .order_by("decision__decided_on", "id")
    ]
    tables["terms_of_reference"] = [
        {
            "project": terms.project.title,
            "role": terms.role,
            "time": terms.time,
            "payment": terms.payment,
            "feedback": terms.feedback,
            "recognition": terms.recognition,
            "disagreements": terms.disagreements,
            "leaving": terms.leaving,
            "agreed_on": terms.agreed_on,
            "review_on": terms.review_on,
        }
        for terms in TermsOfReference.objects.filter(stakeholder_id__in=entry_ids)
        .select_related("project")
        .order_by("project__title", "id")
    ]


def _invitation_rows(invitations: Any) -> list[dict[str, Any]]:
    return [
        {
            "project": invitation.project.title,
            "email": invitation.email,
            "role": invitation.role,
            "sent": invitation.created_at,
            "accepted": invitation.accepted_at,
        }
        for invitation in invitations.select_related("project").order_by("created_at", "id")
    ]


def account_data(*, user: User) -> PersonData:
    """Everything Coprod holds about the person with this account, across all projects."""
    data = PersonData(who=str(user))
    data.tables["account"] = [
        {
            "username": user.username,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "joined": user.date_joined,
            "last_signed_in": user.last_login,
            "active": user.is_active,
        }
    ]
    data.tables["memberships"] = [
        {"project": m.project.title, "role": m.role, "since": m.created_at}
        for m in Membership.objects.filter(user=user)
        .select_related("project")
        .order_by("project__title", "id")
    ]
    invited = Q(accepted_by=user)
    if user.email:
        invited |= Q(email__iexact=user.email)
    data.tables["invitations"] = _invitation_rows(Invitation.objects.filter(invited))
    stakeholders = list(
        Stakeholder.objects.filter(user=user)
        .select_related("project")
        .order_by("project__title", "id")
    )
    members = list(
        TeamMember.objects.filter(Q(user=user) | Q(stakeholder__in=[s.pk for s in stakeholders]))
        .select_related("project")
        .order_by("project__title", "id")
    )
    _linked_rows(data, user=user, stakeholders=stakeholders, members=members)
    data.tables["erasure_requests"] = [
        {
            "project": request.project.title if request.project else "",
            "whole_account": request.all_projects,
            "asked_on": request.requested_at,
            "erased_on": request.done_at,
        }
        for request in ErasureRequest.objects.filter(user=user)
        .select_related("project")
        .order_by("requested_at", "id")
    ]
    return data


def stakeholder_data(*, stakeholder: Stakeholder) -> PersonData:
    """Everything held about one roster person in their project (a subject access request).

    The roster person's own records only: if they also have an account, what the account holds
    is theirs to download from their own page.
    """
    project = stakeholder.project
    data = PersonData(who=stakeholder.name)
    members = list(
        TeamMember.objects.filter(stakeholder=stakeholder).select_related("project").order_by("id")
    )
    if stakeholder.email:
        data.tables["invitations"] = _invitation_rows(
            Invitation.objects.filter(project=project, email__iexact=stakeholder.email)
        )
    _linked_rows(data, user=None, stakeholders=[stakeholder], members=members)
    return data


# --- Requests to be erased ---------------------------------------------------------------------


def open_requests(*, project: Project) -> list[ErasureRequest]:
    """The project's requests not yet carried out, oldest first, with who asked."""
    return list(
        ErasureRequest.objects.filter(project=project, done_at__isnull=True)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def done_requests(*, project: Project) -> list[ErasureRequest]:
    """The project's erasures carried out, newest first: when, by whom, and the label left."""
    return list(
        ErasureRequest.objects.filter(project=project, done_at__isnull=False)
        .select_related("done_by")
        .order_by("-done_at", "-id")
    )


def own_requests(*, user: User) -> list[ErasureRequest]:
    """A person's own requests, open ones first."""
    return list(
        ErasureRequest.objects.filter(user=user)
        .select_related("project")
        .order_by("done_at", "-requested_at", "id")
    )


def projects_of(*, user: User) -> list[Project]:
    """Every project that holds something about the person: a role, a roster or a costs entry."""
    return list(
        Project.objects.filter(
            Q(memberships__user=user) | Q(stakeholders__user=user) | Q(team_members__user=user)
        )
        .distinct()
        .order_by("title", "id")
    )


def roster(*, project: Project) -> list[Stakeholder]:
    """The project's roster people, those already erased last."""
    return list(
        Stakeholder.objects.filter(project=project)
        .select_related("user")
        .order_by("erased_at", "name", "id")
    )


@dataclass(frozen=True)
class DashboardSummary:
    open: tuple[ErasureRequest, ...]

    @property
    def count(self) -> int:
        return len(self.open)


def dashboard_summary(project: Project, *, user: Any) -> DashboardSummary | None:
    """The open requests to be erased, for the project's leads; None for everyone else."""
    if not privacy_permissions(user, project)["privacy.manage_erasure"]:
        return None
    return DashboardSummary(open=tuple(open_requests(project=project)))

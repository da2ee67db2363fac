"""Reads. Each function runs a fixed number of queries, whatever the size of the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, prefetch_related_objects
from django.http import Http404

from coprod.core.plan import Plan
from coprod.web.projects.models import Membership, Project, Stakeholder
from coprod.web.projects.plan_mapping import plan_from_project

PLAN_RELATIONS = (
    "aims",
    "weights",
    "stage_plans",
    "alternatives",
    "stakeholders",
    "assessments",
    "budget_lines",
    "risks",
    "publication_rights",
)


def project_list(*, user: Any) -> QuerySet[Membership]:
    """The user's memberships, with each project and its organisation, newest change first."""
    return (
        Membership.objects.filter(user=user)
        .select_related("project", "project__organisation")
        .annotate(member_count=Count("project__memberships", distinct=True))
        .order_by("-project__updated_at")
    )


def project_get(*, user: Any, pk: int, with_plan: bool = False) -> Project:
    """A project the user belongs to, with their role remembered; 404 for anyone else.

    One query reads the membership with its project; ``with_plan`` adds one per plan section.
    """
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("project", "project__organisation")
        .filter(user=user, project_id=pk)
        .first()
    )
    if membership is None:
        raise Http404
    project = membership.project
    project.__dict__["_roles"] = {user.pk: membership.role}
    if with_plan:
        plan_load(project=project)
    return project


def plan_load(*, project: Project) -> Project:
    """Read every section of the plan into the project (a fixed number of queries)."""
    prefetch_related_objects([project], *PLAN_RELATIONS)
    return project


def project_plan(*, project: Project) -> Plan:
    """The project as a core Plan (expects ``project_get(..., with_plan=True)``)."""
    return plan_from_project(project)


@dataclass(frozen=True)
class PartnerPlace:
    """What a partner sees of their own place in a plan."""

    entries: list[Stakeholder]
    others_by_group: dict[str, int]


def partner_place(*, project: Project, user: Any) -> PartnerPlace:
    """The user's own stakeholder entries, and only a count of everyone else by group."""
    own = [s for s in project.stakeholders.all() if s.user_id == user.pk]
    others: dict[str, int] = {}
    for stakeholder in project.stakeholders.all():
        if stakeholder.user_id != user.pk:
            others[stakeholder.group] = others.get(stakeholder.group, 0) + 1
    return PartnerPlace(entries=own, others_by_group=others)


def member_list(*, project: Project) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
        .order_by("role", "user__username")
    )


def pending_invitations(*, project: Project) -> QuerySet[Any]:
    """Invitations to the project that nobody has used yet, newest first, with who sent them."""
    return (
        project.invitations.filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-id")
    )


def assessment_history(*, project: Project) -> list[Any]:
    """Every kept assessment of the project, oldest first, in one query."""
    return list(project.assessments.order_by("date", "created_at", "id"))

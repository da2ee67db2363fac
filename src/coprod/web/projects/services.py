"""Writes. Each runs in one transaction, so nothing is ever half-saved, and each leaves history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.core.assess import assess
from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Criterion, Stage
from coprod.core.plan import Criteria, Plan
from coprod.web.costs import plan_io as costs_plan_io
from coprod.web.decisions import plan_io as decisions_plan_io
from coprod.web.projects import selectors
from coprod.web.projects.models import (
    Aim,
    AlternativeChoice,
    Assessment,
    CriterionWeight,
    Invitation,
    Membership,
    Organisation,
    Project,
    Role,
    StagePlan,
    Stakeholder,
)
from coprod.web.projects.plan_mapping import child_rows, plan_from_project, project_fields
from coprod.web.risks import plan_io as risks_plan_io

PLAN_CHILDREN = ("aims", "weights", "stage_plans", "alternatives", "assessments")


@transaction.atomic
def project_create(
    *, user: Any, title: str, summary: str = "", organisation: Organisation | None = None
) -> Project:
    """A new project with its creator as lead."""
    project = Project.objects.create(
        title=title, summary=summary, organisation=organisation, created_by=user
    )
    Membership.objects.create(project=project, user=user, role=Role.LEAD)
    return project


# The plan's fields of a roster person; the rest (contact, consent, access needs) stays in Coprod.
PLAN_STAKEHOLDER_FIELDS = ("name", "group", "organisation", "role", "brings", "stages", "position")
# What ties a roster person to the project's records: such a person is kept when a plan file
# leaves them out, so that contributions, attendance and agreements keep their author.
STAKEHOLDER_RECORDS = ("contributions", "attendance", "terms", "decisions_taken")


def _has_records(person: Stakeholder) -> bool:
    if person.erased_at is not None or getattr(person, "team_member", None) is not None:
        return True
    return any(getattr(person, relation).exists() for relation in STAKEHOLDER_RECORDS)


def _stakeholders_replace(project: Project, rows: list[Stakeholder]) -> None:
    """Update the roster from a plan: people are matched by name, and never lose their records."""
    existing: dict[str, list[Stakeholder]] = {}
    for person in project.stakeholders.all():
        existing.setdefault(" ".join(person.name.split()).casefold(), []).append(person)
    for row in rows:
        matches = existing.get(" ".join(row.name.split()).casefold())
        if not matches:
            row.save()
            continue
        person = matches.pop(0)
        changed = [f for f in PLAN_STAKEHOLDER_FIELDS if getattr(person, f) != getattr(row, f)]
        for field in changed:
            setattr(person, field, getattr(row, field))
        if changed:
            person.save()
    for person in (p for people in existing.values() for p in people):
        if not _has_records(person):
            person.delete()


def _replace_children(project: Project, plan: Plan) -> None:
    rows = child_rows(plan, project)
    for relation in PLAN_CHILDREN:
        for row in getattr(project, relation).all():
            row.delete()  # one by one, so that each deletion is in the history
    for relation in PLAN_CHILDREN:
        for row in rows[relation]:
            row.save()
    _stakeholders_replace(project, rows["stakeholders"])
    costs_plan_io.replace_from_plan(project, plan.costs)
    risks_plan_io.replace_from_plan(project, plan.risks)
    dissemination = plan.governance.dissemination if plan.governance else None
    decisions_plan_io.replace_from_plan(project, dissemination.rights if dissemination else [])


@transaction.atomic
def project_import(*, user: Any, plan: Plan, organisation: Organisation | None = None) -> Project:
    """A new project made from a valid plan file, with the importer as lead."""
    project = Project(organisation=organisation, created_by=user, **project_fields(plan))
    project.save()
    Membership.objects.create(project=project, user=user, role=Role.LEAD)
    _replace_children(project, plan)
    return project


@transaction.atomic
def project_replace_plan(*, project: Project, plan: Plan) -> Project:
    """Replace the whole plan from a valid file. Members and their links are kept."""
    for name, value in project_fields(plan).items():
        setattr(project, name, value)
    project.save()
    _replace_children(project, plan)
    return project


@transaction.atomic
def project_update(*, project: Project, **fields: Any) -> Project:
    """Change the project's own fields (title, summary, governance, key questions, ethics)."""
    allowed = {f.name for f in Project._meta.concrete_fields} - {"id", "created_by", "created_at"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    return project


@transaction.atomic
def criteria_update(
    *,
    project: Project,
    answers: Mapping[str, str],
    weights: Mapping[str, tuple[Decimal, str] | None],
) -> Project:
    """Save Table 2 answers and weights. The core's model checks every value first."""
    Criteria.model_validate(answers)  # raises on an unknown criterion or answer
    changed = [name for name, answer in answers.items() if getattr(project, name) != answer]
    for name in changed:
        setattr(project, name, answers[name])
    if changed:
        project.save()
    existing = {w.criterion: w for w in project.weights.all()}
    for criterion, value in weights.items():
        Criterion(criterion)
        current = existing.get(criterion)
        if value is None:
            if current is not None:
                current.delete()
            continue
        weight, reason = value
        if current is None:
            CriterionWeight.objects.create(
                project=project, criterion=criterion, weight=weight, reason=reason
            )
        elif (current.weight, current.reason) != (weight, reason):
            current.weight, current.reason = weight, reason
            current.save()
    return project


@transaction.atomic
def aim_create(*, project: Project, motivation: str, outcome: str, for_whom: list[str]) -> Aim:
    position = project.aims.count()
    return Aim.objects.create(
        project=project,
        motivation=motivation,
        outcome=outcome,
        for_whom=for_whom,
        position=position,
    )


@transaction.atomic
def aim_update(*, aim: Aim, motivation: str, outcome: str, for_whom: list[str]) -> Aim:
    aim.motivation, aim.outcome, aim.for_whom = motivation, outcome, for_whom
    aim.save()
    return aim


@transaction.atomic
def aim_delete(*, aim: Aim) -> None:
    aim.delete()


@transaction.atomic
def alternative_create(*, project: Project, **fields: Any) -> AlternativeChoice:
    position = project.alternatives.count()
    return AlternativeChoice.objects.create(project=project, position=position, **fields)


@transaction.atomic
def alternative_update(*, alternative: AlternativeChoice, **fields: Any) -> AlternativeChoice:
    for name, value in fields.items():
        setattr(alternative, name, value)
    alternative.save()
    return alternative


@transaction.atomic
def alternative_delete(*, alternative: AlternativeChoice) -> None:
    alternative.delete()


@transaction.atomic
def stage_plans_update(*, project: Project, stages: Mapping[str, dict[str, Any] | None]) -> None:
    """Set the plan for each stage given; ``None`` removes a stage's plan."""
    existing = {s.stage: s for s in project.stage_plans.all()}
    for stage, values in stages.items():
        Stage(stage)
        current = existing.get(stage)
        if values is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            StagePlan.objects.create(project=project, stage=stage, **values)
            continue
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.save()


@transaction.atomic
def assessment_record(
    *, project: Project, user: Any, stage: str = "", note: str = "", date: dt.date | None = None
) -> Assessment:
    """Keep today's assessment for good, as a stage-gate record (C1)."""
    project = selectors.plan_load(project=Project.objects.get(pk=project.pk))
    plan = plan_from_project(project)
    catalogue = default_catalogue()
    result = assess(plan, catalogue)
    return Assessment.objects.create(
        project=project,
        date=date or timezone.localdate(),
        created_by=user,
        by=str(user),
        stage=stage,
        criteria={c.value: a.value for c, a in plan.criteria.answers().items()},
        weights={
            c.value: {"weight": str(w.weight), "reason": w.reason} for c, w in plan.weights.items()
        },
        emphasis=result.emphasis.emphasis.value,
        warnings=[w.id for w in result.warnings],
        catalogue_version=catalogue.version,
        note=note,
    )


@transaction.atomic
def invitation_create(
    *, project: Project, email: str, role: str, invited_by: Any, accept_url: Any
) -> Invitation:
    """Invite someone by e-mail. ``accept_url`` turns the invitation into its link."""
    invitation = Invitation.objects.create(
        project=project, email=email, role=Role(role), invited_by=invited_by
    )
    transaction.on_commit(
        lambda: send_mail(
            subject=_("You are invited to %(project)s on Coprod") % {"project": project.title},
            message=_(
                "%(person)s invites you to join “%(project)s” on Coprod as %(role)s.\n\n"
                "Open this link to accept: %(link)s\n"
            )
            % {
                "person": invited_by,
                "project": project.title,
                "role": Role(role).label,
                "link": accept_url(invitation),
            },
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """Join the project. Someone already in it keeps the role they have."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    membership, _created = Membership.objects.get_or_create(
        project=invitation.project, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save()
    return membership


def _other_leads(membership: Membership) -> bool:
    return (
        Membership.objects.filter(project=membership.project, role=Role.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if membership.role == Role.LEAD and role != Role.LEAD and not _other_leads(membership):
        raise ValidationError(_("A project needs at least one lead. Make someone else lead first."))
    membership.role = Role(role)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.LEAD and not _other_leads(membership):
        raise ValidationError(_("A project needs at least one lead. Make someone else lead first."))
    membership.delete()


@transaction.atomic
def invitation_cancel(*, invitation: Invitation) -> None:
    """Withdraw an invitation that nobody has used yet. Its link stops working."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has been used already; it cannot be cancelled."))
    invitation.delete()

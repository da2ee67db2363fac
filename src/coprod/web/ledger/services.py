"""Writes to the ledger. Each runs in one transaction and leaves a history row per record saved.

Values are checked here, once, whoever calls (a form, the demo, a test): an anonymous
contribution names no person; a person, an activity belong to the project; a reason is given
for every decision but "still being considered"; nobody is told before they spoke.
ValidationError carries the field each problem belongs to, so a form shows it beside that field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coprod.core.ids import ContributionKind, Disposition, Group, Stage
from coprod.web.ledger.models import Contribution
from coprod.web.people.models import Activity
from coprod.web.projects import services as project_services
from coprod.web.projects.models import Project, Stakeholder


def _check_who(
    project: Project, stakeholder: Stakeholder | None, group: str, anonymous: bool
) -> str:
    """The group to store; raises where the person is not the project's or anonymity is broken."""
    if group:
        Group(group)
    if stakeholder is not None:
        if anonymous:
            raise ValidationError({"who": _("An anonymous contribution cannot name a person.")})
        if stakeholder.project_id != project.pk or stakeholder.erased_at is not None:
            raise ValidationError({"who": _("Choose a person from this project's list.")})
        return stakeholder.group
    if not anonymous and not group:
        raise ValidationError(
            {"who": _("Say who it came from: a person, a group, or nobody (anonymous).")}
        )
    return group


def _check_activity(project: Project, activity: Activity | None, stage: str) -> str:
    if activity is not None and activity.project_id != project.pk:
        raise ValidationError({"activity": _("Choose an activity of this project.")})
    if stage:
        Stage(stage)
        return stage
    return activity.stage if activity is not None else ""


def _check_text(text: str, kind: str) -> str:
    ContributionKind(kind)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what was said.")})
    return text


@transaction.atomic
def contribution_create(
    *,
    project: Project,
    recorded_by: Any,
    text: str,
    kind: str,
    made_on: dt.date,
    stakeholder: Stakeholder | None = None,
    group: str = "",
    anonymous: bool = False,
    activity: Activity | None = None,
    stage: str = "",
) -> Contribution:
    """A contribution recorded by the team: from a person, a whole group, or anonymous."""
    contribution = Contribution(
        project=project,
        stakeholder=stakeholder,
        group=_check_who(project, stakeholder, group, anonymous),
        anonymous=anonymous,
        submitted_by=recorded_by,
        made_on=made_on,
        activity=activity,
        stage=_check_activity(project, activity, stage),
        kind=kind,
        text=_check_text(text, kind),
    )
    contribution._history_user = recorded_by  # type: ignore[attr-defined]
    contribution.save()
    return contribution


@transaction.atomic
def contribution_submit(
    *,
    project: Project,
    user: Any,
    person: Stakeholder | None,
    text: str,
    kind: str,
    today: dt.date,
    anonymous: bool = False,
    leave_out_group: bool = False,
    activity: Activity | None = None,
) -> Contribution:
    """A partner's own contribution, made today. Their group comes from their roster entry;
    anonymously, it names nobody, and may leave out the group too."""
    if person is None or person.user_id != user.pk:
        raise ValidationError(
            _("You are not on this project's list of people yet. Ask the project lead to add you.")
        )
    group = "" if (anonymous and leave_out_group) else person.group
    contribution = Contribution(
        project=project,
        stakeholder=None if anonymous else person,
        group=group,
        anonymous=anonymous,
        submitted_by=user,
        made_on=today,
        activity=activity,
        stage=_check_activity(project, activity, ""),
        kind=kind,
        text=_check_text(text, kind),
    )
    contribution._history_user = user  # type: ignore[attr-defined]
    contribution.save()
    return contribution


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    by: Any,
    text: str,
    kind: str,
    made_on: dt.date,
    stakeholder: Stakeholder | None,
    group: str,
    anonymous: bool,
    activity: Activity | None,
    stage: str,
) -> Contribution:
    """The team corrects a record. Anonymity only ever goes one way: once anonymous, a
    contribution is never given a name again."""
    project = contribution.project
    if contribution.anonymous and not anonymous:
        raise ValidationError({"who": _("An anonymous contribution stays anonymous.")})
    contribution.group = _check_who(project, stakeholder, group, anonymous)
    contribution.stakeholder = stakeholder
    contribution.anonymous = anonymous
    contribution.text = _check_text(text, kind)
    contribution.kind = kind
    contribution.made_on = made_on
    contribution.activity = activity
    contribution.stage = _check_activity(project, activity, stage)
    _check_dates(contribution)
    contribution._history_user = by  # type: ignore[attr-defined]
    contribution.save()
    return contribution


@transaction.atomic
def contribution_edit_text(*, contribution: Contribution, by: Any, text: str) -> Contribution:
    """A partner rewords their own contribution, only while it is still being considered."""
    if contribution.disposition != Disposition.PENDING.value:
        raise ValidationError(
            {"text": _("The team has already decided about this, so it can no longer be changed.")}
        )
    contribution.text = _check_text(text, contribution.kind)
    contribution._history_user = by  # type: ignore[attr-defined]
    contribution.save()
    return contribution


def _check_dates(contribution: Contribution) -> None:
    problems = {}
    made = contribution.made_on
    if contribution.disposed_on is not None and contribution.disposed_on < made:
        problems["disposed_on"] = _("It cannot be decided before it was said (%(date)s).") % {
            "date": made.isoformat()
        }
    if contribution.told_on is not None and contribution.told_on < made:
        problems["told_on"] = _("They cannot be told before they said it (%(date)s).") % {
            "date": made.isoformat()
        }
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def contribution_dispose(
    *,
    contribution: Contribution,
    by: Any,
    disposition: str,
    reason: str,
    changed: str = "",
    disposed_on: dt.date | None,
    told_on: dt.date | None = None,
) -> Contribution:
    """What became of a contribution, and why. A reason is needed for every disposition but
    "still being considered"; going back to that clears the date of the decision."""
    value = Disposition(disposition)
    reason = reason.strip()
    if value is not Disposition.PENDING and not reason:
        raise ValidationError({"reason": _("Give the reason, so the contributor knows why.")})
    if value is not Disposition.PENDING and disposed_on is None:
        raise ValidationError({"disposed_on": _("Give the date it was decided.")})
    contribution.disposition = value.value
    contribution.reason = reason
    contribution.changed = changed.strip()
    contribution.disposed_on = None if value is Disposition.PENDING else disposed_on
    contribution.disposed_by = None if value is Disposition.PENDING else by
    contribution.told_on = told_on
    _check_dates(contribution)
    contribution._history_user = by  # type: ignore[attr-defined]
    contribution.save()
    return contribution


@transaction.atomic
def contributions_mark_told(
    *, project: Project, by: Any, ids: Iterable[int], told_on: dt.date
) -> list[Contribution]:
    """Mark one or many contributors as told on a date; each record keeps its own history row.
    Contributions already marked keep their date; none is told before it was made."""
    rows = list(
        Contribution.objects.filter(project=project, pk__in=list(ids), told_on__isnull=True)
    )
    early = [row for row in rows if row.made_on > told_on]
    if early:
        raise ValidationError(
            {"told_on": _("Some of these were said after that date. Choose a later date.")}
        )
    for row in rows:
        row.told_on = told_on
        row._history_user = by  # type: ignore[attr-defined]
        row.save(update_fields=["told_on"])
    return rows


@transaction.atomic
def ledger_settings_update(*, project: Project, feedback_days: int) -> Project:
    if not 1 <= feedback_days <= 365:
        raise ValidationError({"feedback_days": _("Give a number of days from 1 to 365.")})
    return project_services.project_update(project=project, feedback_days=feedback_days)

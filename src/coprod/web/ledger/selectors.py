"""Reads. Each runs a fixed number of queries, whatever the number of contributions.

Every rule is the core's (:mod:`coprod.core.contributions`). The database only counts and
filters: adoption counts per group are one aggregate query (``values('group').annotate(...)``)
handed to :func:`~coprod.core.contributions.adoption_by_group`; whether feedback is overdue is a
date comparison in the query (:func:`overdue_q`), which tests check against
:func:`~coprod.core.contributions.feedback_overdue` row by row.

Who may see what (:mod:`coprod.web.ledger.permissions`): the team sees every contribution with
names, observers every contribution with its group only, partners only their own. An anonymous
contribution names nobody to anyone but its author.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from coprod.core import contributions as core
from coprod.core.ids import ContributionKind, Disposition, Group, Stage
from coprod.web.ledger.labels import DISPOSITION_LABELS, KIND_LABELS, group_label, stage_label
from coprod.web.ledger.models import Contribution
from coprod.web.ledger.permissions import (
    is_own,
    ledger_permissions,
    may_edit_text,
    shows_author,
)
from coprod.web.projects.models import Project, Stakeholder

ADOPTED = sorted(d.value for d in core.ADOPTED)
DECIDED = sorted(d.value for d in core.DECIDED)
PENDING = Disposition.PENDING.value

# There is somebody to tell: not anonymous, and either a whole group's view (told through the
# group) or a person who agreed to be contacted or reads Coprod themselves, and is not erased.
CONTACTABLE = Q(anonymous=False) & (
    Q(stakeholder__isnull=True)
    | (
        Q(stakeholder__erased_at__isnull=True)
        & (Q(stakeholder__contact_consent=True) | Q(stakeholder__user__isnull=False))
    )
)


def overdue_q(*, days: int, today: dt.date) -> Q:
    """Contributions whose contributor should have been told by now (the core's rule, in SQL):
    not told, somebody to tell, and made more than ``days`` days before ``today``."""
    cutoff = today - dt.timedelta(days=days)
    return Q(told_on__isnull=True, made_on__lt=cutoff) & CONTACTABLE


def own_q(user: Any) -> Q:
    """A user's own contributions: their roster person's, and the anonymous ones they wrote."""
    return Q(anonymous=False, stakeholder__user_id=user.pk) | Q(
        anonymous=True, submitted_by_id=user.pk
    )


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def annotated(project: Project, *, today: dt.date) -> QuerySet[Contribution]:
    """The project's contributions with ``contactable`` and ``overdue`` worked out by the query."""
    return (
        Contribution.objects.filter(project=project)
        .select_related("stakeholder", "activity")
        .annotate(
            contactable=_flag(CONTACTABLE),
            overdue=_flag(overdue_q(days=project.feedback_days, today=today)),
        )
    )


def visible(project: Project, *, user: Any, today: dt.date) -> QuerySet[Contribution]:
    """The contributions this user may see: all for the team and observers, else their own."""
    rows = annotated(project, today=today)
    if ledger_permissions(user, project)["ledger.view_all"]:
        return rows
    return rows.filter(own_q(user))


# --- One row of the ledger, as a page shows it ----------------------------------------------------


def who_text(contribution: Contribution, *, named: bool) -> str:
    """Who made it, in words: a name only where ``named`` (see :func:`shows_author`)."""
    group = group_label(contribution.group)
    if contribution.anonymous:
        if named:
            return _("You (anonymous to everyone else)")
        return _("Anonymous")
    person = contribution.stakeholder
    if person is not None:
        if named:
            return person.name
        return _("Someone from %(group)s") % {"group": group} if group else _("Someone")
    if group:
        return _("%(group)s, as a group") % {"group": group}
    return _("Not recorded")


@dataclass(frozen=True)
class LedgerRow:
    contribution: Contribution
    who: str
    own: bool
    days_late: int | None
    may_edit: bool
    may_dispose: bool

    @property
    def group(self) -> str:
        return group_label(self.contribution.group)

    @property
    def kind(self) -> str:
        return str(KIND_LABELS.get(self.contribution.kind, self.contribution.kind))

    @property
    def disposition(self) -> str:
        value = self.contribution.disposition
        return str(DISPOSITION_LABELS.get(value, value))

    @property
    def stage(self) -> str:
        return stage_label(self.contribution.stage)


def ledger_row(
    contribution: Contribution, *, user: Any, project: Project, today: dt.date
) -> LedgerRow:
    allowed = ledger_permissions(user, project)
    contactable = getattr(contribution, "contactable", True)
    days_late = core.feedback_overdue(
        made_on=contribution.made_on,
        told_on=contribution.told_on,
        today=today,
        days=project.feedback_days,
        disposition=Disposition(contribution.disposition),
        contactable=contactable,
    )
    return LedgerRow(
        contribution=contribution,
        who=who_text(contribution, named=shows_author(user, project, contribution)),
        own=is_own(user, contribution),
        days_late=days_late,
        may_edit=may_edit_text(user, project, contribution),
        may_dispose=allowed["ledger.record"],
    )


@dataclass(frozen=True)
class Filters:
    disposition: str = ""
    group: str = ""
    kind: str = ""
    overdue: bool = False
    activity: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.disposition or self.group or self.kind or self.overdue or self.activity)


def ledger_rows(
    project: Project, *, user: Any, today: dt.date, filters: Filters | None = None
) -> list[LedgerRow]:
    """The ledger as this user may see it, newest first: one query."""
    filters = filters or Filters()
    rows = visible(project, user=user, today=today)
    if filters.disposition:
        rows = rows.filter(disposition=filters.disposition)
    if filters.group:
        rows = rows.filter(group=filters.group)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.activity:
        rows = rows.filter(activity_id=filters.activity)
    if filters.overdue:
        rows = rows.filter(overdue=True)
    return [ledger_row(row, user=user, project=project, today=today) for row in rows]


def contribution_get(project: Project, pk: int, *, today: dt.date) -> Contribution | None:
    return annotated(project, today=today).filter(pk=pk).first()


# --- Counts: adoption by group, and what is pending or overdue ------------------------------------


def adoption_counts(project: Project) -> list[core.GroupCounts]:
    """Decided and adopted contributions per group: ONE aggregate query. Contributions with no
    group cannot be compared and are left out (:attr:`Totals.ungrouped` counts them)."""
    rows = (
        Contribution.objects.filter(project=project)
        .exclude(group="")
        .values("group")
        .annotate(
            decided=Count("id", filter=Q(disposition__in=DECIDED)),
            adopted=Count("id", filter=Q(disposition__in=ADOPTED)),
        )
        .order_by("group")
    )
    return [
        core.GroupCounts(group=Group(row["group"]), adopted=row["adopted"], decided=row["decided"])
        for row in rows
    ]


def adoption(project: Project) -> core.AdoptionResult:
    return core.adoption_by_group(adoption_counts(project))


@dataclass(frozen=True)
class Totals:
    total: int
    pending: int
    overdue: int
    ungrouped: int


def totals(
    project: Project, *, today: dt.date, rows: QuerySet[Contribution] | None = None
) -> Totals:
    """How many contributions, pending, overdue and without a group: ONE aggregate query."""
    rows = rows if rows is not None else Contribution.objects.filter(project=project)
    counts = rows.aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(disposition=PENDING)),
        overdue=Count("id", filter=overdue_q(days=project.feedback_days, today=today)),
        ungrouped=Count("id", filter=Q(group="")),
    )
    return Totals(
        **{name: counts[name] or 0 for name in ("total", "pending", "overdue", "ungrouped")}
    )


# --- The overview's summary, and a partner's own --------------------------------------------------


@dataclass(frozen=True)
class OwnItem:
    pk: int
    text: str
    disposition: str
    disposition_label: str
    reason: str
    changed: str
    told_on: dt.date | None
    made_on: dt.date
    anonymous: bool


@dataclass(frozen=True)
class DashboardSummary:
    adoption: core.AdoptionResult | None  # None for those who see only their own
    totals: Totals
    own: list[OwnItem] = field(default_factory=list)
    sees_all: bool = False
    may_submit: bool = False

    @property
    def acted_on(self) -> int:
        return sum(1 for item in self.own if item.disposition in ADOPTED)


def own_items(rows: Iterable[Contribution]) -> list[OwnItem]:
    return [
        OwnItem(
            pk=row.pk,
            text=row.text,
            disposition=row.disposition,
            disposition_label=str(DISPOSITION_LABELS.get(row.disposition, row.disposition)),
            reason=row.reason,
            changed=row.changed,
            told_on=row.told_on,
            made_on=row.made_on,
            anonymous=row.anonymous,
        )
        for row in rows
    ]


def dashboard_summary(project: Project, *, user: Any, today: dt.date) -> DashboardSummary:
    """Adoption by group with its verdict, how many are pending and overdue; a partner's own
    contributions and what became of them. A fixed number of queries (three at most)."""
    allowed = ledger_permissions(user, project)
    result = adoption(project)
    if allowed["ledger.view_all"]:
        return DashboardSummary(adoption=result, totals=totals(project, today=today), sees_all=True)
    own = list(
        Contribution.objects.filter(project=project)
        .filter(own_q(user))
        .select_related("stakeholder")
        .order_by("-made_on", "-id")
    )
    pending = sum(1 for row in own if row.disposition == PENDING)
    return DashboardSummary(
        adoption=result,
        totals=Totals(total=len(own), pending=pending, overdue=0, ungrouped=0),
        own=own_items(own),
        may_submit=allowed["ledger.submit_own"],
    )


def partner_summary(project: Project, *, user: Any) -> list[OwnItem]:
    """A partner's own contributions and what became of them, newest first: one query."""
    rows = (
        Contribution.objects.filter(project=project)
        .filter(own_q(user))
        .select_related("stakeholder")
        .order_by("-made_on", "-id")
    )
    return own_items(rows)


# --- "You said, we did" ---------------------------------------------------------------------------


def said(contribution: Contribution, *, by: str | None) -> core.Said:
    activity = contribution.activity
    return core.Said(
        text=contribution.text,
        kind=ContributionKind(contribution.kind),
        made_on=contribution.made_on,
        activity=activity.title if activity is not None else None,
        stage=Stage(contribution.stage) if contribution.stage else None,
        disposition=Disposition(contribution.disposition),
        reason=contribution.reason or None,
        changed=contribution.changed or None,
        told_on=contribution.told_on,
        by=by,
    )


def project_report(project: Project, *, user: Any, today: dt.date) -> core.YouSaidWeDid:
    """The project's "you said, we did": names only for those who may see them; anonymous
    contributions without one. One query."""
    items = []
    for row in visible(project, user=user, today=today):
        by = None if row.anonymous else who_text(row, named=shows_author(user, project, row))
        items.append(said(row, by=by))
    return core.you_said_we_did(
        items, title=_("You said, we did: %(project)s") % {"project": project.title}
    )


def person_report(project: Project, person: Stakeholder, *, today: dt.date) -> core.YouSaidWeDid:
    """One roster person's report, for the team to share with them. One query."""
    rows = annotated(project, today=today).filter(stakeholder=person, anonymous=False)
    return core.you_said_we_did(
        [said(row, by=None) for row in rows],
        title=_("You said, we did: %(project)s") % {"project": project.title},
        for_whom=person.name,
    )


def own_report(project: Project, *, user: Any, name: str, today: dt.date) -> core.YouSaidWeDid:
    """A partner's own report, their anonymous contributions included. One query."""
    rows = annotated(project, today=today).filter(own_q(user))
    return core.you_said_we_did(
        [said(row, by=None) for row in rows],
        title=_("You said, we did: %(project)s") % {"project": project.title},
        for_whom=name,
    )


# --- For the forms --------------------------------------------------------------------------------


def roster(project: Project) -> list[Stakeholder]:
    """The roster people one may record a contribution for (not erased). One query."""
    return list(project.stakeholders.filter(erased_at__isnull=True).order_by("name", "id"))


def own_person(project: Project, user: Any) -> Stakeholder | None:
    """The roster person linked to the user's account, if any. One query."""
    return (
        project.stakeholders.filter(user_id=user.pk, erased_at__isnull=True)
        .order_by("position", "id")
        .first()
    )


def activities(project: Project) -> list[Any]:
    from coprod.web.people.models import Activity

    return list(Activity.objects.filter(project=project).order_by("-date", "-id"))


# --- Exports --------------------------------------------------------------------------------------

EXPORT_HEADERS = (
    "made_on",
    "who",
    "group",
    "anonymous",
    "activity",
    "stage",
    "kind",
    "text",
    "disposition",
    "reason",
    "changed",
    "decided_on",
    "told_on",
    "feedback_days_late",
)


def export_rows(rows: Sequence[LedgerRow]) -> list[list[Any]]:
    """The ledger as a table for CSV and XLSX: the same names the page shows, no more."""
    return [
        [
            row.contribution.made_on,
            row.who,
            row.contribution.group,
            row.contribution.anonymous,
            row.contribution.activity.title if row.contribution.activity else "",
            row.contribution.stage,
            row.contribution.kind,
            row.contribution.text,
            row.contribution.disposition,
            row.contribution.reason,
            row.contribution.changed,
            row.contribution.disposed_on,
            row.contribution.told_on,
            row.days_late,
        ]
        for row in rows
    ]

"""Reads for the roster and activities. Each runs a fixed number of queries, whatever the number
of people, activities or attendances.

What a user gets depends on their role (:mod:`coprod.web.people.permissions`): the lead and
researchers get everyone; partners and observers get the roster as counts by group and their own
entry, and activities with the people there as counts by group (a partner only the activities
they attended).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Group, Stage
from coprod.web.decisions.models import DecisionParticipant, TermsOfReference
from coprod.web.ledger.models import Contribution
from coprod.web.people.models import Activity, Attendance
from coprod.web.people.permissions import people_permissions
from coprod.web.projects.models import Project, Stakeholder

# --- Words for identifiers ------------------------------------------------------------------------


def group_label(group: str) -> str:
    entry = default_catalogue().groups.get(group)  # type: ignore[call-overload]
    return entry.label if entry is not None else group


def stage_label(stage: str) -> str:
    entry = default_catalogue().stages.get(stage)  # type: ignore[call-overload]
    return entry.label if entry is not None else stage


def method_label(method: str) -> str:
    entry = default_catalogue().methods.get(method)
    return entry.label if entry is not None else method


GROUP_ORDER = {group.value: index for index, group in enumerate(Group)}
STAGE_ORDER = {stage.value: index for index, stage in enumerate(Stage)}


@dataclass(frozen=True)
class GroupCount:
    group: str
    label: str
    count: int


def group_counts(pairs: Iterable[tuple[str, int]]) -> list[GroupCount]:
    """(group, count) pairs as counts in the catalogue's order of groups, empty groups left out."""
    totals: dict[str, int] = {}
    for group, count in pairs:
        totals[group] = totals.get(group, 0) + count
    return [
        GroupCount(group, group_label(group), count)
        for group, count in sorted(totals.items(), key=lambda item: GROUP_ORDER.get(item[0], 99))
        if count
    ]


# --- The roster -----------------------------------------------------------------------------------


def _with_records(people: QuerySet[Stakeholder]) -> QuerySet[Stakeholder]:
    """Each person with whether any record names them, and how many activities they attended."""
    return people.annotate(
        attended=Count("attendance", distinct=True),
        has_records=Exists(Contribution.objects.filter(stakeholder=OuterRef("pk")))
        | Exists(Attendance.objects.filter(stakeholder=OuterRef("pk")))
        | Exists(TermsOfReference.objects.filter(stakeholder=OuterRef("pk")))
        | Exists(DecisionParticipant.objects.filter(stakeholder=OuterRef("pk"))),
    )


@dataclass(frozen=True)
class RosterView:
    """The roster as this user may see it."""

    people: list[Stakeholder]
    """Everyone (the team), filtered by group if asked; else only the user's own entries."""
    counts: list[GroupCount]
    """Everyone on the roster by group (people whose data were erased are left out)."""
    full: bool
    """Whether the user sees everyone's entry."""
    group: str = ""
    erased: int = 0

    @property
    def total(self) -> int:
        return sum(count.count for count in self.counts)


def stakeholder_list(*, project: Project, user: Any, group: str = "") -> RosterView:
    """The roster: two queries, whatever the number of people."""
    full = people_permissions(user, project)["people.view_people_data"]
    rows = Stakeholder.objects.filter(project=project)
    counted = list(
        rows.values_list("group")
        .annotate(count=Count("id"), erased=Count("id", filter=Q(erased_at__isnull=False)))
        .order_by()
    )
    counts = group_counts((g, count - erased) for g, count, erased in counted)
    erased = sum(erased for _g, _count, erased in counted)
    if full:
        people = rows.filter(group=group) if group else rows
        people = _with_records(people).select_related("user", "team_member")
    else:
        people = _with_records(rows.filter(user_id=user.pk, erased_at__isnull=True))
        people = people.select_related("user")
    return RosterView(
        people=list(people.order_by("position", "id")),
        counts=counts,
        full=full,
        group=group if full else "",
        erased=erased,
    )


def stakeholder_get(*, project: Project, stakeholder_id: int) -> Stakeholder:
    """One person of the roster with their account and costs link (one query); 404 if none."""
    person = (
        _with_records(Stakeholder.objects.filter(project=project, pk=stakeholder_id))
        .select_related("user", "team_member")
        .first()
    )
    if person is None:
        raise Http404
    return person


def roster_people(*, project: Project) -> list[Stakeholder]:
    """Everyone whose data are kept, for choosing attendees and matching an import (one query)."""
    return list(
        Stakeholder.objects.filter(project=project, erased_at__isnull=True)
        .select_related("team_member")
        .order_by("position", "id")
    )


# --- Activities -----------------------------------------------------------------------------------


@dataclass
class ActivityRow:
    """An activity with who was there, as counts by group, and the contributions made at it."""

    activity: Activity
    counts: list[GroupCount] = field(default_factory=list)
    contributions: int = 0
    attended_by_me: bool = False

    @property
    def attendees(self) -> int:
        return sum(count.count for count in self.counts)


def _visible_activities(project: Project, user: Any) -> QuerySet[Activity]:
    activities = Activity.objects.filter(project=project)
    allowed = people_permissions(user, project)
    if allowed["people.view_people_data"]:
        return activities
    if _is_partner(user, project):
        return activities.filter(attendance__stakeholder__user_id=user.pk).distinct()
    return activities


def _is_partner(user: Any, project: Project) -> bool:
    from coprod.web.projects.permissions import is_partner

    return bool(is_partner(user, project))


def _rows(project: Project, user: Any, activities: list[Activity]) -> list[ActivityRow]:
    """Counts by group and contributions for these activities: two queries, whatever their size."""
    ids = [activity.pk for activity in activities]
    by_group: dict[int, list[tuple[str, int]]] = {}
    mine: set[int] = set()
    for activity_id, group, count, own in (
        Attendance.objects.filter(activity_id__in=ids)
        .values_list("activity_id", "stakeholder__group")
        .annotate(count=Count("id"), own=Count("id", filter=Q(stakeholder__user_id=user.pk)))
        .order_by()
    ):
        by_group.setdefault(activity_id, []).append((group, count))
        if own:
            mine.add(activity_id)
    contributions = dict(
        Contribution.objects.filter(activity_id__in=ids)
        .values_list("activity_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [
        ActivityRow(
            activity=activity,
            counts=group_counts(by_group.get(activity.pk, [])),
            contributions=contributions.get(activity.pk, 0),
            attended_by_me=activity.pk in mine,
        )
        for activity in activities
    ]


@dataclass(frozen=True)
class ActivityListView:
    upcoming: list[ActivityRow]
    held: list[ActivityRow]
    full: bool
    own_only: bool


def activity_list(*, project: Project, user: Any, today: dt.date | None = None) -> ActivityListView:
    """The activities this user may see, next first then the latest held: three queries."""
    today = today or timezone.localdate()
    allowed = people_permissions(user, project)
    activities = list(_visible_activities(project, user).order_by("-date", "-id"))
    rows = _rows(project, user, activities)
    upcoming = sorted(
        (row for row in rows if row.activity.date > today),
        key=lambda row: (row.activity.date, row.activity.pk),
    )
    held = [row for row in rows if row.activity.date <= today]
    full = allowed["people.view_people_data"]
    return ActivityListView(
        upcoming=upcoming,
        held=held,
        full=full,
        own_only=not full and _is_partner(user, project),
    )


@dataclass(frozen=True)
class ActivityDetail:
    row: ActivityRow
    attendance: list[Attendance]
    """Everyone there with their hours and time log (the team); else empty."""
    full: bool

    @property
    def activity(self) -> Activity:
        return self.row.activity


def activity_get(*, project: Project, user: Any, activity_id: int) -> Activity:
    """One activity this user may see (one query); 404 otherwise, as for one that does not exist."""
    activity = _visible_activities(project, user).filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    return activity


def activity_detail(*, project: Project, user: Any, activity_id: int) -> ActivityDetail:
    """An activity with who attended: four queries, whatever the number of people there."""
    activity = activity_get(project=project, user=user, activity_id=activity_id)
    full = people_permissions(user, project)["people.view_people_data"]
    attendance: list[Attendance] = []
    if full:
        attendance = list(
            Attendance.objects.filter(activity=activity)
            .select_related("stakeholder", "stakeholder__team_member", "time_log")
            .order_by("stakeholder__position", "stakeholder__id")
        )
        for present in attendance:
            present.activity = activity
    (summary,) = _rows(project, user, [activity])
    return ActivityDetail(row=summary, attendance=attendance, full=full)


# --- The overview's summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleSummary:
    counts: list[GroupCount]
    held: int
    next_activity: Activity | None
    next_attendees: int
    access_needs: list[tuple[str, str]]
    """(name, needs) of those expected at the next activity who said what helps them (team only)."""
    access_needs_total: int
    """People on the roster with access needs: team only (0 for anyone else)."""
    full: bool

    @property
    def total(self) -> int:
        return sum(count.count for count in self.counts)


def dashboard_summary(
    project: Project, *, user: Any, today: dt.date | None = None
) -> PeopleSummary:
    """People by group, activities held, the next activity, and the access needs to prepare for
    (the team only). Five queries at most, whatever the size of the roster."""
    today = today or timezone.localdate()
    full = people_permissions(user, project)["people.view_people_data"]
    counts = group_counts(
        Stakeholder.objects.filter(project=project, erased_at__isnull=True)
        .values_list("group")
        .annotate(count=Count("id"))
        .order_by()
    )
    visible = _visible_activities(project, user)
    held = visible.filter(date__lte=today).count()
    upcoming = visible.filter(date__gt=today).order_by("date", "id").first()
    next_attendees = 0
    needs: list[tuple[str, str]] = []
    total_needs = 0
    if upcoming is not None:
        expected = Attendance.objects.filter(activity=upcoming)
        if full:
            people = list(
                expected.select_related("stakeholder")
                .order_by("stakeholder__position", "stakeholder__id")
                .values_list("stakeholder__name", "stakeholder__access_needs")
            )
            next_attendees = len(people)
            needs = [(name, text) for name, text in people if text.strip()]
        else:
            next_attendees = expected.count()
    if full:
        total_needs = (
            Stakeholder.objects.filter(project=project, erased_at__isnull=True)
            .exclude(access_needs="")
            .count()
        )
    return PeopleSummary(
        counts=counts,
        held=held,
        next_activity=upcoming,
        next_attendees=next_attendees,
        access_needs=needs,
        access_needs_total=total_needs,
        full=full,
    )

"""Writes for the roster and activities. Each runs in one transaction and leaves history.

The roster's plan fields (name, group, organisation, role, what they bring, stages) are checked
by the core's own plan model before they are saved, so a person the plan file would refuse is
never stored. Two kinds of personal data are kept only with the person's agreement:

* contact details (e-mail, telephone) only while they agree to be contacted: without that
  agreement Coprod has no reason to hold them, so withdrawing it erases them;
* gender and ethnicity only while they agree to record them; these are never copied into the
  history (``demographics_revision`` records that they changed, and who changed them).

Attendance feeds the costs records (SPEC C4): a person linked to someone in the costs team gets a
time log for each activity they attend, written through the costs services, and kept in step
with the attendance. A time log the team had already kept for that activity is linked instead of
doubled, and is left as the team wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from coprod.core.plan import Stakeholder as PlanStakeholder
from coprod.web.costs import services as costs_services
from coprod.web.costs.models import TeamMember, TimeLog
from coprod.web.people.models import Activity, Attendance, TimeLogOrigin
from coprod.web.projects.models import Project, Stakeholder

# --- The roster -----------------------------------------------------------------------------------


class WithoutConsent(ValidationError):
    """Contact details or demographics given for someone who has not agreed to them."""


DEMOGRAPHIC_FIELDS = ("gender", "ethnicity")
CONTACT_FIELDS = ("email", "phone")
STAKEHOLDER_FIELDS = (
    "name",
    "group",
    "organisation",
    "role",
    "brings",
    "stages",
    "user_id",
    "contact_consent",
    *CONTACT_FIELDS,
    "aliases",
    "access_needs",
    "demographics_consent",
    *DEMOGRAPHIC_FIELDS,
    "joined",
)
# What ties a roster person to the project's records (as the plan's replacement also reads it).
RECORDS = ("contributions", "attendance", "terms", "decisions_taken")


def _text(value: Any) -> str:
    return str(value or "").strip()


def _guarded(
    person: Stakeholder,
    fields: dict[str, Any],
    consent_field: str,
    guarded: Sequence[str],
    refusal: str,
) -> dict[str, str]:
    """The values of fields kept only with consent: refused without it, erased on withdrawal."""
    consent = fields.get(consent_field, getattr(person, consent_field))
    if not consent:
        if any(_text(fields.get(name)) for name in guarded):
            raise WithoutConsent(refusal)
        return dict.fromkeys(guarded, "")
    return {
        name: _text(fields[name] if name in fields else getattr(person, name)) for name in guarded
    }


def _clean_aliases(aliases: Any) -> list[str]:
    seen: list[str] = []
    for alias in aliases or []:
        text = " ".join(str(alias).split())
        if text and text.casefold() not in {s.casefold() for s in seen}:
            seen.append(text)
    return seen


# Fields the database or the services look after, not the person's details.
CHECKED_ELSEWHERE = ["project", "user", "position", "erased_at", "demographics_revision"]


def _apply(person: Stakeholder, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValueError(f"not roster fields: {sorted(unknown)}")
    if person.erased_at is not None:
        raise ValidationError(_("This person's personal data were erased; they cannot be changed."))
    contact = _guarded(
        person,
        fields,
        "contact_consent",
        CONTACT_FIELDS,
        _(
            "An e-mail address or telephone number is kept only when the person agrees to be "
            "contacted."
        ),
    )
    demographics = _guarded(
        person,
        fields,
        "demographics_consent",
        DEMOGRAPHIC_FIELDS,
        _("Gender and ethnicity are recorded only when the person agrees to it."),
    )
    before = tuple(getattr(person, name) for name in DEMOGRAPHIC_FIELDS)
    for name, value in fields.items():
        if name in CONTACT_FIELDS or name in DEMOGRAPHIC_FIELDS:
            continue
        if name in ("name", "organisation", "role", "brings", "access_needs"):
            value = _text(value)
        elif name == "aliases":
            value = _clean_aliases(value)
        elif name == "stages":
            value = list(dict.fromkeys(value or []))
        setattr(person, name, value)
    for name, value in {**contact, **demographics}.items():
        setattr(person, name, value)
    try:
        PlanStakeholder.model_validate(
            {
                "name": person.name,
                "group": person.group,
                "organisation": person.organisation or None,
                "role": person.role or None,
                "brings": person.brings or None,
                "stages": person.stages,
            }
        )
    except PydanticError as error:
        messages = [str(item["msg"]).removeprefix("Value error, ") for item in error.errors()]
        raise ValidationError(messages) from None
    person.clean_fields(exclude=CHECKED_ELSEWHERE)
    if tuple(getattr(person, name) for name in DEMOGRAPHIC_FIELDS) != before:
        # The history notes that the answers changed, never what they were.
        person.demographics_revision += 1


def stakeholder_check(*, project: Project, fields: Mapping[str, Any]) -> list[str]:
    """What would stop these details being saved as a new person (nothing is saved)."""
    person = Stakeholder(project=project)
    try:
        _apply(person, dict(fields))
    except ValidationError as error:
        return list(error.messages)
    return []


@transaction.atomic
def stakeholder_create(*, project: Project, name: str, group: str, **fields: Any) -> Stakeholder:
    """A new person on the roster, after everyone already there."""
    position = Stakeholder.objects.filter(project=project).count()
    person = Stakeholder(project=project, position=position)
    _apply(person, {"name": name, "group": group, **fields})
    person.save()
    return person


@transaction.atomic
def stakeholder_update(*, person: Stakeholder, **fields: Any) -> Stakeholder:
    """Change a person's details. Withdrawn consent erases what it covered; giving contact details
    or demographics without consent is refused."""
    _apply(person, fields)
    person.save()
    return person


def stakeholder_records(person: Stakeholder) -> dict[str, int]:
    """How many records name this person: contributions, attendance, agreements, decisions."""
    return {relation: getattr(person, relation).count() for relation in RECORDS}


@transaction.atomic
def stakeholder_delete(*, person: Stakeholder) -> None:
    """Remove someone who has no records. Someone with records is erased instead, so that
    contributions and attendance stay counted (the privacy pages do that)."""
    if any(stakeholder_records(person).values()):
        raise ValidationError(
            _(
                "%(name)s has contributions, attendance, agreements or decisions recorded, so "
                "they stay on the roster. To remove their personal data, erase them instead."
            )
            % {"name": person.name}
        )
    member = _team_member(person)
    if member is not None:
        member.stakeholder = None
        member.save()
    person.delete()


@transaction.atomic
def stakeholders_import(
    *,
    project: Project,
    new: Sequence[Mapping[str, Any]],
    updates: Sequence[tuple[Stakeholder, Mapping[str, Any]]] = (),
) -> tuple[list[Stakeholder], list[Stakeholder]]:
    """People read from a spreadsheet: new ones added, chosen ones updated; all or none."""
    added = [stakeholder_create(project=project, **dict(fields)) for fields in new]
    changed = [stakeholder_update(person=person, **dict(fields)) for person, fields in updates]
    return added, changed


# --- The link to the costs team -------------------------------------------------------------------


def _team_member(person: Stakeholder) -> TeamMember | None:
    try:
        return person.team_member  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


NEW_TEAM_MEMBER = "new"


@transaction.atomic
def stakeholder_link_team_member(
    *, person: Stakeholder, member: TeamMember | str | None, created_by: Any = None
) -> TeamMember | None:
    """Link the person to someone in the costs team (``NEW_TEAM_MEMBER`` adds them to it), or
    unlink them (``None``). Their attendance then feeds that person's time logs."""
    current = _team_member(person)
    if member == NEW_TEAM_MEMBER:
        existing = (
            TeamMember.objects.filter(project_id=person.project_id, user_id=person.user_id).first()
            if person.user_id
            else None
        )
        member = existing or costs_services.team_member_create(
            project=person.project, name=person.name, user_id=person.user_id, role=person.role
        )
    if isinstance(member, str):
        raise ValueError(f"not a team member: {member!r}")
    if member is not None and member.project_id != person.project_id:
        raise ValueError("that person is not in this project's costs team")
    if member is not None and member.stakeholder_id not in (None, person.pk):
        raise ValidationError(
            _("%(name)s in the costs team is already linked to someone else on the roster.")
            % {"name": member.name}
        )
    if current is not None and (member is None or current.pk != member.pk):
        current.stakeholder = None
        current.save()
    if member is not None and member.stakeholder_id != person.pk:
        member.stakeholder = person
        member.save()
    person._state.fields_cache.pop("team_member", None)
    if member is not None:
        for attendance in Attendance.objects.filter(stakeholder=person).select_related(
            "activity", "time_log"
        ):
            attendance.stakeholder = person
            _sync_time_log(attendance, member, created_by)
    return member


# --- Activities and attendance --------------------------------------------------------------------

ACTIVITY_FIELDS = ("kind", "title", "date", "stage", "method", "duration_hours", "notes")
# Groups whose time is usually paid as a public contributor's, unless the person is on a payroll.
CONTRIBUTOR_GROUPS = frozenset({"patients_public", "community_orgs"})


def time_kind(person: Stakeholder, member: TeamMember) -> str:
    """The kind of cost a person's time at an activity is: a public contributor's time (paid by
    the project) or staff time (paid by an employer). Someone with a career stage or a contract in
    the costs team is staff, whatever their group."""
    if not member.career_stage and not member.contract and person.group in CONTRIBUTOR_GROUPS:
        return "contributor_payment"
    return "staff_time"


def attendance_hours(attendance: Attendance, activity: Activity) -> Decimal | None:
    """The person's own hours if given, else the activity's length; None when neither is known."""
    return attendance.hours if attendance.hours is not None else activity.duration_hours


def _sync_time_log(attendance: Attendance, member: TeamMember | None, created_by: Any) -> None:
    """Keep the costs time log of one attendance in step with it (see the module's docstring)."""
    activity = attendance.activity
    if attendance.time_log_origin == TimeLogOrigin.MATCHED:
        return  # the team's own record: left as they wrote it
    hours = attendance_hours(attendance, activity)
    log = attendance.time_log
    if log is not None:
        if member is None or not hours or log.person_id != member.pk:
            attendance.time_log = None
            attendance.time_log_origin = ""
            attendance.save()
            costs_services.time_log_delete(row=log)
            if member is None or not hours:
                return
        else:
            if (log.activity, log.date, log.hours) != (activity.title, activity.date, hours):
                costs_services.time_log_update(
                    row=log, activity=activity.title, date=activity.date, hours=hours
                )
            return
    if attendance.time_log_origin == TimeLogOrigin.MADE or member is None or not hours:
        # MADE without a log: the team deleted it in the costs pages; it is not made again.
        return
    kept = (
        TimeLog.objects.filter(
            project_id=activity.project_id,
            person=member,
            date=activity.date,
            activity__iexact=activity.title,
            attendance__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if kept is not None:
        attendance.time_log, attendance.time_log_origin = kept, TimeLogOrigin.MATCHED
    else:
        attendance.time_log = costs_services.time_log_create(
            project=activity.project,
            created_by=created_by,
            person=member,
            activity=activity.title,
            date=activity.date,
            hours=hours,
            role=attendance.stakeholder.role or member.role,
            kind=time_kind(attendance.stakeholder, member),
        )
        attendance.time_log_origin = TimeLogOrigin.MADE
    attendance.save()


def _check_activity(activity: Activity) -> None:
    from coprod.core.catalogue import default_catalogue

    if activity.method and activity.method not in default_catalogue().methods:
        raise ValidationError(_("Choose a method from Coprod's catalogue."))
    activity.full_clean(exclude=["project", "created_by"])


@transaction.atomic
def activity_create(*, project: Project, created_by: Any = None, **fields: Any) -> Activity:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"not activity fields: {sorted(unknown)}")
    activity = Activity(project=project, created_by=created_by, **fields)
    _check_activity(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, created_by: Any = None, **fields: Any) -> Activity:
    """Change an activity; the time logs its attendance made follow its title, date and length."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"not activity fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(activity, name, value)
    _check_activity(activity)
    activity.save()
    for attendance in _attendance_of(activity):
        _sync_time_log(attendance, _team_member(attendance.stakeholder), created_by)
    return activity


def _attendance_of(activity: Activity) -> list[Attendance]:
    rows = list(
        Attendance.objects.filter(activity=activity).select_related(
            "stakeholder__team_member", "time_log"
        )
    )
    for row in rows:
        row.activity = activity
    return rows


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """Delete an activity with its attendance (and the time logs that attendance made). An
    activity at which contributions were made is kept, so that they keep where they came from."""
    if activity.contributions.exists():
        raise ValidationError(
            _(
                "Contributions were recorded at this activity, so it is kept: they would lose "
                "where they came from."
            )
        )
    for attendance in _attendance_of(activity):
        _attendance_remove(attendance)
    activity.delete()


def _attendance_remove(attendance: Attendance) -> None:
    log = attendance.time_log if attendance.time_log_origin == TimeLogOrigin.MADE else None
    attendance.delete()
    if log is not None:
        costs_services.time_log_delete(row=log)


@transaction.atomic
def attendance_set(
    *,
    activity: Activity,
    present: Mapping[int, Decimal | None],
    created_by: Any = None,
) -> list[Attendance]:
    """Who attended (roster person id → their hours, or None for the activity's length).

    People left out are removed, with the time logs their attendance made; the others are added
    or updated, and their time logs follow."""
    people = {
        person.pk: person
        for person in Stakeholder.objects.filter(
            project_id=activity.project_id, pk__in=list(present)
        ).select_related("team_member")
    }
    missing = set(present) - set(people)
    if missing:
        raise ValueError(f"not on this project's roster: {sorted(missing)}")
    erased = [person.pk for person in people.values() if person.erased_at is not None]
    existing = {row.stakeholder_id: row for row in _attendance_of(activity)}
    for person_id, row in existing.items():
        if person_id not in present:
            _attendance_remove(row)
    kept = []
    for person_id, hours in present.items():
        row = existing.get(person_id)
        person = people[person_id]
        if row is None:
            if person_id in erased:
                continue
            row = Attendance(project_id=activity.project_id, activity=activity, stakeholder=person)
        elif row.hours == hours:
            row.stakeholder = person
            _sync_time_log(row, _team_member(person), created_by)
            kept.append(row)
            continue
        row.hours = hours
        row.full_clean(exclude=["project", "activity", "stakeholder", "time_log"])
        row.save()
        row.stakeholder = person
        _sync_time_log(row, _team_member(person), created_by)
        kept.append(row)
    return kept

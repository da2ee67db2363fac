"""Writes: asking to be erased, and erasing. Each runs in one transaction, so an erasure is never
left half done.

What erasure does to a roster person (SPEC §3, issue 5 "A person's own data"):

* the roster entry keeps its row, so that attendance, decisions and contributions stay counted,
  but becomes "Erased person <n>": e-mail, telephone, organisation, role, what they bring, other
  names, access needs, gender, ethnicity and the date they joined are cleared, consents are off,
  the link to an account is removed and ``erased_at`` is set;
* their costs entry gets the same name, loses its gender, ethnicity, benefits flag and account
  link; time logs, expenses and payments stay, as financial records;
* their contributions stay as anonymous records of their group, so adoption counts stay true;
* a roster spreadsheet kept between the steps of an import in their project is deleted;
* the history of those records is overwritten in the same way, so the record of changes does not
  keep what was erased, and one row of :class:`ErasureRequest` says that an erasure happened,
  when and by whom.

Erasing a person who asked with their account also clears that account from the project: their
role, every link from the project's records to the account, and their name on the changes they
made. When the whole account is erased, the account is also deactivated and its name and e-mail
cleared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from coprod.web.accounts.models import User
from coprod.web.costs.models import TeamMember
from coprod.web.ledger.models import Contribution
from coprod.web.participation.services import participation_erase
from coprod.web.people.models import RosterUpload
from coprod.web.privacy.models import ErasureRequest
from coprod.web.privacy.selectors import projects_of
from coprod.web.projects.models import (
    Assessment,
    Invitation,
    Membership,
    Project,
    Role,
    Stakeholder,
)

ERASED_ACCOUNT_NAME = "erased-%(pk)d"


def erased_label(number: int) -> str:
    """What an erased person is called from then on. Not translated: it is stored."""
    return f"Erased person {number}"


# --- Asking -------------------------------------------------------------------------------------


@transaction.atomic
def erasure_request_create(
    *, user: User, project: Project | None, all_projects: bool = False
) -> list[ErasureRequest]:
    """A person asks to be erased from one project, or from every project and their account.

    A request for the whole account is one row per project that holds something about them, each
    carried out by that project's leads; the account goes with the last one. With no project at
    all there is nobody to ask, and the account is erased at once. Asking again for a project
    already asked for keeps the first request (and widens it to the whole account if asked).
    """
    now = timezone.now()
    if all_projects:
        targets = projects_of(user=user)
        if not targets:
            request = ErasureRequest.objects.create(
                project=None, user=user, all_projects=True, requested_at=now
            )
            _erase_account(user=user, by=user)
            request.done_at, request.done_by, request.user = now, None, None
            request.erased_as = erased_label(1)
            request.save()
            return [request]
    else:
        if project is None:
            raise ValueError("a project, or all projects")
        targets = [project]
    requests = []
    for target in targets:
        existing = ErasureRequest.objects.filter(
            project=target, user=user, done_at__isnull=True
        ).first()
        if existing is None:
            existing = ErasureRequest.objects.create(
                project=target, user=user, all_projects=all_projects, requested_at=now
            )
        elif all_projects and not existing.all_projects:
            existing.all_projects = True
            existing.save()
        requests.append(existing)
    return requests


@transaction.atomic
def erasure_request_withdraw(*, request: ErasureRequest) -> None:
    """The person no longer wants to be erased; only an open request can be withdrawn."""
    if not request.is_open:
        raise ValidationError(_("This request has been carried out and cannot be withdrawn."))
    request.delete()


# --- Erasing ------------------------------------------------------------------------------------


def _user_fields(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """The nullable links from a table to an account (``history_user`` aside)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
        and field.null
        and field.name != "history_user"
    ]


def _project_field(model: type[models.Model]) -> str | None:
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.ForeignKey)
            and field.related_model is not None
            and field.related_model._meta.label == "projects.Project"
        ):
            return field.name
    return None


def _tracked_models() -> list[type[models.Model]]:
    """Every table that keeps a history."""
    return [model for model in apps.get_models() if hasattr(model, "history")]


def _history_models() -> list[type[models.Model]]:
    return [model.history.model for model in _tracked_models()]  # type: ignore[attr-defined]


def _unlink_account(*, user: User, project: Project | None, by: User | None) -> None:
    """Clear every link from the project's records (or from all records) to the account, and the
    account's name on the changes it made: in the tables, with a history row, and in the history.
    """
    for model in _tracked_models():
        fields = _user_fields(model)
        project_field = _project_field(model)
        scope: dict[str, Any] = {}
        if project is not None:
            if model is Project:
                scope = {"pk": project.pk}
            elif project_field is None:
                continue
            else:
                scope = {project_field: project}
        if fields:
            linked = Q()
            for f in fields:
                linked |= Q(**{f.name: user})
            rows = list(model._default_manager.filter(linked, **scope))
            for row in rows:
                for f in fields:
                    if getattr(row, f.attname) == user.pk:
                        setattr(row, f.attname, None)
            if rows:
                bulk_update_with_history(
                    rows, model, [f.name for f in fields], default_user=by, batch_size=500
                )
        history = model.history.model  # type: ignore[attr-defined]
        if project is None:
            history_scope: dict[str, Any] = {}
        elif model is Project:
            history_scope = {"id": project.pk}
        else:
            history_scope = {f"{project_field}_id": project.pk}
        for f in fields:
            history.objects.filter(**history_scope, **{f.attname: user.pk}).update(
                **{f.attname: None}
            )
        history.objects.filter(**history_scope, history_user_id=user.pk).update(history_user=None)


def _next_number(project: Project | None) -> int:
    if project is None:
        return 1
    return ErasureRequest.objects.filter(project=project, done_at__isnull=False).count() + 1


STAKEHOLDER_ERASED = {
    "email": "",
    "phone": "",
    "organisation": "",
    "role": "",
    "brings": "",
    "aliases": [],
    "access_needs": "",
    "joined": None,
    "contact_consent": False,
    "demographics_consent": False,
    "user": None,
}


def _erase_entries(
    *,
    project: Project,
    stakeholders: Sequence[Stakeholder],
    members: Iterable[TeamMember],
    label: str,
    user: User | None,
    by: User | None,
    now: Any,
) -> None:
    """Erase roster entries, their costs entries and their contributions' link to them."""
    entry_ids = [s.pk for s in stakeholders]
    # Invitations sent to their addresses in this project (read before the addresses go).
    addresses = {s.email.lower() for s in stakeholders if s.email}
    if user is not None and user.email:
        addresses.add(user.email.lower())
    # What free text may quote word for word: every name they had, their address and number.
    old_names = Stakeholder.history.model.objects.filter(  # type: ignore[attr-defined]
        id__in=entry_ids
    ).values_list("name", flat=True)
    mentions = dict.fromkeys(old_names, label)
    mentions.update({s.name: label for s in stakeholders})
    mentions.update(
        {value: "(erased)" for s in stakeholders for value in (s.email, s.phone) if value}
    )
    if user is not None:
        mentions.update(dict.fromkeys(_names_of(user), label))
        if user.email:
            mentions[user.email] = "(erased)"
    # Meeting figures keep counting them, but no speaker label or confirmed name of theirs stays
    # (read their names before they go).
    for stakeholder in stakeholders:
        participation_erase(stakeholder=stakeholder)
    # Contributions: anonymous records that keep their group, so that the counts stay true.
    # (Links to an account, such as who typed a contribution in, go with the account: see
    # ``_unlink_account``.)
    contributions = list(Contribution.objects.filter(project=project, stakeholder_id__in=entry_ids))
    for item in contributions:
        item.anonymous = True
        item.stakeholder = None
        item.submitted_by = None
    if contributions:
        bulk_update_with_history(
            contributions,
            Contribution,
            ["anonymous", "stakeholder", "submitted_by"],
            default_user=by,
        )
        Contribution.history.model.objects.filter(  # type: ignore[attr-defined]
            id__in=[item.pk for item in contributions]
        ).update(stakeholder=None, anonymous=True, submitted_by=None)

    # The roster entries.
    for entry in stakeholders:
        had_demographics = bool(entry.gender or entry.ethnicity)
        entry.name = label
        for name, value in STAKEHOLDER_ERASED.items():
            setattr(entry, name, value)
        entry.gender = entry.ethnicity = ""
        if had_demographics:
            entry.demographics_revision += 1
        entry.erased_at = now
        entry._history_user = by  # type: ignore[attr-defined]
        entry.save()
    Stakeholder.history.model.objects.filter(id__in=entry_ids).update(  # type: ignore[attr-defined]
        name=label, **{k if k != "user" else "user_id": v for k, v in STAKEHOLDER_ERASED.items()}
    )

    # Their costs entries: the hours and money stay; who they were does not.
    member_ids = []
    for member in members:
        had_demographics = bool(member.gender or member.ethnicity)
        member.name = label
        member.gender = member.ethnicity = ""
        member.demographics_consent = False
        member.receives_benefits = False
        member.user = None
        if had_demographics:
            member.demographics_revision += 1
        member._history_user = by  # type: ignore[attr-defined]
        member.save()
        member_ids.append(member.pk)
    TeamMember.history.model.objects.filter(id__in=member_ids).update(  # type: ignore[attr-defined]
        name=label, user_id=None, demographics_consent=False, receives_benefits=False
    )

    _clear_invitations(addresses, project=project, by=by)
    _scrub_mentions(project=project, replacements=mentions)
    # A roster spreadsheet kept between the steps of an import may list them: it goes, and the
    # import is started again.
    RosterUpload.objects.filter(project=project).delete()


def _clear_invitations(addresses: set[str], *, project: Project | None, by: User | None) -> None:
    if not addresses:
        return
    matches = Q()
    for address in addresses:
        matches |= Q(email__iexact=address)
    invitations = Invitation.objects.filter(matches)
    if project is not None:
        invitations = invitations.filter(project=project)
    rows = list(invitations)
    for invitation in rows:
        invitation.email = ""
    if rows:
        bulk_update_with_history(rows, Invitation, ["email"], default_user=by)
        Invitation.history.model.objects.filter(  # type: ignore[attr-defined]
            id__in=[row.pk for row in rows]
        ).update(email="")


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.name.startswith("history_")
        and field.name not in {"token"}
    ]


def _scrub_mentions(*, project: Project, replacements: dict[str, str]) -> None:
    """Replace the person's full name, e-mail address and telephone number wherever the project's
    records (and their history) quote them word for word, such as a dissent naming them.

    Only distinctive values are replaced (see :func:`_distinctive`): a first name alone is too
    likely to be someone else's, or an ordinary word.
    """
    replacements = {old: new for old, new in replacements.items() if _distinctive(old)}
    if not replacements:
        return
    for model in _tracked_models():
        project_field = _project_field(model)
        if model is Project:
            scopes = [(model, {"pk": project.pk}), (model.history.model, {"id": project.pk})]  # type: ignore[attr-defined]
        elif project_field is not None:
            scopes = [
                (model, {project_field: project}),
                (model.history.model, {f"{project_field}_id": project.pk}),  # type: ignore[attr-defined]
            ]
        else:
            continue
        for table, scope in scopes:
            fields = _text_fields(table)
            if not fields:
                continue
            mentions = Q()
            for name in fields:
                for old in replacements:
                    mentions |= Q(**{f"{name}__contains": old})
            values: dict[str, Any] = {}
            for name in fields:
                expression: Any = F(name)
                for old, new in replacements.items():
                    expression = Replace(expression, Value(old), Value(new))
                values[name] = expression
            table._default_manager.filter(mentions, **scope).update(**values)


def _distinctive(value: str) -> bool:
    """A full name of two words or more, an e-mail address, or a telephone number."""
    value = value.strip()
    return len(value) >= 6 and (" " in value or "@" in value or value.isdigit())


def _names_of(user: User) -> set[str]:
    return {
        name
        for name in (user.display_name, user.get_full_name(), user.username)
        if name and name.strip()
    }


def _erase_in_project(
    *, project: Project, user: User, label: str, by: User | None, now: Any
) -> None:
    """Everything about the account's person in one project."""
    stakeholders = list(Stakeholder.objects.filter(project=project, user=user))
    members = TeamMember.objects.filter(
        Q(user=user) | Q(stakeholder__in=[s.pk for s in stakeholders]), project=project
    )
    _erase_entries(
        project=project,
        stakeholders=stakeholders,
        members=list(members),
        label=label,
        user=user,
        by=by,
        now=now,
    )
    # Assessments name who made them in words.
    names = _names_of(user)
    assessments = list(Assessment.objects.filter(project=project, by__in=names))
    for assessment in assessments:
        assessment.by = label
    if assessments:
        bulk_update_with_history(assessments, Assessment, ["by"], default_user=by)
    Assessment.history.model.objects.filter(  # type: ignore[attr-defined]
        project_id=project.pk, by__in=names
    ).update(by=label)
    # Their role in the project goes; then every link to the account and their name on changes.
    for membership in Membership.objects.filter(project=project, user=user):
        membership._history_user = by  # type: ignore[attr-defined]
        membership.delete()
    _unlink_account(user=user, project=project, by=by)


def _erase_account(*, user: User, by: User | None) -> None:
    """The whole account: its links everywhere, its name on every change, and itself."""
    old_username = user.username
    for membership in Membership.objects.filter(user=user):
        membership._history_user = by  # type: ignore[attr-defined]
        membership.delete()
    if user.email:
        _clear_invitations({user.email.lower()}, project=None, by=by)
    _unlink_account(user=user, project=None, by=by)
    erased = {
        "username": ERASED_ACCOUNT_NAME % {"pk": user.pk},
        "first_name": "",
        "last_name": "",
        "display_name": "",
        "email": "",
    }
    for name, value in erased.items():
        setattr(user, name, value)
    user.is_active = False
    user.set_unusable_password()
    user._history_user = None  # type: ignore[attr-defined]
    user.save()
    User.history.model.objects.filter(id=user.pk).update(  # type: ignore[attr-defined]
        **erased, is_active=False
    )
    _forget_sign_ins(user=user, username=old_username)


def _forget_sign_ins(*, user: User, username: str) -> None:
    """Sign-in records (django-axes) and the admin's log name the account: forget them."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(username=username).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=erased_label(0).replace(" 0", ""))


def _last_lead(project: Project, user: User) -> bool:
    leads = Membership.objects.filter(project=project, role=Role.LEAD)
    return leads.filter(user=user).exists() and leads.count() == 1


@transaction.atomic
def erasure_request_carry_out(*, request: ErasureRequest, by: User) -> ErasureRequest:
    """A lead erases the person who asked, from this project; the account too, if the request
    was for the whole account and this was its last open part."""
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open or request.user is None or request.project is None:
        raise ValidationError(_("This request has already been carried out."))
    user, project = request.user, request.project
    if _last_lead(project, user):
        raise ValidationError(
            _(
                "%(name)s is the project's only lead. Make someone else lead first, so that the "
                "project is not left without one."
            )
            % {"name": user}
        )
    now = timezone.now()
    label = erased_label(_next_number(project))
    _erase_in_project(project=project, user=user, label=label, by=by, now=now)
    request.refresh_from_db()
    request.user = None
    request.done_at = now
    request.done_by = by if by.pk != user.pk else None
    request.erased_as = label
    request._history_user = by if by.pk != user.pk else None  # type: ignore[attr-defined]
    request.save()
    ErasureRequest.history.model.objects.filter(id=request.pk).update(  # type: ignore[attr-defined]
        user_id=None
    )
    if (
        request.all_projects
        and not ErasureRequest.objects.filter(
            user=user, all_projects=True, done_at__isnull=True
        ).exists()
    ):
        _erase_account(user=user, by=by)
    return request


@transaction.atomic
def stakeholder_erase(*, stakeholder: Stakeholder, by: User) -> ErasureRequest:
    """A lead erases one roster person directly, for example after a request by telephone.

    Their roster entry, costs entry and contributions are erased as for a request; an account
    linked to them is unlinked but stays (its own data is the account holder's to ask about).
    """
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if stakeholder.erased_at is not None:
        raise ValidationError(_("This person has already been erased."))
    project = stakeholder.project
    now = timezone.now()
    label = erased_label(_next_number(project))
    linked = Q(stakeholder=stakeholder)
    if stakeholder.user_id is not None:
        linked |= Q(user_id=stakeholder.user_id)
    members = list(TeamMember.objects.filter(linked, project=project))
    _erase_entries(
        project=project,
        stakeholders=[stakeholder],
        members=members,
        label=label,
        user=None,
        by=by,
        now=now,
    )
    request = ErasureRequest(
        project=project,
        user=None,
        asked_in_coprod=False,
        requested_at=now,
        done_at=now,
        done_by=by,
        erased_as=label,
    )
    request._history_user = by  # type: ignore[attr-defined]
    request.save()
    return request

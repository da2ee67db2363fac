"""Writes to the decision log, the dissemination agreement and terms of reference.

Each runs in one transaction and leaves history. Values are checked by the core before anything
is saved: a decision by :func:`coprod.core.decisions.decision_problems` (through
:func:`selectors.decision_problems`), an agreement line by the core's
:class:`~coprod.core.plan.PublicationRight`, the agreement's terms by the core's
:class:`~coprod.core.plan.Dissemination`. Nothing here decides a rule of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coprod.core.plan import Dissemination
from coprod.web.decisions import plan_io, selectors
from coprod.web.decisions.models import (
    Decision,
    DecisionContribution,
    DecisionParticipant,
    PublicationRight,
    TermsOfReference,
)
from coprod.web.ledger.models import Contribution
from coprod.web.projects import services as project_services
from coprod.web.projects.models import Project, Stakeholder
from coprod.web.risks.plan_io import core_errors

# --- Decisions -----------------------------------------------------------------------------------

DECISION_FIELDS = (
    "what",
    "decided_on",
    "method",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "others_present",
    "others_count",
    "dissent",
    "review_on",
    "shared_with_partners",
)


def _refuse(problems: Sequence[tuple[str, str]]) -> None:
    errors: dict[str, list[ValidationError]] = {}
    for name, message in problems:
        errors.setdefault(name or "__all__", []).append(ValidationError(message))
    if errors:
        raise ValidationError(errors)


def _people(project: Project, ids: Sequence[int]) -> dict[int, Stakeholder]:
    found = {p.pk: p for p in Stakeholder.objects.filter(project=project, pk__in=ids)}
    if len(found) != len(set(ids)):
        raise ValidationError(
            {"participants": _("Someone chosen is not on this project's roster.")}
        )
    return found


def _contributions(project: Project, ids: Sequence[int]) -> dict[int, Contribution]:
    found = {c.pk: c for c in Contribution.objects.filter(project=project, pk__in=ids)}
    if len(found) != len(set(ids)):
        raise ValidationError({"answers": _("A contribution chosen is not in this project.")})
    return found


def _check(
    project: Project, fields: dict[str, Any], participants: Sequence[int], dissenters: Sequence[int]
) -> None:
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise ValueError(f"not decision fields: {sorted(unknown)}")
    if set(dissenters) - set(participants):
        raise ValidationError(
            {"dissenters": _("Tick everyone who disagreed under “Who took part” too.")}
        )
    _refuse(
        [
            (name, message)
            for name, message in selectors.decision_problems(
                what=fields.get("what", ""),
                method=fields.get("method", ""),
                votes_for=fields.get("votes_for"),
                votes_against=fields.get("votes_against"),
                votes_abstain=fields.get("votes_abstain"),
                roster_count=len(set(participants)),
                others_count=fields.get("others_count"),
                others_present=fields.get("others_present", ""),
                dissent=fields.get("dissent", ""),
            )
            if not selectors.is_note(message)
        ]
    )


def _link(
    decision: Decision,
    participants: Sequence[int],
    dissenters: Sequence[int],
    answers: Sequence[int],
) -> None:
    """Make the decision's links match: one row per person and per contribution, each change of
    them saved one by one so that the history holds it."""
    project = decision.project
    people = _people(project, participants)
    wanted = {pk: pk in set(dissenters) for pk in people}
    for row in DecisionParticipant.objects.filter(decision=decision):
        if row.stakeholder_id not in wanted:
            row.delete()
            continue
        dissented = wanted.pop(row.stakeholder_id)
        if row.dissented != dissented:
            row.dissented = dissented
            row.save()
    for pk, dissented in wanted.items():
        DecisionParticipant.objects.create(
            project=project, decision=decision, stakeholder=people[pk], dissented=dissented
        )
    chosen = _contributions(project, answers)
    for link in DecisionContribution.objects.filter(decision=decision):
        if link.contribution_id in chosen:
            chosen.pop(link.contribution_id)
        else:
            link.delete()
    for contribution in chosen.values():
        DecisionContribution.objects.create(
            project=project, decision=decision, contribution=contribution
        )


@transaction.atomic
def decision_create(
    *,
    project: Project,
    user: Any,
    participants: Sequence[int] = (),
    dissenters: Sequence[int] = (),
    answers: Sequence[int] = (),
    **fields: Any,
) -> Decision:
    """Record a decision with who took part, who disagreed and the contributions it answered."""
    _check(project, fields, participants, dissenters)
    decision = Decision(project=project, created_by=user, **fields)
    decision.save()
    _link(decision, participants, dissenters, answers)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    participants: Sequence[int] | None = None,
    dissenters: Sequence[int] | None = None,
    answers: Sequence[int] | None = None,
    **fields: Any,
) -> Decision:
    """Change a decision. Links not given stay as they are; the core checks the whole result."""
    current = list(DecisionParticipant.objects.filter(decision=decision))
    if participants is None:
        participants = [row.stakeholder_id for row in current]
    if dissenters is None:
        dissenters = [row.stakeholder_id for row in current if row.dissented]
    if answers is None:
        answers = list(
            DecisionContribution.objects.filter(decision=decision).values_list(
                "contribution_id", flat=True
            )
        )
    whole = {name: getattr(decision, name) for name in DECISION_FIELDS} | fields
    _check(decision.project, whole, participants, dissenters)
    changed = [name for name, value in fields.items() if getattr(decision, name) != value]
    for name in changed:
        setattr(decision, name, fields[name])
    if changed:
        decision.save()
    _link(decision, participants, dissenters, answers)
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    """Remove a decision recorded in error; its links go with it, each into the history."""
    for row in DecisionParticipant.objects.filter(decision=decision):
        row.delete()
    for link in DecisionContribution.objects.filter(decision=decision):
        link.delete()
    decision.delete()


# --- The dissemination agreement ------------------------------------------------------------------

AGREEMENT_FIELDS = (
    "stakeholders_can_block",
    "review_window_days",
    "researchers_may_publish_unwelcome",
    "embargo_until",
)
RIGHT_FIELDS = (
    "output",
    "who",
    "partner_review",
    "review_window_days",
    "embargo_until",
    "note",
)


def _refusal(problems: dict[str, list[str]]) -> ValidationError:
    """The core's objections, by field name, as Django's ValidationError."""
    return ValidationError(
        {
            name or "__all__": [ValidationError(message) for message in messages]
            for name, messages in problems.items()
        }
    )


@transaction.atomic
def agreement_update(*, project: Project, **fields: Any) -> Project:
    """Write the agreement's terms on the project; the project now has a written agreement."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"not agreement fields: {sorted(unknown)}")
    try:
        Dissemination.model_validate(fields)
    except pydantic.ValidationError as error:
        raise _refusal(core_errors(error)) from error
    return project_services.project_update(
        project=project, has_governance=True, has_dissemination_agreement=True, **fields
    )


def _right_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The line's fields once the core accepts them (ValidationError, by field, if it does not)."""
    draft = fields.pop("draft_shared_on", None)
    unknown = set(fields) - set(RIGHT_FIELDS)
    if unknown:
        raise ValueError(f"not agreement line fields: {sorted(unknown)}")
    problems = plan_io.right_problems(fields)
    if problems:
        raise _refusal(problems)
    right = plan_io.right_of(PublicationRight(**fields))
    return {**plan_io.row_fields(right), "draft_shared_on": draft}


def _agreement_written(project: Project) -> None:
    if not (project.has_governance and project.has_dissemination_agreement):
        project_services.project_update(
            project=project, has_governance=True, has_dissemination_agreement=True
        )


@transaction.atomic
def publication_right_create(*, project: Project, **fields: Any) -> PublicationRight:
    """Add a line to the agreement; a project with a line has a written agreement."""
    values = _right_fields(dict(fields))
    top = PublicationRight.objects.filter(project=project).aggregate(top=Max("position"))["top"]
    row = PublicationRight(project=project, position=0 if top is None else top + 1, **values)
    row.save()
    _agreement_written(project)
    return row


@transaction.atomic
def publication_right_update(*, right: PublicationRight, **fields: Any) -> PublicationRight:
    values = _right_fields(dict(fields))
    changed = [name for name, value in values.items() if getattr(right, name) != value]
    for name in changed:
        setattr(right, name, values[name])
    if changed:
        right.save()
    return right


@transaction.atomic
def publication_right_delete(*, right: PublicationRight) -> None:
    right.delete()


# --- Terms of reference ---------------------------------------------------------------------------

TERMS_FIELDS = (
    "role",
    "time",
    "payment",
    "feedback",
    "recognition",
    "disagreements",
    "leaving",
    "agreed_on",
    "review_on",
)


@transaction.atomic
def terms_save(
    *, project: Project, person: Stakeholder, **fields: Any
) -> tuple[TermsOfReference, bool]:
    """Write a person's terms of reference (one per person): (terms, whether they are new)."""
    unknown = set(fields) - set(TERMS_FIELDS)
    if unknown:
        raise ValueError(f"not terms fields: {sorted(unknown)}")
    if person.project_id != project.pk:
        raise ValidationError(_("This person is not on this project's roster."))
    values = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
    }
    terms = TermsOfReference.objects.select_for_update().filter(stakeholder=person).first()
    if terms is None:
        terms = TermsOfReference(project=project, stakeholder=person, **values)
        terms.save()
        return terms, True
    changed = [name for name, value in values.items() if getattr(terms, name) != value]
    for name in changed:
        setattr(terms, name, values[name])
    if changed:
        terms.save()
    return terms, False


@transaction.atomic
def terms_delete(*, terms: TermsOfReference) -> None:
    terms.delete()

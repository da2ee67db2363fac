"""Keep ``Project.version`` moving whenever a project's costs change (as the plan's parts do).

An organisation's rate cards price the budgets of all its projects, so a change to one moves the
version of each of them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from coprod.web.costs import models
from coprod.web.projects.models import Project

PROJECT_PARTS = (
    models.BudgetLine,
    models.TeamMember,
    models.TimeLog,
    models.Expense,
    models.Payment,
)


def _bump(sender: Any, instance: Any, **kwargs: Any) -> None:
    # update() leaves no history row: the version is bookkeeping, not a change anyone made.
    Project.objects.filter(pk=instance.project_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def _bump_organisation(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, models.Rate):
        projects = Project.objects.filter(organisation__rate_cards__id=instance.card_id)
    else:
        projects = Project.objects.filter(organisation_id=instance.organisation_id)
    Project.objects.filter(pk__in=projects.values("pk")).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def connect() -> None:
    for model in PROJECT_PARTS:
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")
    for model in (models.RateCard, models.Rate):
        post_save.connect(
            _bump_organisation, sender=model, dispatch_uid=f"bump-{model.__name__}-save"
        )
        post_delete.connect(
            _bump_organisation, sender=model, dispatch_uid=f"bump-{model.__name__}-delete"
        )

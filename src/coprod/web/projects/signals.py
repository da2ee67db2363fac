"""Keep ``Project.version`` moving whenever any part of a project's plan changes."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from coprod.web.projects import models

PLAN_PARTS = (
    models.Aim,
    models.CriterionWeight,
    models.StagePlan,
    models.AlternativeChoice,
    models.Stakeholder,
    models.Assessment,
    models.Membership,
)


def _bump(sender: Any, instance: Any, **kwargs: Any) -> None:
    # update() leaves no history row: the version is bookkeeping, not a change anyone made.
    models.Project.objects.filter(pk=instance.project_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def connect() -> None:
    for model in PLAN_PARTS:
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")

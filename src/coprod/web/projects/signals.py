"""Keep ``Project.version`` moving whenever any part of a project's plan changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model
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


def connect_parts(parts: Iterable[type[Model]]) -> None:
    """Move the project's version whenever one of these rows (each with a project) changes."""
    for model in parts:
        uid = f"bump-{model._meta.label}"
        post_save.connect(_bump, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"{uid}-delete")


def connect() -> None:
    connect_parts(PLAN_PARTS)

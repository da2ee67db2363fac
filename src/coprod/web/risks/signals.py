"""Keep ``Project.version`` moving whenever a risk changes, so cached pages built from the plan
(the project's overview) refresh at once."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from coprod.web.projects.models import Project
from coprod.web.risks.models import ProjectRisk


def _bump(sender: Any, instance: Any, **kwargs: Any) -> None:
    # update() leaves no history row: the version is bookkeeping, not a change anyone made.
    Project.objects.filter(pk=instance.project_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def connect() -> None:
    post_save.connect(_bump, sender=ProjectRisk, dispatch_uid="bump-ProjectRisk-save")
    post_delete.connect(_bump, sender=ProjectRisk, dispatch_uid="bump-ProjectRisk-delete")

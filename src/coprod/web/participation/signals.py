"""When a project turns on "discard meeting transcripts", the texts kept until then go at once."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from coprod.web.projects.models import Project


@receiver(post_save, sender=Project, dispatch_uid="participation_discard_transcripts")
def discard_kept_transcripts(sender: Any, instance: Project, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and "discard_transcript_text" not in fields:
        return
    if instance.discard_transcript_text and not kwargs.get("raw"):
        from coprod.web.participation.services import transcripts_discard

        transcripts_discard(project=instance)

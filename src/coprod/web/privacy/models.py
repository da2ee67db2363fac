"""Requests to be erased, and the record that an erasure happened.

A row is a person's request to have their personal data erased from one project (``all_projects``
marks the parts of a request to erase the whole account: one row per project the person is in).
A lead who erases a roster person directly, for example after a request by telephone, leaves a
row too, with ``asked_in_coprod`` off. Once carried out, the row keeps only what the record of
changes needs: when, by whom, and the label the person now goes by ("Erased person 3"); the link
to the account that asked is cleared.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.web.projects.models import Project


class ErasureRequest(models.Model):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="erasure_requests",
        help_text=_("Empty for an account that was in no project."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    all_projects = models.BooleanField(_("the whole account"), default=False)
    asked_in_coprod = models.BooleanField(_("asked in Coprod"), default=True)
    requested_at = models.DateTimeField(_("asked on"))
    done_at = models.DateTimeField(_("erased on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    erased_as = models.CharField(_("now shown as"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(done_at__isnull=True),
                name="one_open_erasure_request_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"erasure {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None

"""The contribution ledger (SPEC C6): every input a stakeholder gives, and what became of it.

The rules (what counts as adopted, the test of whether groups differ, when feedback is overdue,
the "you said, we did" report) live in :mod:`coprod.core.contributions`; this module only stores.

A contribution comes from a roster person, from a whole group, or anonymously. An anonymous
contribution has no ``stakeholder``: only ``submitted_by`` (its author) may see where it came
from, and pages and the record of changes never show it to anyone else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.core.ids import Disposition
from coprod.web.people.models import Activity
from coprod.web.projects.models import GROUP_CHOICES, STAGE_CHOICES, Project, Stakeholder


class ContributionKind(models.TextChoices):
    IDEA = "idea", _("Idea")
    QUESTION = "question", _("Question")
    CONCERN = "concern", _("Concern")
    EVIDENCE = "evidence", _("Evidence")
    INTERPRETATION = "interpretation", _("Interpretation")
    RECOMMENDATION = "recommendation", _("Recommendation")


DISPOSITION_CHOICES = [
    (Disposition.ADOPTED.value, _("Adopted")),
    (Disposition.ADAPTED.value, _("Adapted")),
    (Disposition.DEFERRED.value, _("Deferred")),
    (Disposition.DECLINED.value, _("Declined")),
    (Disposition.OUT_OF_SCOPE.value, _("Out of scope")),
    (Disposition.PENDING.value, _("Still being considered")),
]


class Contribution(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contributions")
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("from"),
    )
    group = models.CharField(
        _("stakeholder group"),
        max_length=20,
        choices=GROUP_CHOICES,
        blank=True,
        help_text=_("The group it came from: the person's group, or a whole group's view."),
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    made_on = models.DateField(_("date"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("at"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=STAGE_CHOICES, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    text = models.TextField(_("what was said"))
    disposition = models.CharField(
        _("what became of it"),
        max_length=20,
        choices=DISPOSITION_CHOICES,
        default=Disposition.PENDING.value,
    )
    reason = models.TextField(_("why"), blank=True)
    changed = models.TextField(_("the decision or output it changed"), blank=True)
    disposed_on = models.DateField(_("decided on"), null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    told_on = models.DateField(_("contributor told on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["project", "disposition"]),
            models.Index(fields=["project", "group"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(stakeholder__isnull=True),
                name="anonymous_contribution_names_nobody",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

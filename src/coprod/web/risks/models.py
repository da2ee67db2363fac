"""The risk register as stored by the web app (C3): one row per risk, with its history.

A row maps to the core's :class:`coprod.core.plan.Risk` (see ``plan_io``); the rules that seed,
sort, rate and count risks live in :mod:`coprod.core.risks` and are never copied here. The
history that django-simple-history keeps for each row is the risk's history: who changed what,
when, and the values before and after.
"""

from __future__ import annotations

from typing import get_args

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.core.ids import Stage
from coprod.core.plan import RiskStatus
from coprod.core.risks import SCALE
from coprod.web.projects.models import Project

STATUSES: tuple[str, ...] = get_args(RiskStatus)
"""The core's risk statuses in its order: proposed, open, mitigated, closed, accepted, dismissed."""

# Plain words for each status. The values are the core's; only the words are the web's.
STATUS_LABELS = {
    "proposed": _("Proposed, to review"),
    "open": _("Open"),
    "mitigated": _("Mitigated"),
    "closed": _("Closed"),
    "accepted": _("Accepted: we live with it"),
    "dismissed": _("Dismissed"),
}
STATUS_CHOICES = [(status, STATUS_LABELS.get(status, status)) for status in STATUSES]
STAGE_CHOICES = [(stage.value, stage.value) for stage in Stage]
RATING_VALIDATORS = [MinValueValidator(min(SCALE)), MaxValueValidator(max(SCALE))]


def _rating(label: str) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=RATING_VALIDATORS
    )


class ProjectRisk(models.Model):
    """An entry of a project's risk register: seeded from the paper, or the team's own."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=STAGE_CHOICES,
        blank=True,
        help_text=_("Empty for a risk to the whole project."),
    )
    challenge = models.TextField(_("the risk"))
    cost_types = models.JSONField(_("cost types"), default=list, blank=True)
    bears = models.JSONField(_("who bears it"), default=list, blank=True)
    bears_who = models.CharField(_("which person or group"), max_length=300, blank=True)
    likelihood = _rating(_("likelihood"))
    impact = _rating(_("impact"))
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES, default="open")
    reason = models.TextField(_("reason"), blank=True)
    review = models.DateField(_("next review"), null=True, blank=True)
    catalogue_id = models.CharField(_("catalogue entry"), max_length=80, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True)
                | Q(likelihood__gte=min(SCALE), likelihood__lte=max(SCALE)),
                name="risk_likelihood_on_the_scale",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True)
                | Q(impact__gte=min(SCALE), impact__lte=max(SCALE)),
                name="risk_impact_on_the_scale",
            ),
        ]
        indexes = [models.Index(fields=["project", "position"], name="risk_project_position")]

    def __str__(self) -> str:
        return " ".join(self.challenge.split())[:80]

    def clean(self) -> None:
        """The core's Risk model judges the row (the admin's forms call this)."""
        from coprod.web.risks.services import check_risk

        check_risk(self)

"""Decisions, publication rights and terms of reference (SPEC C7, C2).

The rules (what a vote needs, when a publication right warrants a warning, what terms of reference
lack) live in :mod:`coprod.core.decisions`, :mod:`coprod.core.terms` and the decision aid; this
module only stores. The links of a decision to the people who took part and to the contributions
it answered are rows of their own, each with the project, so that the record of changes reads them
as it reads every other table.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.web.ledger.models import Contribution
from coprod.web.projects.models import DECISION_RULE_CHOICES, Project, Stakeholder


class Decision(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decision_log")
    what = models.TextField(_("what was decided"))
    decided_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=20, choices=DECISION_RULE_CHOICES)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    others_present = models.TextField(
        _("others who took part"),
        blank=True,
        help_text=_("People not on the roster, or a count such as '6 members of the public'."),
    )
    others_count = models.PositiveIntegerField(
        _("how many others took part"),
        null=True,
        blank=True,
        help_text=_("So that vote counts can be checked, and partners see how many took part."),
    )
    dissent = models.TextField(_("dissent"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    shared_with_partners = models.BooleanField(_("partners can see it"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.what[:60]


class DecisionParticipant(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participants")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="decisions_taken"
    )
    dissented = models.BooleanField(_("disagreed"), default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "stakeholder"], name="one_participation_per_decision"
            )
        ]


class DecisionContribution(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="answers")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="decisions"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "contribution"], name="one_link_per_decision_contribution"
            )
        ]


class PartnerReview(models.TextChoices):
    COMMENT = "comment", _("Partners may comment")
    VETO = "veto", _("Partners may stop publication")
    NONE = "none", _("No review by partners")


class PublicationRight(models.Model):
    """Who may publish what, and when (the dissemination agreement's lines)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="publication_rights"
    )
    output = models.CharField(_("what is published"), max_length=300)
    who = models.CharField(_("who may publish it"), max_length=300)
    partner_review = models.CharField(
        _("partners' review"),
        max_length=10,
        choices=PartnerReview.choices,
        default=PartnerReview.COMMENT,
    )
    review_window_days = models.PositiveIntegerField(
        _("review window (days)"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    embargo_until = models.DateField(_("embargo until"), null=True, blank=True)
    draft_shared_on = models.DateField(
        _("draft shared with partners on"),
        null=True,
        blank=True,
        help_text=_("Starts the partners' review window. Kept in Coprod, not in the plan file."),
    )
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.output


class TermsOfReference(models.Model):
    """A partner's role agreement: role, time, payment, feedback, recognition, disputes, leaving."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="terms")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="terms", verbose_name=_("for")
    )
    role = models.TextField(_("their role"))
    time = models.TextField(_("time asked of them"), blank=True)
    payment = models.TextField(_("payment and expenses"), blank=True)
    feedback = models.TextField(_("how they hear what became of their input"), blank=True)
    recognition = models.TextField(_("how their work is recognised"), blank=True)
    disagreements = models.TextField(_("how disagreements are settled"), blank=True)
    leaving = models.TextField(_("how to leave"), blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("terms of reference")
        constraints = [
            models.UniqueConstraint(fields=["project", "stakeholder"], name="one_terms_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.role[:40]}"

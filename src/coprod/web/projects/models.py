"""A project's plan as stored by the web app.

The ORM maps to and from the core's :class:`coprod.core.plan.Plan` (see ``plan_mapping``); the
rules that judge a plan live in the core and are never copied here. Every model keeps its history
(django-simple-history): who changed what, when, and the values before and after.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.core.ids import Answer, Criterion, DecisionRule, Group, Level, Motivation, Stage


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]


STAGE_CHOICES = _choices(Stage)
LEVEL_CHOICES = _choices(Level)
MOTIVATION_CHOICES = _choices(Motivation)
GROUP_CHOICES = _choices(Group)
ANSWER_CHOICES = _choices(Answer)
CRITERION_CHOICES = _choices(Criterion)
DECISION_RULE_CHOICES = _choices(DecisionRule)


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    RESEARCHER = "researcher", _("Researcher")
    PARTNER = "partner", _("Partner")
    OBSERVER = "observer", _("Observer")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _answer_field(label: str) -> models.CharField[str, str]:
    return models.CharField(label, max_length=12, choices=ANSWER_CHOICES, default=Answer.UNKNOWN)


class Project(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    organisation_name = models.CharField(_("organisations involved"), max_length=300, blank=True)
    current_stage = models.CharField(
        _("current stage"), max_length=20, choices=STAGE_CHOICES, blank=True
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    # Table 2: the context, one answer per criterion.
    contestation = _answer_field(_("contested findings"))
    conflicts_of_interest = _answer_field(_("conflicts of interest"))
    direct_use = _answer_field(_("direct use of findings"))
    funder_values = _answer_field(_("what the funder values"))
    definition = _answer_field(_("how well defined it is"))
    purpose = _answer_field(_("purpose of the research"))
    cooperation = _answer_field(_("need for cooperation"))
    relationships = _answer_field(_("existing relationships"))
    resources = _answer_field(_("time, money and skills"))

    # The paper's key questions to individuals.
    brings = models.TextField(_("what everyone brings"), blank=True)
    when_needed = models.TextField(_("when each party is needed"), blank=True)
    costs_borne = models.TextField(_("the costs and who bears them"), blank=True)
    decisions = models.TextField(_("how decisions are taken"), blank=True)

    # Governance.
    has_governance = models.BooleanField(default=False)
    decision_rule = models.CharField(
        _("decision rule"), max_length=20, choices=DECISION_RULE_CHOICES, blank=True
    )
    ground_rules = models.JSONField(_("ground rules"), default=list, blank=True)
    accountability = models.TextField(_("who is accountable"), blank=True)
    disagreements = models.TextField(_("how disagreements are settled"), blank=True)
    leaving = models.TextField(_("how a partner may leave"), blank=True)
    governance_standards = models.JSONField(default=list, blank=True)
    has_dissemination_agreement = models.BooleanField(default=False)
    stakeholders_can_block = models.BooleanField(_("partners can block publication"), default=False)
    review_window_days = models.PositiveIntegerField(
        _("review window (days)"), null=True, blank=True
    )
    researchers_may_publish_unwelcome = models.BooleanField(
        _("researchers may publish unwelcome findings"), default=True
    )
    embargo_until = models.DateField(_("embargo until"), null=True, blank=True)

    # Ethics.
    has_ethics = models.BooleanField(default=False)
    identifiable_data = models.BooleanField(_("participant data identify people"), default=False)
    partner_access_consented = models.BooleanField(
        _("participants agreed partners may see identifying data"), default=False
    )
    ethics_approval = models.CharField(_("ethics approval reference"), max_length=200, blank=True)

    # Running the coproduction (SPEC C6, C8).
    feedback_days = models.PositiveSmallIntegerField(
        _("days within which contributors hear what became of their input"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    discard_transcript_text = models.BooleanField(
        _("discard meeting transcripts once analysed, keeping only the figures"), default=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every change to the project or any part of its plan (see signals), so that
    # pages built from the plan can be cached until it changes.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-updated_at"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_role_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


def _token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["token"])

    def __str__(self) -> str:
        return f"{self.email} as {self.role}"


class Aim(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="aims")
    motivation = models.CharField(_("motivation"), max_length=20, choices=MOTIVATION_CHOICES)
    outcome = models.TextField(_("what must change"))
    for_whom = models.JSONField(_("for whom"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]


class CriterionWeight(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="weights")
    criterion = models.CharField(_("criterion"), max_length=30, choices=CRITERION_CHOICES)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "criterion"], name="one_weight_per_criterion"
            )
        ]


class StagePlan(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_plans")
    stage = models.CharField(_("stage"), max_length=20, choices=STAGE_CHOICES)
    level = models.CharField(_("level"), max_length=12, choices=LEVEL_CHOICES)
    groups = models.JSONField(_("groups"), default=list, blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    standards = models.JSONField(_("UK Standards"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="one_plan_per_stage")
        ]


class AlternativeChoice(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="alternatives")
    motivation = models.CharField(_("aim"), max_length=20, choices=MOTIVATION_CHOICES)
    approach = models.CharField(_("approach"), max_length=300)
    catalogue_id = models.CharField(max_length=80, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]


class Stakeholder(models.Model):
    """A person on the project's roster (SPEC C5). Everything here but the group is personal data.

    The plan file carries the name, group, organisation, role, what they bring and the stages;
    contact details, consent, demographics and access needs stay in Coprod and never go into a
    plan file. Gender and ethnicity are held only with consent and, as for the costs team, never
    copied into the history (``demographics_revision`` records that they changed). Erasure
    (``erased_at``) replaces the personal data here and in the history, and keeps the row so that
    contributions and attendance stay counted.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=GROUP_CHOICES)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role in the project"), max_length=200, blank=True)
    brings = models.TextField(_("what they bring"), blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_entries",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    contact_consent = models.BooleanField(_("agreed to be contacted"), default=False)
    aliases = models.JSONField(
        _("other names they go by"),
        default=list,
        blank=True,
        help_text=_("Names used for them in meeting transcripts, for example 'Dr Okafor'."),
    )
    access_needs = models.TextField(
        _("access needs"),
        blank=True,
        help_text=_("What helps them take part: step-free access, large print, a carer, breaks."),
    )
    demographics_consent = models.BooleanField(
        _("agreed to record gender and ethnicity"), default=False
    )
    gender = models.CharField(_("gender"), max_length=100, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    demographics_revision = models.PositiveIntegerField(
        _("gender and ethnicity (the answers are not kept in the history)"), default=0
    )
    joined = models.DateField(_("joined on"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased on"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["gender", "ethnicity"])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(demographics_consent=True) | (Q(gender="") & Q(ethnicity="")),
                name="stakeholder_demographics_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A stage-gate assessment, kept for good: the answers then and the emphasis they gave."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by = models.CharField(_("by"), max_length=200)
    stage = models.CharField(_("stage gate"), max_length=20, choices=STAGE_CHOICES, blank=True)
    criteria = models.JSONField(default=dict)
    weights = models.JSONField(default=dict)
    emphasis = models.CharField(max_length=20)
    warnings = models.JSONField(default=list)
    catalogue_version = models.CharField(max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "created_at", "id"]

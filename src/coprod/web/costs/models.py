"""Costs and burden as stored by the web app (SPEC C4).

The rules live in the core (:mod:`coprod.core.costs`): pricing, totals, budget against actuals,
days to payment and the burden shares are all worked out there from these rows, never here.
Money is a Decimal with its currency; negative amounts are refused by the database as well as by
the forms. Every model keeps its history (django-simple-history), except the two answers a person
may withdraw: gender and ethnicity are never copied into the history, so that erasing them on
withdrawal of consent erases them for good. The history still records *that* they changed
(``demographics_revision``), who changed them and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.core.costs import DEFAULT_CURRENCY
from coprod.web.costs.labels import (
    CAREER_STAGE_CHOICES,
    CONTRACT_CHOICES,
    KIND_CHOICES,
    OFFER_CHOICES,
    UNIT_CHOICES,
)
from coprod.web.projects.models import STAGE_CHOICES, Organisation, Project

MONEY = {"max_digits": 12, "decimal_places": 2}


def _currency_field() -> models.CharField[str, str]:
    return models.CharField(
        _("currency"),
        max_length=3,
        default=DEFAULT_CURRENCY,
        help_text=_("A three-letter code such as GBP or EUR."),
    )


class BudgetLine(models.Model):
    """A line of the involvement budget: the web twin of :class:`coprod.core.plan.CostLine`.

    Either a fixed ``amount``, or ``quantity`` at a rate of a rate card, in force on ``date``.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("kind of cost"), max_length=30, choices=KIND_CHOICES)
    description = models.TextField(_("description"))
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, null=True)
    unit = models.CharField(_("unit"), max_length=10, choices=UNIT_CHOICES, blank=True)
    rate_card = models.CharField(_("rate card"), max_length=80, blank=True)
    rate = models.CharField(_("rate"), max_length=80, blank=True)
    date = models.DateField(_("date of the activity"), null=True, blank=True)
    role = models.CharField(_("whose time"), max_length=200, blank=True)
    currency = _currency_field()
    bearer = models.CharField(_("who pays or gives the time"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=STAGE_CHOICES, blank=True)
    standards = models.JSONField(_("UK Standards"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="budget_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="budget_quantity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class RateCard(models.Model):
    """An organisation's own rate card. Its rates are never edited: a new amount is a new rate."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rate_cards"
    )
    card_id = models.SlugField(
        _("short name"),
        max_length=80,
        help_text=_("Used in budgets and plan files, e.g. our_contributor_rates."),
    )
    label = models.CharField(_("name"), max_length=200)
    help = models.TextField(_("what it is for"))
    source = models.CharField(
        _("where the figures come from"),
        max_length=300,
        help_text=_("For example: Finance office, staff costs for 2026/27."),
    )
    currency = _currency_field()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "card_id"], name="one_card_id_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Rate(models.Model):
    """One amount of a rate, in force from ``valid_from`` until a later amount of the same rate."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="rates")
    rate_id = models.SlugField(_("short name of the rate"), max_length=80)
    label = models.CharField(_("what it pays for"), max_length=200)
    unit = models.CharField(_("per"), max_length=10, choices=UNIT_CHOICES)
    amount = models.DecimalField(_("amount"), **MONEY)
    valid_from = models.DateField(_("applies from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rate_id", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "rate_id", "valid_from"], name="one_amount_per_rate_and_date"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rate_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.valid_from})"


class TeamMember(models.Model):
    """Someone whose time is logged: a researcher, a member of staff, a public contributor.

    Gender and ethnicity are held only with the person's consent, in their own words; the database
    refuses them otherwise. They are left out of the history (see the module's docstring).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Coprod account"),
    )
    stakeholder = models.OneToOneField(
        "projects.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_member",
        verbose_name=_("on the roster as"),
        help_text=_("Links the roster's attendance at activities to this person's time."),
    )
    role = models.CharField(_("role in the project"), max_length=200, blank=True)
    career_stage = models.CharField(
        _("career stage"), max_length=20, choices=CAREER_STAGE_CHOICES, blank=True
    )
    contract = models.CharField(_("contract"), max_length=20, choices=CONTRACT_CHOICES, blank=True)
    demographics_consent = models.BooleanField(
        _("agreed to record gender and ethnicity"), default=False
    )
    gender = models.CharField(_("gender"), max_length=100, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    demographics_revision = models.PositiveIntegerField(
        _("gender and ethnicity (the answers are not kept in the history)"), default=0
    )
    receives_benefits = models.BooleanField(_("receives welfare benefits"), default=False)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["gender", "ethnicity"])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(demographics_consent=True) | (Q(gender="") & Q(ethnicity="")),
                name="demographics_only_with_consent",
            ),
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(user__isnull=False),
                name="one_team_entry_per_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TimeLog(models.Model):
    """Time a person gave to involvement work, researchers' own time included."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="time_logs")
    person = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, related_name="time_logs", verbose_name=_("person")
    )
    activity = models.CharField(_("activity"), max_length=300)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    role = models.CharField(_("in what role"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind of cost"), max_length=30, choices=KIND_CHOICES, default="staff_time"
    )
    rate_card = models.CharField(_("rate card"), max_length=80, blank=True)
    rate = models.CharField(_("rate"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.date})"


class Expense(models.Model):
    """Money spent: travel, venues, access needs, materials."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expenses")
    person = models.ForeignKey(
        TeamMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("spent by"),
    )
    description = models.CharField(_("what for"), max_length=300)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = _currency_field()
    kind = models.CharField(_("kind of cost"), max_length=30, choices=KIND_CHOICES, default="other")
    bearer = models.CharField(_("who pays"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    """A payment offered to a contributor for an activity: cash, voucher, or declined."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="payments")
    person = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, related_name="payments", verbose_name=_("paid to")
    )
    activity = models.CharField(_("for what"), max_length=300, blank=True)
    activity_date = models.DateField(_("date of the activity"))
    offered = models.CharField(_("offered as"), max_length=10, choices=OFFER_CHOICES)
    amount = models.DecimalField(_("amount offered"), **MONEY)
    currency = _currency_field()
    paid_on = models.DateField(_("date paid"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-activity_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_not_negative"),
            models.CheckConstraint(
                condition=~Q(offered="declined") | Q(paid_on__isnull=True),
                name="declined_payment_is_never_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.activity_date}"

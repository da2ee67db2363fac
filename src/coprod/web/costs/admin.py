"""Costs through the Django admin. Every change here is in the history too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coprod.web.costs import models


@admin.register(models.BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["description", "project", "kind", "amount", "rate_card", "rate", "date"]
    list_filter = ["kind"]
    search_fields = ["description", "project__title"]


class RateInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.Rate
    extra = 0


@admin.register(models.RateCard)
class RateCardAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["label", "card_id", "organisation", "currency"]
    search_fields = ["label", "card_id", "organisation__name"]
    inlines = [RateInline]


@admin.register(models.Rate)
class RateAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["label", "rate_id", "card", "amount", "unit", "valid_from"]
    search_fields = ["label", "rate_id", "card__label"]


@admin.register(models.TeamMember)
class TeamMemberAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "project", "career_stage", "contract", "demographics_consent"]
    search_fields = ["name", "project__title"]
    # Gender and ethnicity are changed in the app, where consent is checked and the change noted.
    readonly_fields = ["gender", "ethnicity", "demographics_consent", "demographics_revision"]


@admin.register(models.TimeLog)
class TimeLogAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["activity", "person", "project", "date", "hours", "kind"]
    search_fields = ["activity", "project__title"]


@admin.register(models.Expense)
class ExpenseAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["description", "project", "date", "amount", "currency", "kind"]
    search_fields = ["description", "project__title"]


@admin.register(models.Payment)
class PaymentAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["person", "project", "activity_date", "offered", "amount", "paid_on"]
    list_filter = ["offered"]

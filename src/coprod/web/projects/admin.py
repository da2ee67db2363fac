"""Instance administration through the Django admin. Every change here is in the history too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coprod.web.projects import models


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["title", "organisation", "current_stage", "updated_at"]
    list_filter = ["organisation", "current_stage"]
    search_fields = ["title", "summary"]
    inlines = [MembershipInline]
    readonly_fields = ["created_at", "updated_at", "created_by"]


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["user", "project", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "project__title"]


@admin.register(models.Invitation)
class InvitationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["email", "project", "role", "created_at", "accepted_at"]
    search_fields = ["email", "project__title"]
    exclude = ["token"]


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["project", "date", "stage", "emphasis", "by"]
    list_filter = ["emphasis", "stage"]

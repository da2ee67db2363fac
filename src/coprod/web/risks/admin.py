"""The risk register in the Django admin. Every change made here is in the risk's history too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coprod.web.risks.models import ProjectRisk


@admin.register(ProjectRisk)
class ProjectRiskAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["__str__", "project", "stage", "status", "likelihood", "impact", "review"]
    list_filter = ["status", "stage"]
    search_fields = ["challenge", "project__title", "catalogue_id"]
    list_select_related = ["project"]
    readonly_fields = ["created_at", "updated_at"]

"""Pages under /projects/<pk>/people/: the roster, its import and download, and activities."""

from django.urls import path

from coprod.web.people import views_activities, views_import, views_roster

urlpatterns = [
    path("", views_roster.stakeholder_list, name="stakeholder_list"),
    path("add/", views_roster.stakeholder_add, name="stakeholder_add"),
    path("<int:stakeholder_id>/", views_roster.stakeholder_edit, name="stakeholder_edit"),
    path("roster.csv", views_roster.stakeholder_export_csv, name="stakeholder_export_csv"),
    path("roster.xlsx", views_roster.stakeholder_export_xlsx, name="stakeholder_export_xlsx"),
    path("import/", views_import.stakeholder_import, name="stakeholder_import"),
    path("import/sheet/", views_import.stakeholder_import_sheet, name="stakeholder_import_sheet"),
    path(
        "import/columns/",
        views_import.stakeholder_import_mapping,
        name="stakeholder_import_mapping",
    ),
    path(
        "import/preview/",
        views_import.stakeholder_import_preview,
        name="stakeholder_import_preview",
    ),
    path(
        "import/cancel/", views_import.stakeholder_import_cancel, name="stakeholder_import_cancel"
    ),
    path("activities/", views_activities.activity_list, name="activity_list"),
    path("activities/add/", views_activities.activity_add, name="activity_add"),
    path(
        "activities/<int:activity_id>/",
        views_activities.activity_detail,
        name="activity_detail",
    ),
    path(
        "activities/<int:activity_id>/edit/",
        views_activities.activity_edit,
        name="activity_edit",
    ),
]

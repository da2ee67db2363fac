"""Pages under /projects/<pk>/ledger/."""

from django.urls import path

from coprod.web.ledger import views, views_reports

urlpatterns = [
    path("", views.contribution_list, name="contribution_list"),
    path("record/", views.contribution_record, name="contribution_record"),
    path("submit/", views.contribution_submit, name="contribution_submit"),
    path("told/", views.contribution_told, name="contribution_told"),
    path("settings/", views.ledger_settings, name="ledger_settings"),
    path("adoption.png", views.adoption_chart, name="contribution_adoption_chart"),
    path("contributions.csv", views.ledger_csv, name="ledger_csv"),
    path("contributions.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("<int:contribution_id>/", views.contribution_edit, name="contribution_edit"),
    path("<int:contribution_id>/dispose/", views.contribution_dispose, name="contribution_dispose"),
    path("report/", views_reports.you_said_we_did_project, name="you_said_we_did_project"),
    path(
        "report.<str:fmt>",
        views_reports.you_said_we_did_project_download,
        name="you_said_we_did_project_download",
    ),
    path("mine/", views_reports.you_said_we_did_mine, name="you_said_we_did_mine"),
    path(
        "mine.<str:fmt>",
        views_reports.you_said_we_did_mine_download,
        name="you_said_we_did_mine_download",
    ),
    path("people/<int:person_id>/", views_reports.you_said_we_did, name="you_said_we_did"),
    path(
        "people/<int:person_id>.<str:fmt>",
        views_reports.you_said_we_did_download,
        name="you_said_we_did_download",
    ),
]

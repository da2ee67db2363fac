"""Every page of the web app. Project pages sit under /projects/<id>/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from coprod.web.accounts import views as accounts
from coprod.web.projects import views_aid as aid
from coprod.web.projects import views_members as members
from coprod.web.projects import views_projects as projects

project_patterns = [
    path("", projects.project_dashboard, name="project_dashboard"),
    path("partner/", projects.project_partner_view, name="project_partner_view"),
    path("plan/", projects.project_plan_edit, name="project_plan_edit"),
    path("plan.yaml", projects.project_export, name="project_export"),
    path("replace/", projects.project_replace, name="project_replace"),
    path("aid/aims/", aid.aid_aims, name="aid_aims"),
    path("aid/aims/<int:aim_id>/", aid.aid_aim_edit, name="aid_aim_edit"),
    path("aid/context/", aid.aid_context, name="aid_context"),
    path("aid/alternatives/", aid.aid_alternatives, name="aid_alternatives"),
    path(
        "aid/alternatives/<int:alternative_id>/",
        aid.aid_alternative_edit,
        name="aid_alternative_edit",
    ),
    path("aid/stages/", aid.aid_stages, name="aid_stages"),
    path("aid/review/", aid.aid_review, name="aid_review"),
    path("assessments/", aid.assessment_list, name="assessment_list"),
    path("members/", members.member_list, name="member_list"),
    path("members/<int:membership_id>/", members.member_edit, name="member_edit"),
    path("changes/", members.change_log, name="change_log"),
    path("risks/", include("coprod.web.risks.urls")),
    path("costs/", include("coprod.web.costs.urls")),
    path("people/", include("coprod.web.people.urls")),
    path("ledger/", include("coprod.web.ledger.urls")),
    path("decisions/", include("coprod.web.decisions.urls")),
    path("privacy/", include("coprod.web.privacy.urls")),
    path("participation/", include("coprod.web.participation.urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="project_list", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("my-data/", include("coprod.web.privacy.urls_account")),
    path("guidance/", projects.guidance, name="guidance"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/import/", projects.project_import, name="project_import"),
    path("projects/<int:pk>/", include(project_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

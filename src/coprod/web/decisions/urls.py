"""Decisions, the agreement on publishing and terms of reference: /projects/<pk>/decisions/."""

from django.urls import path

from coprod.web.decisions import views, views_agreement, views_terms

urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("new/", views.decision_add, name="decision_add"),
    path("<int:decision_id>/", views.decision_detail, name="decision_detail"),
    path("<int:decision_id>/edit/", views.decision_edit, name="decision_edit"),
    path("decision-log.docx", views.decision_docx, name="decision_docx"),
    path("agreement/", views_agreement.agreement, name="agreement"),
    path(
        "agreement/lines/<int:right_id>/",
        views_agreement.agreement_line_edit,
        name="agreement_line_edit",
    ),
    path("terms/", views_terms.terms_list, name="terms_list"),
    path("terms/<int:person_id>/", views_terms.terms_edit, name="terms_edit"),
    path("terms/<int:person_id>.docx", views_terms.terms_docx, name="terms_docx"),
]

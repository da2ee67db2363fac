"""Costs and burden pages, under /projects/<pk>/costs/."""

from django.urls import path

from coprod.web.costs import views, views_actuals, views_burden, views_team

urlpatterns = [
    path("", views.budget, name="budget"),
    path("budget.xlsx", views.budget_xlsx, name="costs_budget_xlsx"),
    path("budget.docx", views.budget_docx, name="costs_budget_docx"),
    path("lines/<int:line_id>/", views.line_edit, name="costs_line_edit"),
    path("rate-cards/", views.rate_cards, name="costs_rate_cards"),
    path("rate-cards/<int:card_id>/", views.rate_add, name="costs_rate_add"),
    path("actuals/", views_actuals.actuals, name="costs_actuals"),
    path("actuals/time/<int:log_id>/", views_actuals.time_edit, name="costs_time_edit"),
    path(
        "actuals/expenses/<int:expense_id>/",
        views_actuals.expense_edit,
        name="costs_expense_edit",
    ),
    path(
        "actuals/payments/<int:payment_id>/",
        views_actuals.payment_edit,
        name="costs_payment_edit",
    ),
    path("burden/", views_burden.burden, name="costs_burden"),
    path("burden/<str:attribute>.png", views_burden.burden_chart, name="costs_burden_chart"),
    path("team/", views_team.team, name="costs_team"),
    path("team/<int:member_id>/", views_team.member_edit, name="costs_member_edit"),
    path(
        "team/<int:member_id>/benefits-letter.docx",
        views_team.benefits_letter,
        name="costs_benefits_letter",
    ),
    path("import/", views.import_spreadsheet, name="costs_import"),
]

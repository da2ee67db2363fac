"""Costs and burden pages, under /projects/<pk>/costs/."""

from django.urls import path

from coprod.web.costs import views

urlpatterns = [
    path("", views.budget, name="budget"),
]

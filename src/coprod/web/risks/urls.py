"""Risk register pages, under /projects/<pk>/risks/."""

from django.urls import path

from coprod.web.risks import views

urlpatterns = [
    path("", views.risk_list, name="risk_list"),
]

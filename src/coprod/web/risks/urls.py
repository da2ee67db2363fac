"""Risk register pages, under /projects/<pk>/risks/."""

from django.urls import path

from coprod.web.risks import views

urlpatterns = [
    path("", views.risk_list, name="risk_list"),
    path("new/", views.risk_create, name="risk_create"),
    path("<int:risk_id>/", views.risk_detail, name="risk_detail"),
    path("<int:risk_id>/accept/", views.risk_accept, name="risk_accept"),
    path("<int:risk_id>/dismiss/", views.risk_dismiss, name="risk_dismiss"),
    path("heat-map.png", views.risk_heat_map, name="risk_heat_map"),
    path("register.xlsx", views.risk_register_download, name="risk_register_download"),
]

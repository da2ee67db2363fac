"""Pages under /projects/<pk>/privacy/: erasure of a roster person, requests to be erased."""

from django.urls import path

from coprod.web.privacy import views

urlpatterns = [
    path("", views.erasure_list, name="erasure_list"),
    path("requests/<int:request_id>/", views.erasure_carry_out, name="erasure_carry_out"),
    path("people/<int:stakeholder_id>/data.zip", views.stakeholder_data, name="stakeholder_data"),
    path("people/<int:stakeholder_id>/erase/", views.stakeholder_erase, name="stakeholder_erase"),
]

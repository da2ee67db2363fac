"""Pages under /my-data/: a person downloads everything held about them, or asks to be erased."""

from django.urls import path

from coprod.web.privacy import views_account

urlpatterns = [
    path("", views_account.my_data, name="my_data"),
    path("download.zip", views_account.my_data_download, name="my_data_download"),
    path("erase/", views_account.erasure_request, name="erasure_request"),
    path(
        "requests/<int:request_id>/withdraw/",
        views_account.erasure_withdraw,
        name="erasure_withdraw",
    ),
]

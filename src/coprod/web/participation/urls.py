"""Pages under /projects/<pk>/participation/: who is heard in meetings."""

from django.urls import path

from coprod.web.participation import views

urlpatterns = [
    path("", views.participation_overview, name="participation_overview"),
    path("trend.png", views.trend_chart, name="participation_trend_chart"),
    path("upload/", views.transcript_upload, name="transcript_upload"),
    path("names/", views.speaker_names, name="participation_speaker_names"),
    path("names/<int:name_id>/", views.speaker_name_edit, name="participation_speaker_name_edit"),
    path(
        "names/<int:name_id>/forget/",
        views.speaker_name_delete,
        name="participation_speaker_name_delete",
    ),
    path("meetings/<int:activity_id>/", views.meeting_balance, name="meeting_balance"),
    path(
        "meetings/<int:activity_id>/speakers/",
        views.speakers_confirm,
        name="speakers_confirm",
    ),
    path(
        "meetings/<int:activity_id>/<str:kind>.png",
        views.meeting_chart,
        name="participation_meeting_chart",
    ),
    path(
        "meetings/<int:activity_id>/remove/",
        views.meeting_delete,
        name="participation_meeting_delete",
    ),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "coprod.web.participation"
    label = "participation"
    verbose_name = _("Participation balance")

    def ready(self) -> None:
        from coprod.web.participation import (
            audit,
            signals,  # noqa: F401
        )
        from coprod.web.projects.audit import register

        register(
            tables=audit.TABLES,
            describe=audit.DESCRIBE,
            anonymity=getattr(audit, "ANONYMITY", None),
        )
        from coprod.web.participation import models
        from coprod.web.projects.signals import connect_parts

        connect_parts([models.MeetingBalance, models.SpeakerName])

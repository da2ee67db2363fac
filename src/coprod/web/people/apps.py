from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "coprod.web.people"
    label = "people"
    verbose_name = _("Stakeholders and activities")

    def ready(self) -> None:
        from coprod.web.people import models
        from coprod.web.projects.signals import connect_parts

        connect_parts([models.Activity, models.Attendance])

        from coprod.web.people import audit
        from coprod.web.projects.audit import register

        register(
            tables=audit.TABLES,
            describe=audit.DESCRIBE,
            anonymity=getattr(audit, "ANONYMITY", None),
        )

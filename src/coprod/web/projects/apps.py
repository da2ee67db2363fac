from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "coprod.web.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from coprod.web.projects import permissions, signals

        del permissions  # imported for its rules
        signals.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "coprod.web.participation"
    label = "participation"
    verbose_name = _("Participation balance")

    def ready(self) -> None:
        from coprod.web.participation import signals  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "coprod.web.risks"
    label = "risks"
    verbose_name = _("Risk register")

    def ready(self) -> None:
        from coprod.web.risks import permissions, signals

        del permissions  # imported for its rules
        signals.connect()

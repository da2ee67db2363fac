from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    name = "coprod.web.costs"
    label = "costs"
    verbose_name = _("Costs and burden")

    def ready(self) -> None:
        from coprod.web.costs import labels, permissions, signals

        del permissions  # imported for its rules
        labels.check_labels()
        signals.connect()

        from coprod.web.costs import audit
        from coprod.web.projects.audit import register

        register(
            tables=audit.TABLES,
            describe=audit.DESCRIBE,
            anonymity=getattr(audit, "ANONYMITY", None),
        )

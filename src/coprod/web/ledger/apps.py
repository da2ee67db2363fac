from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "coprod.web.ledger"
    label = "ledger"
    verbose_name = _("Contribution ledger")

    def ready(self) -> None:
        from coprod.web.ledger import models
        from coprod.web.projects.signals import connect_parts

        connect_parts([models.Contribution])

        from coprod.web.ledger import audit
        from coprod.web.projects.audit import register

        register(
            tables=audit.TABLES,
            describe=audit.DESCRIBE,
            anonymity=getattr(audit, "ANONYMITY", None),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "coprod.web.privacy"
    label = "privacy"
    verbose_name = _("A person's own data")

    def ready(self) -> None:
        from coprod.web.privacy import audit
        from coprod.web.projects.audit import register

        register(
            tables=audit.TABLES,
            describe=audit.DESCRIBE,
            anonymity=getattr(audit, "ANONYMITY", None),
        )

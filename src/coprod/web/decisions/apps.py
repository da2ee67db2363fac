from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "coprod.web.decisions"
    label = "decisions"
    verbose_name = _("Decisions and agreements")

    def ready(self) -> None:
        from coprod.web.decisions import models
        from coprod.web.projects.signals import connect_parts

        connect_parts(
            [
                models.Decision,
                models.DecisionContribution,
                models.DecisionParticipant,
                models.PublicationRight,
                models.TermsOfReference,
            ]
        )

        from coprod.web.decisions import audit
        from coprod.web.projects.audit import register

        register(
            tables=audit.TABLES,
            describe=audit.DESCRIBE,
            anonymity=getattr(audit, "ANONYMITY", None),
        )

"""People who sign in to Coprod."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    display_name = models.CharField(
        _("name to show"), max_length=150, blank=True, help_text=_("How others see you in Coprod.")
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from coprod.web.accounts.models import User


class SignUpForm(UserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("username", "display_name", "email")
        labels = {"username": _("Choose a user name"), "email": _("E-mail")}

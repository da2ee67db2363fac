"""Forms for asking to be erased and for confirming an erasure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.web.projects.models import Project

ALL = "all"


class ErasureRequestForm(forms.Form):
    """Which project to be erased from (or all of them and the account), and a confirmation."""

    scope = forms.ChoiceField(
        label=_("Erase me from"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a project, or all of Coprod.")},
    )
    confirm = forms.BooleanField(
        label=_("I have read what will be erased and what will stay, and I want this."),
        error_messages={"required": _("Tick the box to confirm that you want to be erased.")},
    )

    def __init__(self, *args: Any, projects: Sequence[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = {str(project.pk): project for project in projects}
        choices: list[tuple[str, Any]] = [
            (key, _("The project “%(title)s”") % {"title": project.title})
            for key, project in self.projects.items()
        ]
        choices.append((ALL, _("Every project, and my Coprod account")))
        self.fields["scope"].choices = choices
        if len(choices) == 1:
            self.fields["scope"].initial = ALL

    @property
    def project(self) -> Project | None:
        return self.projects.get(self.cleaned_data["scope"])

    @property
    def all_projects(self) -> bool:
        return bool(self.cleaned_data["scope"] == ALL)


class ConfirmErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

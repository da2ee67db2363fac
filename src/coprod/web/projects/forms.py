"""Forms for the project pages. Values that the core defines are checked against the core."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.ids import Standard
from coprod.core.problems import FileProblems, Problem
from coprod.formats.plan_file import LoadedPlan, parse_plan
from coprod.web.projects.models import Project

MAX_PLAN_BYTES = 1_000_000


class ProjectCreateForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    summary = forms.CharField(
        label=_("A few sentences on the project"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. You can change it later."),
    )


class PlanUploadForm(forms.Form):
    """A plan file. Its problems are listed with their line and column; nothing is saved."""

    plan_file = forms.FileField(
        label=_("Plan file (.yaml)"),
        help_text=_("A Coprod plan file, as written by `coprod new` or exported from Coprod."),
    )

    def __init__(self, *args: Any, catalogue: Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[Problem] = []
        self.loaded: LoadedPlan | None = None
        # A project's organisation may have rate cards of its own that its plans use.
        self.catalogue = catalogue or default_catalogue()

    def clean_plan_file(self) -> Any:
        upload = self.cleaned_data["plan_file"]
        if upload.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(_("This file is larger than 1 MB; a plan file is smaller."))
        data = upload.read()
        try:
            self.loaded = parse_plan(data, upload.name, self.catalogue)
        except FileProblems as error:
            self.problems = error.problems
            count = len(error.problems)
            raise forms.ValidationError(
                _("The file has %(count)s problem(s), listed below. Nothing was saved.")
                % {"count": count}
            ) from None
        return upload


class _Lines(forms.CharField):
    """A list of short texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class GovernanceForm(forms.ModelForm):  # type: ignore[type-arg]
    ground_rules = _Lines(
        label=_("Ground rules"), required=False, help_text=_("One rule per line.")
    )
    governance_standards = forms.MultipleChoiceField(
        label=_("UK Standards for Public Involvement this plan meets"),
        required=False,
        choices=[(s.value, s.value) for s in Standard],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "organisation_name",
            "current_stage",
            "start",
            "end",
            "brings",
            "when_needed",
            "costs_borne",
            "decisions",
            "decision_rule",
            "ground_rules",
            "accountability",
            "disagreements",
            "leaving",
            "governance_standards",
            "stakeholders_can_block",
            "review_window_days",
            "researchers_may_publish_unwelcome",
            "embargo_until",
            "identifiable_data",
            "partner_access_consented",
            "ethics_approval",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "embargo_until": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "brings": forms.Textarea(attrs={"rows": 3}),
            "when_needed": forms.Textarea(attrs={"rows": 3}),
            "costs_borne": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "accountability": forms.Textarea(attrs={"rows": 3}),
            "disagreements": forms.Textarea(attrs={"rows": 3}),
            "leaving": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = default_catalogue()
        self.fields["governance_standards"].choices = [
            (s.value, catalogue.standards[s].label) for s in Standard
        ]
        self.fields["current_stage"].choices = [("", _("Not set"))] + [
            (stage.id.value, stage.label) for stage in catalogue.stages.values()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

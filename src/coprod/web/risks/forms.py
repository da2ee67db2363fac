"""Forms for the risk register. Choices come from the core and the catalogue; every value is
checked by the core's Risk model, and its objections are shown next to the field they concern."""

from __future__ import annotations

from typing import Any

import pydantic
from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.plan import Risk
from coprod.core.risks import IMPACT_WORDS, LIKELIHOOD_WORDS, SCALE
from coprod.web.risks.models import STATUS_LABELS, STATUSES
from coprod.web.risks.plan_io import core_errors

DISMISS_REQUIRED = _("Say why your team dismisses this risk. The reason stays in the register.")

# The core's objections to a risk as a whole, in plain words and beside the field to fix.
CORE_MESSAGES: dict[str, tuple[str, Any]] = {
    "a dismissed risk needs a reason": ("reason", DISMISS_REQUIRED),
}


def _rating_choices(words: dict[int, str], blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *[(str(value), f"{value} – {words[value]}") for value in SCALE]]


def _rating_field(label: Any, words: dict[int, str], help_text: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_rating_choices(words, _("Not rated yet")),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": _("Choose a rating from the list, 1 to 5.")},
    )


def likelihood_field() -> forms.TypedChoiceField:
    return _rating_field(
        _("Likelihood"), LIKELIHOOD_WORDS, _("How likely is it to happen in this project?")
    )


def impact_field() -> forms.TypedChoiceField:
    return _rating_field(_("Impact"), IMPACT_WORDS, _("How much harm would it do if it happened?"))


def _check_with_core(form: forms.Form, values: dict[str, Any]) -> None:
    """Put the core's objections to these values on the form, each next to its field."""
    try:
        Risk.model_validate(values)
    except pydantic.ValidationError as error:
        for name, messages in core_errors(error).items():
            for message in messages:
                field, words = CORE_MESSAGES.get(message, (name, message))
                form.add_error(field if field in form.fields else None, words)


class AcceptForm(forms.Form):
    """Take a proposed risk into the register, rated now or later."""

    likelihood = likelihood_field()
    impact = impact_field()


class DismissForm(forms.Form):
    """Dismiss a risk, with the team's reason."""

    reason = forms.CharField(
        label=_("Why does this risk not apply?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed. Others will read it, so say it plainly."),
        error_messages={"required": DISMISS_REQUIRED},
    )


def stage_choices(catalogue: Catalogue) -> list[tuple[str, Any]]:
    return [
        ("", _("Whole project")),
        *[(entry.id.value, entry.label) for entry in catalogue.stages.values()],
    ]


class RiskForm(forms.Form):
    """A risk of the team's own, or the full details of any risk in the register."""

    challenge = forms.CharField(
        label=_("The risk"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What could go wrong, in a sentence or two."),
        error_messages={"required": _("Describe the risk.")},
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        help_text=_("The stage of the research where it could happen, or the whole project."),
    )
    cost_types = forms.MultipleChoiceField(
        label=_("Cost types"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_("The paper's six kinds of cost. Tick every one that applies."),
    )
    bears = forms.MultipleChoiceField(
        label=_("Who bears it"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    bears_who = forms.CharField(
        label=_("Which person or group bears it"),
        required=False,
        max_length=300,
        help_text=_("For example, “the research assistant”, or “carers on the advisory group”."),
    )
    likelihood = likelihood_field()
    impact = impact_field()
    mitigation = forms.CharField(
        label=_("Mitigation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What your team will do to make it less likely or less harmful."),
    )
    owner = forms.CharField(
        label=_("Owner"),
        required=False,
        max_length=200,
        help_text=_("The person who keeps an eye on this risk."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        error_messages={
            "required": _("Choose a status."),
            "invalid_choice": _("Choose one of the statuses listed."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you dismiss a risk; worth giving when you accept one as it is."),
    )
    review = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day to look at this risk again. It shows on the overview when due."),
        error_messages={"invalid": _("Give a date, such as 2026-03-31.")},
    )

    def __init__(
        self,
        *args: Any,
        catalogue: Catalogue | None = None,
        allow_proposed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        catalogue = catalogue or default_catalogue()
        self.fields["stage"].choices = stage_choices(catalogue)
        self.fields["cost_types"].choices = [
            (entry.id.value, entry.label) for entry in catalogue.cost_types.values()
        ]
        self.fields["bears"].choices = [
            (entry.id.value, entry.label) for entry in catalogue.bearers.values()
        ]
        self.fields["status"].choices = [
            (status, STATUS_LABELS[status])
            for status in STATUSES
            if allow_proposed or status != "proposed"
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            _check_with_core(self, self.core_values(data))
        return data

    @staticmethod
    def core_values(data: dict[str, Any]) -> dict[str, Any]:
        """The form's values as the core's Risk fields."""
        return {
            "stage": data.get("stage") or None,
            "challenge": (data.get("challenge") or "").strip(),
            "cost_types": list(data.get("cost_types") or []),
            "bears": list(data.get("bears") or []),
            "bears_who": (data.get("bears_who") or "").strip() or None,
            "likelihood": data.get("likelihood"),
            "impact": data.get("impact"),
            "mitigation": (data.get("mitigation") or "").strip() or None,
            "owner": (data.get("owner") or "").strip() or None,
            "status": data.get("status"),
            "reason": (data.get("reason") or "").strip() or None,
            "review": data.get("review"),
        }

    def values(self) -> dict[str, Any]:
        """The cleaned values as the model's fields, for the services."""
        data = self.cleaned_data
        return {
            "stage": data["stage"] or "",
            "challenge": data["challenge"].strip(),
            "cost_types": list(data["cost_types"]),
            "bears": list(data["bears"]),
            "bears_who": data["bears_who"].strip(),
            "likelihood": data["likelihood"],
            "impact": data["impact"],
            "mitigation": data["mitigation"].strip(),
            "owner": data["owner"].strip(),
            "status": data["status"],
            "reason": data["reason"].strip(),
            "review": data["review"],
        }


def risk_initial(row: Any) -> dict[str, Any]:
    return {
        "challenge": row.challenge,
        "stage": row.stage,
        "cost_types": row.cost_types,
        "bears": row.bears,
        "bears_who": row.bears_who,
        "likelihood": row.likelihood,
        "impact": row.impact,
        "mitigation": row.mitigation,
        "owner": row.owner,
        "status": row.status,
        "reason": row.reason,
        "review": row.review,
    }

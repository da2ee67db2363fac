"""Forms for the decision aid. They check values against the core's vocabularies; no rule here.

Labels of the core's vocabularies (motivations, groups, stages, levels, methods) come from the
catalogue; the words of the forms themselves are marked for translation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.ids import Answer, Criterion, Motivation, Stage

# Plain words for each answer on Table 2's scale. "less" and "more" name the two descriptions
# (poles) shown beside each question.
ANSWER_LABELS: dict[str, Any] = {
    Answer.LESS.value: _("Fits the “less” description"),
    Answer.LEAN_LESS.value: _("Closer to “less”"),
    Answer.NEUTRAL.value: _("In between"),
    Answer.LEAN_MORE.value: _("Closer to “more”"),
    Answer.MORE.value: _("Fits the “more” description"),
    Answer.UNKNOWN.value: _("We don't know yet"),
}

# Which way a criterion pulled the result (coprod.core.emphasis.Pull.direction).
PULL_LABELS: dict[str, Any] = {
    "more": _("towards more coproduction"),
    "less": _("towards less coproduction"),
    "none": _("neither way"),
    "unknown": _("not answered"),
}

COST_LABELS: dict[str, Any] = {
    "low": _("low cost"),
    "medium": _("medium cost"),
    "high": _("high cost"),
}

PER_LABELS: dict[str, Any] = {
    "session": _("each session"),
    "month": _("each month"),
    "project": _("over the whole project"),
}

MAX_WEIGHT = Decimal(10)
NOT_PLANNED = ""


def is_blank(form: forms.Form, *, ignore: tuple[str, ...] = ()) -> bool:
    """Nothing typed or chosen in the form: 'Save and continue' then just moves on."""
    if not form.is_bound:
        return True
    return not any(
        value.strip()
        for name in form.fields
        if name not in ignore
        for value in form.data.getlist(form.add_prefix(name))
    )


def motivation_choices(catalogue: Catalogue) -> list[tuple[str, str]]:
    return [(entry.id.value, entry.label) for entry in catalogue.motivations.values()]


def group_choices(catalogue: Catalogue) -> list[tuple[str, str]]:
    return [(entry.id.value, entry.label) for entry in catalogue.groups.values()]


def stage_choices(catalogue: Catalogue) -> list[tuple[str, str]]:
    return [(entry.id.value, entry.label) for entry in catalogue.stages.values()]


def _hours(low: float, high: float) -> str:
    def number(value: float) -> str:
        return f"{value:g}"

    return number(low) if low == high else f"{number(low)}–{number(high)}"


def method_label(catalogue: Catalogue, method_id: str) -> str:
    """'Advisory group (medium cost; 2–4 hours a person, each session)'."""
    method = catalogue.methods.get(method_id)
    if method is None:
        return method_id
    time = method.time_per_person
    return str(
        _("%(label)s (%(cost)s; %(hours)s hours a person, %(per)s)")
        % {
            "label": method.label,
            "cost": COST_LABELS[method.relative_cost.value],
            "hours": _hours(time.hours_min, time.hours_max),
            "per": PER_LABELS[time.per],
        }
    )


class AimForm(forms.Form):
    """Step 1: an aim, the outcome it must bring, and for whom."""

    motivation = forms.ChoiceField(
        label=_("Why involve people"),
        help_text=_("The kind of aim. The four kinds are explained above."),
        error_messages={
            "required": _("Choose why you want to involve people."),
            "invalid_choice": _("Choose one of the four reasons listed."),
        },
    )
    outcome = forms.CharField(
        label=_("What must change if this aim is met"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say it so that you could check later whether it happened."),
        error_messages={"required": _("Say what must change if this aim is met.")},
    )
    for_whom = forms.MultipleChoiceField(
        label=_("For whom"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )

    def __init__(self, *args: Any, catalogue: Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = catalogue or default_catalogue()
        choices = motivation_choices(catalogue)
        if not self.initial.get("motivation"):
            choices = [("", _("Choose one")), *choices]
        self.fields["motivation"].choices = choices
        self.fields["for_whom"].choices = group_choices(catalogue)


class CriteriaForm(forms.Form):
    """Step 1, the context: the nine criteria of Table 2, each with an optional weight."""

    def __init__(self, *args: Any, catalogue: Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = catalogue or default_catalogue()
        for criterion in Criterion:
            entry = catalogue.criteria[criterion]
            name = criterion.value
            self.fields[name] = forms.ChoiceField(
                label=entry.question,
                choices=list(ANSWER_LABELS.items()),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _(
                        "Choose an answer. If you are not sure, choose “We don't know yet”."
                    ),
                    "invalid_choice": _("Choose one of the answers listed."),
                },
            )
            self.fields[f"{name}_weight"] = forms.DecimalField(
                label=_("Weight for “%(question)s” (optional)") % {"question": entry.label},
                required=False,
                max_digits=5,
                decimal_places=2,
                max_value=MAX_WEIGHT,
                help_text=_(
                    "Leave empty to count this question the same as the others (weight 1). "
                    "A weight of 2 counts it double. Use a number above 0, up to 10."
                ),
                widget=forms.NumberInput(
                    attrs={"step": "any", "max": "10", "inputmode": "decimal"}
                ),
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Why this weight for “%(question)s”") % {"question": entry.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Needed when you give a weight."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for criterion in Criterion:
            name = criterion.value
            weight = data.get(f"{name}_weight")
            reason = (data.get(f"{name}_reason") or "").strip()
            if weight is not None and weight <= 0:
                self.add_error(f"{name}_weight", _("The weight must be more than 0."))
            elif weight is not None and not reason:
                self.add_error(
                    f"{name}_reason", _("Say why you give this question a different weight.")
                )
            elif weight is None and reason and f"{name}_weight" not in self.errors:
                self.add_error(
                    f"{name}_weight", _("Give a weight for this reason, or clear the reason.")
                )
        return data

    def answers(self) -> dict[str, str]:
        return {c.value: self.cleaned_data[c.value] for c in Criterion}

    def weights(self) -> dict[str, tuple[Decimal, str] | None]:
        result: dict[str, tuple[Decimal, str] | None] = {}
        for criterion in Criterion:
            weight = self.cleaned_data.get(f"{criterion.value}_weight")
            reason = (self.cleaned_data.get(f"{criterion.value}_reason") or "").strip()
            result[criterion.value] = (weight, reason) if weight is not None else None
        return result


YES_NO = [("yes", _("Yes, we chose it")), ("no", _("No, we did not"))]


class AlternativeForm(forms.Form):
    """Step 2: another approach the team considered for an aim, and what it decided.

    A new choice names its aim and may start from an approach in Coprod's list; an existing
    choice keeps both, and only its wording, the decision and the reason change.
    """

    motivation = forms.ChoiceField(
        label=_("For which aim"),
        error_messages={
            "required": _("Choose the aim this choice is for."),
            "invalid_choice": _("Choose one of your aims."),
        },
    )
    catalogue_id = forms.ChoiceField(
        label=_("Approach from Coprod's list"),
        required=False,
        help_text=_("Pick one of the approaches listed above, or leave this and type your own."),
    )
    approach = forms.CharField(
        label=_("The approach, in your words"),
        max_length=300,
        required=False,
        help_text=_("Needed when you do not pick one from the list."),
    )
    chosen = forms.ChoiceField(
        label=_("Did you choose this approach"),
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
        error_messages={"required": _("Say whether you chose it.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        motivations: list[Motivation] | None = None,
        catalogue: Catalogue | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue or default_catalogue()
        if motivations is None:
            # Editing a recorded choice: its aim and catalogue entry stay as they are.
            del self.fields["motivation"]
            del self.fields["catalogue_id"]
            self.fields["approach"].required = True
            self.fields["approach"].help_text = ""
            return
        entries = [self.catalogue.motivations[m] for m in motivations]
        self.fields["motivation"].choices = [
            *([("", _("Choose one"))] if len(entries) != 1 else []),
            *[(entry.id.value, entry.label) for entry in entries],
        ]
        self.fields["catalogue_id"].choices = [
            ("", _("None: we type our own")),
            *[
                (
                    entry.label,
                    [(alt.id, alt.label) for alt in self.catalogue.alternatives_for(entry.id)],
                )
                for entry in entries
            ],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "catalogue_id" not in self.fields:
            return data
        catalogue_id = data.get("catalogue_id") or ""
        motivation = data.get("motivation")
        if catalogue_id and motivation:
            serves = self.catalogue.alternatives[catalogue_id].motivations
            if Motivation(motivation) not in serves:
                self.add_error(
                    "catalogue_id",
                    _("This approach is not listed for that aim. Pick another, or type your own."),
                )
        approach = (data.get("approach") or "").strip()
        if not approach and "approach" not in self.errors:
            if catalogue_id:
                data["approach"] = self.catalogue.alternatives[catalogue_id].label
            else:
                self.add_error(
                    "approach", _("Pick an approach from the list, or type your own here.")
                )
        return data

    def values(self) -> dict[str, Any]:
        """The fields as the service takes them."""
        values = {
            "approach": self.cleaned_data["approach"].strip(),
            "chosen": self.cleaned_data["chosen"] == "yes",
            "reason": (self.cleaned_data.get("reason") or "").strip(),
        }
        if "catalogue_id" in self.fields:
            values["motivation"] = self.cleaned_data["motivation"]
            values["catalogue_id"] = self.cleaned_data.get("catalogue_id") or ""
        return values


class StageForm(forms.Form):
    """Step 3: who is involved at one stage, at which level, how, and with which methods."""

    level = forms.ChoiceField(
        label=_("Level of involvement"),
        required=False,
        help_text=_("Choose “Not planned” to remove this stage from the plan."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Who is involved"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    strategy = forms.CharField(
        label=_("How you will involve them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("If your level differs from Coprod's suggestion, say why here."),
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        stage: Stage,
        catalogue: Catalogue | None = None,
        current_methods: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, prefix=stage.value, **kwargs)
        catalogue = catalogue or default_catalogue()
        self.stage = stage
        self.context_label = catalogue.stages[stage].label
        self.fields["level"].choices = [
            (NOT_PLANNED, _("Not planned")),
            *[(entry.id.value, entry.label) for entry in catalogue.levels.values()],
        ]
        self.fields["groups"].choices = group_choices(catalogue)
        fitting = [m.id for m in catalogue.methods_matching(stage=stage)]
        extra = [m for m in (current_methods or []) if m not in fitting]
        self.fields["methods"].choices = [
            (method_id, method_label(catalogue, method_id)) for method_id in [*fitting, *extra]
        ]

    def plan(self) -> dict[str, Any] | None:
        """The stage's plan as the service takes it; ``None`` when the stage is not planned."""
        level = self.cleaned_data.get("level") or NOT_PLANNED
        if level == NOT_PLANNED:
            return None
        return {
            "level": level,
            "groups": list(self.cleaned_data.get("groups") or []),
            "strategy": (self.cleaned_data.get("strategy") or "").strip(),
            "methods": list(self.cleaned_data.get("methods") or []),
        }


class AssessmentRecordForm(forms.Form):
    """Keep today's assessment at a stage gate."""

    stage = forms.ChoiceField(
        label=_("Stage gate"),
        required=False,
        help_text=_("The stage the project is about to start, or has just finished."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. What changed since the last assessment, and who took part."),
    )

    def __init__(self, *args: Any, catalogue: Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = catalogue or default_catalogue()
        self.fields["stage"].choices = [("", _("Not at a stage gate")), *stage_choices(catalogue)]

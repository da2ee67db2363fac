"""Forms of the ledger. They read and check what a person typed; the services check the rest.

Labels are plain words; every field has one, and help says what to write where it is not obvious.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.web.ledger.labels import group_choices, group_label, stage_choices
from coprod.web.ledger.models import DISPOSITION_CHOICES, Contribution, ContributionKind
from coprod.web.people.models import Activity
from coprod.web.projects.models import Stakeholder

ANONYMOUS = "anonymous"


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _activity_choices(activities: Sequence[Activity]) -> list[tuple[str, str]]:
    return [("", _("Not at a particular activity"))] + [
        (str(a.pk), f"{a.title} ({a.date:%d %b %Y})") for a in activities
    ]


class _ActivityMixin:
    activities: dict[str, Activity]
    cleaned_data: dict[str, Any]

    def clean_activity(self) -> Activity | None:
        value = self.cleaned_data.get("activity")
        return self.activities.get(str(value)) if value else None


class ContributionForm(_ActivityMixin, forms.Form):
    """The team records a contribution: from a person, a whole group, or anonymous."""

    who = forms.ChoiceField(
        label=_("Who said it"),
        help_text=_("A person on the project's list, a whole group's view, or nobody named."),
    )
    made_on = forms.DateField(label=_("When"), widget=_date_widget())
    activity = forms.ChoiceField(label=_("At which activity"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage of the research"),
        required=False,
        help_text=_("Leave empty to take the stage of the activity."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    text = forms.CharField(
        label=_("What was said"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("In the contributor's words where you can."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        people: Sequence[Stakeholder],
        activities: Sequence[Activity],
        keep_anonymous: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.people = {f"person:{p.pk}": p for p in people}
        self.activities = {str(a.pk): a for a in activities}
        anonymous = [(ANONYMOUS, str(_("Anonymous: nobody is named")))]
        groups = [
            (f"group:{value}", str(_("%(group)s, as a group") % {"group": label}))
            for value, label in group_choices()
        ]
        named = [(key, f"{p.name} ({group_label(p.group)})") for key, p in self.people.items()]
        if keep_anonymous:
            # Once anonymous, always anonymous: no other choice is offered.
            self.fields["who"].choices = anonymous
        else:
            self.fields["who"].choices = [
                ("", _("Choose…")),
                (_("People"), named),
                (_("A whole group"), groups),
                (_("Nobody named"), anonymous),
            ]
        self.fields["activity"].choices = _activity_choices(activities)
        self.fields["stage"].choices = [("", _("The activity's stage, or none")), *stage_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        who = cleaned.get("who") or ""
        cleaned["stakeholder"] = self.people.get(who)
        cleaned["anonymous"] = who == ANONYMOUS
        cleaned["group"] = who.removeprefix("group:") if who.startswith("group:") else ""
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "text",
                "kind",
                "made_on",
                "stakeholder",
                "group",
                "anonymous",
                "activity",
                "stage",
            )
        }

    @staticmethod
    def initial_for(contribution: Contribution) -> dict[str, Any]:
        if contribution.anonymous:
            who = ANONYMOUS
        elif contribution.stakeholder_id:
            who = f"person:{contribution.stakeholder_id}"
        else:
            who = f"group:{contribution.group}"
        return {
            "who": who,
            "made_on": contribution.made_on,
            "activity": str(contribution.activity_id or ""),
            "stage": contribution.stage,
            "kind": contribution.kind,
            "text": contribution.text,
        }


class SubmitForm(_ActivityMixin, forms.Form):
    """A partner's own contribution: a plain, short form."""

    text = forms.CharField(
        label=_("What would you like to say?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_(
            "An idea, a question, a worry, something you know: anything about the project."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Is it mostly…"),
        choices=ContributionKind.choices,
        initial=ContributionKind.IDEA,
        widget=forms.RadioSelect,
    )
    activity = forms.ChoiceField(
        label=_("Did it come up at a meeting or event?"),
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Do not show my name with it"),
        required=False,
        help_text=_(
            "Nobody but you will see that it came from you: not the team, not the record of "
            "changes, not the reports."
        ),
    )
    leave_out_group = forms.BooleanField(
        label=_("Leave out my group too"),
        required=False,
        help_text=_(
            "Only when you choose not to show your name. Your group helps the team check that "
            "every group is listened to, but if few people are in your group, others may guess "
            "who wrote it."
        ),
    )

    def __init__(self, data: Any = None, *, activities: Sequence[Activity], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["activity"].choices = [
            ("", _("No, or I am not sure")),
            *_activity_choices(activities)[1:],
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("leave_out_group") and not cleaned.get("anonymous"):
            self.add_error(
                "leave_out_group",
                _("Tick “Do not show my name with it” as well, or untick this box."),
            )
        return cleaned


class TextForm(forms.Form):
    """A partner rewords their own contribution while it is still being considered."""

    text = forms.CharField(
        label=_("What you said"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("What became of it"), choices=DISPOSITION_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Needed for every answer but “still being considered”. The contributor reads it."
        ),
    )
    changed = forms.CharField(
        label=_("The decision or output it changed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("For example: “Interview guide, version 3: question 4 added”."),
    )
    disposed_on = forms.DateField(label=_("Decided on"), widget=_date_widget(), required=False)
    told_on = forms.DateField(
        label=_("Contributor told on"),
        widget=_date_widget(),
        required=False,
        help_text=_("Leave empty until they have been told what became of it."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decided = cleaned.get("disposition") not in (None, "", "pending")
        if decided and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason, so the contributor knows why."))
        if decided and cleaned.get("disposed_on") is None and "disposed_on" not in self.errors:
            self.add_error("disposed_on", _("Give the date it was decided."))
        return cleaned


class ToldForm(forms.Form):
    """Mark one or many contributors as told."""

    told = forms.MultipleChoiceField(label=_("Contributions"), widget=forms.CheckboxSelectMultiple)
    told_on = forms.DateField(label=_("Told on"), widget=_date_widget())

    def __init__(self, data: Any = None, *, ids: Sequence[int], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["told"].choices = [(str(pk), str(pk)) for pk in ids]
        self.fields["told"].error_messages["required"] = _("Tick at least one contribution.")


class SettingsForm(forms.Form):
    feedback_days = forms.IntegerField(
        label=_("Days within which contributors should hear back"),
        min_value=1,
        max_value=365,
        help_text=_("A contribution nobody has been told about after this many days is flagged."),
    )


class FilterForm(forms.Form):
    disposition = forms.ChoiceField(label=_("What became of it"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    overdue = forms.BooleanField(label=_("Only those whose feedback is overdue"), required=False)
    # Set by the link on an activity's page; kept while other filters change.
    # At most the largest id a database holds: a longer number would fail in the query.
    activity = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        every = ("", _("Any"))
        self.fields["disposition"].choices = [every, *DISPOSITION_CHOICES]
        self.fields["group"].choices = [every, *group_choices()]
        self.fields["kind"].choices = [every, *ContributionKind.choices]

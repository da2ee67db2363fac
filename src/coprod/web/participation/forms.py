"""Forms: uploading a meeting's transcripts, and saying who each name in them is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.web.participation.labels import FORMAT_LABELS, group_choices, group_label
from coprod.web.participation.services import MAX_FILE_BYTES, MAX_FILES
from coprod.web.people.models import Activity
from coprod.web.projects.models import Project, Stakeholder

NOT_ON_ROSTER = "none"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ActivityChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.date:%d %b %Y})"


class UploadForm(forms.Form):
    activity = ActivityChoice(
        queryset=Activity.objects.none(),
        label=_("Meeting"),
        empty_label=_("Choose the meeting"),
        help_text=_("The activity these transcripts record."),
    )
    files = MultipleFileField(
        label=_("Transcript files"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Work it out from the file")), *FORMAT_LABELS.items()],
        help_text=_("Leave this as it is unless Coprod reads the file in the wrong way."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Activity.objects.filter(project=project).order_by("-date", "-id")
        self.fields["files"].help_text = _(
            "One file, or several parts of the same meeting in the order they were recorded. "
            "Each file may be up to %(size)s MB; up to %(count)s files."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024), "count": MAX_FILES}
        self.fields["files"].widget.attrs["accept"] = ".vtt,.txt,.csv,.json,.docx"


def person_choices(people: Sequence[Stakeholder]) -> list[Any]:
    """The roster by group, then "not on the roster"."""
    by_group: dict[str, list[tuple[str, str]]] = {}
    for person in people:
        by_group.setdefault(person.group, []).append((str(person.pk), person.name))
    return [
        ("", _("Choose who this is")),
        *[(group_label(group), choices) for group, choices in by_group.items()],
        (NOT_ON_ROSTER, _("Not on the roster (a facilitator or a guest, say)")),
    ]


def _group_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Their group, if they are not on the roster"),
        required=False,
        choices=[("", _("Not known")), *group_choices()],
    )


class ConfirmForm(forms.Form):
    """One pair of fields per transcript name: who it is, and a group for someone not on the
    roster. ``names`` are (transcript name, initial person id or "none", initial group)."""

    def __init__(
        self,
        *args: Any,
        names: Sequence[tuple[str, str, str]],
        people: Sequence[Stakeholder],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.names = list(names)
        self.people = {str(p.pk): p for p in people}
        choices = person_choices(people)
        for index, (name, person, group) in enumerate(self.names):
            self.fields[f"person_{index}"] = forms.ChoiceField(
                label=_("Who is “%(name)s”?") % {"name": name},
                choices=choices,
                initial=person,
            )
            field = _group_field()
            field.label = _("Group of “%(name)s”, if not on the roster") % {"name": name}
            field.initial = group
            self.fields[f"group_{index}"] = field

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (name, self[f"person_{index}"], self[f"group_{index}"])
            for index, (name, _p, _g) in enumerate(self.names)
        ]

    def answers(self) -> list[tuple[str, Stakeholder | None, str]]:
        result = []
        for index, (name, _p, _g) in enumerate(self.names):
            chosen = self.cleaned_data[f"person_{index}"]
            person = self.people.get(chosen)
            result.append((name, person, "" if person else self.cleaned_data[f"group_{index}"]))
        return result


class SpeakerNameForm(forms.Form):
    person = forms.ChoiceField(label=_("Who this is"))
    group = _group_field()

    def __init__(self, *args: Any, people: Sequence[Stakeholder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = person_choices(people)

    def answer(self) -> tuple[Stakeholder | None, str]:
        person = self.people.get(self.cleaned_data["person"])
        return person, "" if person else self.cleaned_data["group"]

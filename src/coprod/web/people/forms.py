"""Forms for the roster, its import, and activities with their attendance.

The rules on consent are the services' (:mod:`coprod.web.people.services`); the forms say them
next to the field, before anything is saved: contact details only with consent to be contacted,
gender and ethnicity only with consent to record them, and either erased when consent is
withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.core.catalogue import default_catalogue
from coprod.formats import tables
from coprod.formats.roster_import import ROSTER_FIELDS
from coprod.web.costs.models import TeamMember
from coprod.web.people.models import Activity, ActivityKind
from coprod.web.people.services import NEW_TEAM_MEMBER, STAKEHOLDER_FIELDS
from coprod.web.projects.models import Stakeholder

NOT_IN_FILE = ""


def group_choices() -> list[tuple[str, str]]:
    return [(str(group_id), entry.label) for group_id, entry in default_catalogue().groups.items()]


def stage_choices() -> list[tuple[str, str]]:
    return [(str(stage_id), entry.label) for stage_id, entry in default_catalogue().stages.items()]


def method_choices() -> list[tuple[str, str]]:
    methods = sorted(default_catalogue().methods.values(), key=lambda method: method.label)
    return [(NOT_IN_FILE, _("Not chosen")), *((method.id, method.label) for method in methods)]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class _Lines(forms.CharField):
    """A list of short texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


# --- A person on the roster -----------------------------------------------------------------------


class StakeholderForm(forms.Form):
    """A person on the roster, in four parts (see :meth:`fieldsets`)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.ChoiceField(label=_("Stakeholder group"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.CharField(
        label=_("Role in the project"),
        max_length=200,
        required=False,
        help_text=_("For example: lay member of the steering group, co-applicant, adviser."),
    )
    brings = forms.CharField(
        label=_("What they bring"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Their experience, skills, contacts or authority: what they bring to the table."
        ),
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages they take part in"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    joined = forms.DateField(label=_("Joined on"), required=False, widget=_date_widget())
    contact_consent = forms.BooleanField(
        label=_("They agreed to be contacted about the project"),
        required=False,
        help_text=_(
            "Their e-mail and telephone are kept only while they agree. Untick this if they "
            "change their mind: their contact details are then erased."
        ),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    access_needs = forms.CharField(
        label=_("Access needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What helps them take part: step-free access, large print, a carer, breaks, an "
            "interpreter. Only the lead and researchers see this."
        ),
    )
    aliases = _Lines(
        label=_("Other names they go by"),
        required=False,
        help_text=_(
            "One per line: names used for them in meeting notes and transcripts, for example "
            "'Dr Okafor'."
        ),
    )
    user = forms.ChoiceField(
        label=_("Their Coprod account"),
        required=False,
        help_text=_("Link an account so that they can see their own place in the project."),
    )
    team_member = forms.ChoiceField(
        label=_("Their time in the costs"),
        required=False,
        help_text=_(
            "Link them to a person of the costs team so that the activities they attend are "
            "logged as their time."
        ),
    )
    demographics_consent = forms.BooleanField(
        label=_("They agreed to record their gender and ethnicity"),
        required=False,
        help_text=_("Untick this if they change their mind: their answers are then erased."),
    )
    gender = forms.CharField(label=_("Gender, in their own words"), max_length=100, required=False)
    ethnicity = forms.CharField(
        label=_("Ethnicity, in their own words"), max_length=100, required=False
    )

    FIELDSETS = (
        (_("About them"), ("name", "group", "organisation", "role", "brings", "stages", "joined")),
        (_("Contact"), ("contact_consent", "email", "phone")),
        (_("Taking part"), ("access_needs", "aliases", "user", "team_member")),
        (_("Gender and ethnicity"), ("demographics_consent", "gender", "ethnicity")),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        accounts: Sequence[tuple[int, str]] = (),
        taken_accounts: dict[int, str] | None = None,
        members: Sequence[TeamMember] = (),
        instance: Stakeholder | None = None,
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        current = getattr(instance, "team_member", None) if instance is not None else None
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name) for name in STAKEHOLDER_FIELDS if name != "user_id"
            }
            kwargs["initial"]["user"] = instance.user_id or ""
            kwargs["initial"]["team_member"] = current.pk if current is not None else ""
        super().__init__(data, **kwargs)
        self.taken_accounts = taken_accounts or {}
        self.fields["group"].choices = group_choices()
        self.fields["stages"].choices = stage_choices()
        self.fields["user"].choices = [("", _("No account")), *((str(pk), n) for pk, n in accounts)]
        free = [m for m in members if m.stakeholder_id in (None, getattr(instance, "pk", None))]
        self.members = {str(member.pk): member for member in free}
        self.fields["team_member"].choices = [
            ("", _("Not linked")),
            (NEW_TEAM_MEMBER, _("Add them to the costs team")),
            *((str(member.pk), member.name) for member in free),
        ]
        self.withdrawn: list[str] = []

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_user(self) -> int | None:
        value = self.cleaned_data.get("user")
        if not value:
            return None
        user_id = int(value)
        other = self.taken_accounts.get(user_id)
        if other is not None:
            raise forms.ValidationError(
                _("This account is already linked to %(name)s on the roster.") % {"name": other}
            )
        return user_id

    def clean_team_member(self) -> TeamMember | str | None:
        value = self.cleaned_data.get("team_member")
        if not value:
            return None
        if value == NEW_TEAM_MEMBER:
            return NEW_TEAM_MEMBER
        return self.members[value]

    def _consent(self, cleaned: dict[str, Any], consent: str, guarded: Sequence[str]) -> None:
        if cleaned.get(consent):
            return
        had = self.instance is not None and getattr(self.instance, consent)
        if had:
            # Consent withdrawn: whatever the fields hold is erased.
            if any(getattr(self.instance, name) for name in guarded):
                self.withdrawn.append(consent)
            for name in guarded:
                cleaned[name] = ""
            return
        message = _("Only record this if they agreed: tick the box above first, or leave it empty.")
        for name in guarded:
            if (cleaned.get(name) or "").strip():
                self.add_error(name, message)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._consent(cleaned, "contact_consent", ("email", "phone"))
        self._consent(cleaned, "demographics_consent", ("gender", "ethnicity"))
        return cleaned

    def values(self) -> dict[str, Any]:
        """The person's fields for the services (the costs link apart)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "group": data["group"],
            "organisation": data.get("organisation") or "",
            "role": data.get("role") or "",
            "brings": data.get("brings") or "",
            "stages": list(data.get("stages") or []),
            "joined": data.get("joined"),
            "contact_consent": bool(data.get("contact_consent")),
            "email": data.get("email") or "",
            "phone": data.get("phone") or "",
            "access_needs": data.get("access_needs") or "",
            "aliases": data.get("aliases") or [],
            "user_id": data.get("user"),
            "demographics_consent": bool(data.get("demographics_consent")),
            "gender": data.get("gender") or "",
            "ethnicity": data.get("ethnicity") or "",
        }


class GroupFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Show the group"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Everyone")), *group_choices()]


# --- Importing a roster ---------------------------------------------------------------------------

ACCEPTED = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")


class RosterUploadForm(forms.Form):
    spreadsheet = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "A CSV file, or an Excel (.xlsx, .xls) or LibreOffice (.ods) workbook, of at most "
            "5 MB. The first rows should name the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def clean_spreadsheet(self) -> Any:
        upload = self.cleaned_data["spreadsheet"]
        if upload.size > tables.MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "This file is %(size).1f MB; Coprod reads at most 5 MB. Split it into "
                    "smaller files."
                )
                % {"size": upload.size / 1_000_000}
            )
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(
                _("Coprod reads .csv, .xlsx, .xls and .ods files. Save the roster as one of these.")
            )
        return upload


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Which sheet holds the roster?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, sheets: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]


class MappingForm(forms.Form):
    """For each roster field, the column that holds it (or none); a group for rows without one."""

    default_group = forms.ChoiceField(
        label=_("Group for people whose row gives none"),
        required=False,
        help_text=_("Leave this empty to have every row without a group listed as a problem."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        headers: Sequence[str],
        letters: Sequence[str],
        samples: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["default_group"].choices = [
            ("", _("None: list them as problems")),
            *group_choices(),
        ]
        columns = [
            (
                str(index),
                _("Column %(letter)s: %(header)s") % {"letter": letter, "header": header or "—"},
            )
            for index, (letter, header) in enumerate(zip(letters, headers, strict=True))
        ]
        self.field_ids = [field.id for field in ROSTER_FIELDS]
        for field in ROSTER_FIELDS:
            self.fields[f"column_{field.id}"] = forms.ChoiceField(
                label=field.label,
                required=False,
                help_text=field.help,
                choices=[(NOT_IN_FILE, _("Not in the file")), *columns],
            )
        self.samples = samples

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: dict[str, str] = {}
        for field in ROSTER_FIELDS:
            value = cleaned.get(f"column_{field.id}")
            if not value:
                continue
            if value in chosen:
                self.add_error(
                    f"column_{field.id}",
                    _("This column is already chosen for “%(other)s”. Choose each column once.")
                    % {"other": chosen[value]},
                )
            else:
                chosen[value] = field.label
        if not any(cleaned.get(f"column_{name}") for name in ("name", "given_name", "family_name")):
            self.add_error("column_name", _("Choose the column that holds each person's name."))
        return cleaned

    def mapping(self) -> dict[str, int | None]:
        return {
            field.id: (
                int(self.cleaned_data[f"column_{field.id}"])
                if self.cleaned_data.get(f"column_{field.id}")
                else None
            )
            for field in ROSTER_FIELDS
        }

    @staticmethod
    def initial_for(mapping: dict[str, int | None], default_group: str = "") -> dict[str, str]:
        initial = {
            f"column_{field_id}": "" if index is None else str(index)
            for field_id, index in mapping.items()
        }
        initial["default_group"] = default_group
        return initial


# --- Activities -----------------------------------------------------------------------------------


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=_date_widget())
    stage = forms.ChoiceField(label=_("Research stage"), required=False)
    method = forms.ChoiceField(
        label=_("Involvement method"),
        required=False,
        help_text=_("A method from Coprod's catalogue."),
    )
    duration_hours = forms.DecimalField(
        label=_("How long (hours)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(24),
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "Everyone who attends is counted for this long unless you give their own hours."
        ),
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, what was agreed. Only the lead and researchers see the notes."),
    )

    def __init__(
        self, data: Any = None, *, instance: Activity | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ("kind", "title", "date", "stage", "method", "duration_hours", "notes")
            }
        super().__init__(data, **kwargs)
        self.fields["stage"].choices = [("", _("Not chosen")), *stage_choices()]
        self.fields["method"].choices = method_choices()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "date": data["date"],
            "stage": data.get("stage") or "",
            "method": data.get("method") or "",
            "duration_hours": data.get("duration_hours"),
            "notes": data.get("notes") or "",
        }


class AttendanceForm(forms.Form):
    """One tick box and an hours field for each person on the roster."""

    def __init__(
        self,
        data: Any = None,
        *,
        people: Sequence[Stakeholder],
        present: dict[int, Decimal | None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.people = list(people)
        present = present or {}
        for person in self.people:
            self.fields[f"present_{person.pk}"] = forms.BooleanField(
                label=_("%(name)s attended") % {"name": person.name},
                required=False,
                initial=person.pk in present,
            )
            self.fields[f"hours_{person.pk}"] = forms.DecimalField(
                label=_("Hours for %(name)s") % {"name": person.name},
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(24),
                max_digits=5,
                decimal_places=2,
                initial=present.get(person.pk),
                widget=forms.NumberInput(attrs={"step": "0.25"}),
            )

    def rows(self) -> list[tuple[Stakeholder, forms.BoundField, forms.BoundField]]:
        return [
            (person, self[f"present_{person.pk}"], self[f"hours_{person.pk}"])
            for person in self.people
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for person in self.people:
            if cleaned.get(f"hours_{person.pk}") is not None and not cleaned.get(
                f"present_{person.pk}"
            ):
                self.add_error(
                    f"hours_{person.pk}",
                    _("Tick that %(name)s attended, or leave their hours empty.")
                    % {"name": person.name},
                )
        return cleaned

    def present(self) -> dict[int, Decimal | None]:
        return {
            person.pk: self.cleaned_data.get(f"hours_{person.pk}")
            for person in self.people
            if self.cleaned_data.get(f"present_{person.pk}")
        }

"""Forms for costs and burden. Each asks the core whether its values hold: the price of a line, the
rate in force on a date, the currency of the budget, a declined payment with no date paid. The
core's problems are shown next to the field they concern; nothing is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticError

from coprod.core import costs as core
from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.plan import CostLine
from coprod.web.costs.labels import (
    CAREER_STAGE_CHOICES,
    CONTRACT_CHOICES,
    KIND_CHOICES,
    OFFER_CHOICES,
    UNIT_CHOICES,
    UNIT_LABELS,
)
from coprod.web.costs.models import Rate, RateCard, TeamMember
from coprod.web.projects.models import STAGE_CHOICES

NO_RATE = ""
RATE_SEPARATOR = ":"
NOT_RECORDED = ""

CURRENCY = RegexValidator(
    r"^[A-Z]{3}$", _("Write the currency as a three-letter code in capitals, such as GBP.")
)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _money_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages={
            "min_value": _("Amounts cannot be negative."),
            "max_decimal_places": _("Give the amount to the penny: at most 2 decimal places."),
        },
    )


def rate_choices(catalogue: Catalogue) -> list[tuple[Any, Any]]:
    """The rates a line or a time log may be priced at, grouped by card."""
    choices: list[tuple[Any, Any]] = [(NO_RATE, _("No rate: a fixed amount"))]
    for card in catalogue.rate_cards.values():
        latest: dict[str, Any] = {}
        for rate in sorted(card.rates, key=lambda rate: rate.valid_from):
            latest[rate.id] = rate
        options = [
            (
                f"{card.id}{RATE_SEPARATOR}{rate.id}",
                _("%(label)s (per %(unit)s)")
                % {"label": rate.label, "unit": UNIT_LABELS[rate.unit.value]},
            )
            for rate in latest.values()
        ]
        choices.append((card.label, options))
    return choices


def split_rate(value: str) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    card, _sep, rate = value.partition(RATE_SEPARATOR)
    return card, rate


def _problem_field(field: str | None, mapping: dict[str, str]) -> str | None:
    return mapping.get(field or "")


# --- Budget lines ---------------------------------------------------------------------------------

LINE_FIELD_OF = {
    "kind": "kind",
    "description": "description",
    "amount": "amount",
    "quantity": "quantity",
    "unit": "rate_choice",
    "rate_card": "rate_choice",
    "rate": "rate_choice",
    "date": "date",
    "role": "role",
    "currency": "currency",
    "bearer": "bearer",
    "stage": "stage",
}


class BudgetLineForm(forms.Form):
    """A budget line. The core prices it with the rest of the budget before anything is saved."""

    kind = forms.ChoiceField(label=_("Kind of cost"), choices=KIND_CHOICES)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What it pays for, and how you worked it out (for example 6 people × 5 meetings)."
        ),
        error_messages={"required": _("Say what this line pays for.")},
    )
    rate_choice = forms.ChoiceField(
        label=_("Priced from a rate card"),
        required=False,
        help_text=_(
            "Choose a rate, and Coprod uses the amount in force on the date of the activity. "
            "Or leave “No rate” and give a fixed amount."
        ),
    )
    quantity = forms.DecimalField(
        label=_("How many hours, sessions or days"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": _("The number cannot be negative.")},
    )
    date = forms.DateField(
        label=_("Date of the activity"),
        required=False,
        widget=_date_widget(),
        help_text=_("It picks the rate in force then. For a long activity, give its start."),
    )
    amount = _money_field(
        _("Fixed amount"),
        required=False,
        help_text=_("Only for a line with no rate. Leave it empty for a priced line."),
    )
    currency = forms.CharField(
        label=_("Currency of the fixed amount"),
        max_length=3,
        required=False,
        initial=core.DEFAULT_CURRENCY,
        validators=[CURRENCY],
        help_text=_("A priced line takes the currency of its rate card."),
    )
    role = forms.CharField(
        label=_("Whose time"),
        max_length=200,
        required=False,
        help_text=_("For staff time, the role, such as research fellow."),
    )
    bearer = forms.CharField(
        label=_("Who pays or gives the time"),
        max_length=200,
        required=False,
        help_text=_("For example: the grant, the university, the council (in kind)."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("The whole project")), *list(STAGE_CHOICES)],
    )

    def __init__(
        self,
        data: Any = None,
        *,
        catalogue: Catalogue,
        others: Sequence[CostLine] = (),
        index: int | None = None,
        keep: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.catalogue = catalogue
        self.others = list(others)
        self.index = len(self.others) if index is None else index
        self.keep = keep or {}
        self.fields["rate_choice"].choices = rate_choices(catalogue)
        self.fields["stage"].choices = [("", _("The whole project"))] + [
            (entry.id.value, entry.label) for entry in default_catalogue().stages.values()
        ]
        self.line: CostLine | None = None

    @staticmethod
    def initial_for(line: CostLine) -> dict[str, Any]:
        return {
            "kind": line.kind,
            "description": line.description,
            "rate_choice": f"{line.rate_card}{RATE_SEPARATOR}{line.rate}" if line.rate_card else "",
            "quantity": line.quantity,
            "date": line.date,
            "amount": line.amount,
            "currency": line.currency,
            "role": line.role,
            "bearer": line.bearer,
            "stage": line.stage.value if line.stage else "",
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        card_id, rate_id = split_rate(cleaned.get("rate_choice") or "")
        fields: dict[str, Any] = {
            "kind": cleaned["kind"],
            "description": cleaned["description"].strip(),
        }
        if card_id:
            if cleaned.get("quantity") is None:
                self.add_error("quantity", _("Say how many hours, sessions or days."))
            if cleaned.get("date") is None:
                self.add_error("date", _("Give the date: it picks the rate in force then."))
            card = self.catalogue.rate_cards.get(card_id)
            fields.update(rate_card=card_id, rate=rate_id)
            if card is not None:
                fields["currency"] = card.currency
            # A priced line counts in its rate's unit: the core takes it from the rate.
            if cleaned.get("amount") is not None:
                fields["amount"] = cleaned["amount"]
        else:
            if cleaned.get("amount") is None:
                self.add_error("amount", _("Give an amount, or choose a rate above."))
            fields["amount"] = cleaned.get("amount")
            fields["currency"] = cleaned.get("currency") or core.DEFAULT_CURRENCY
            if self.keep.get("unit"):
                fields["unit"] = self.keep["unit"]
        if self.errors:
            return cleaned
        for name in ("quantity", "date"):
            if cleaned.get(name) is not None:
                fields[name] = cleaned[name]
        for name in ("role", "bearer", "stage"):
            if cleaned.get(name):
                fields[name] = cleaned[name].strip() if name != "stage" else cleaned[name]
        if self.keep.get("standards"):
            fields["standards"] = self.keep["standards"]
        try:
            line = CostLine.model_validate(fields)
        except PydanticError as error:
            for item in error.errors():
                field = str(item["loc"][0]) if item["loc"] else None
                message = str(item["msg"]).removeprefix("Value error, ")
                self.add_error(_problem_field(field, LINE_FIELD_OF), message)
            return cleaned
        self._check_with_budget(line)
        if not self.errors:
            self.line = line
        return cleaned

    def _check_with_budget(self, line: CostLine) -> None:
        """Price the budget with this line in its place: the core's problems go to the fields."""
        lines = [*self.others[: self.index], line, *self.others[self.index :]]
        try:
            core.budget(lines, self.catalogue)
            return
        except core.BudgetError as error:
            problems = error.problems
        try:
            core.budget(self.others, self.catalogue)
            before: list[core.CostProblem] = []
        except core.BudgetError as error:
            before = error.problems
        own = [problem for problem in problems if problem.index == self.index]
        for problem in own:
            self.add_error(_problem_field(problem.field, LINE_FIELD_OF), problem.message)
        caused = [problem for problem in problems if problem.index != self.index]
        if len(caused) > len(before):
            for problem in caused:
                self.add_error(None, problem.message)


# --- Rate cards -----------------------------------------------------------------------------------


class RateCardForm(forms.Form):
    card_id = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        help_text=_(
            "Letters, numbers and underscores, such as our_contributor_rates. Budgets and plan "
            "files name the card by it."
        ),
    )
    label = forms.CharField(label=_("Name"), max_length=200)
    help = forms.CharField(
        label=_("What it is for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who it pays, and for what. Say when to check the rates again."),
    )
    source = forms.CharField(
        label=_("Where the figures come from"),
        max_length=300,
        help_text=_("For example: Finance office, staff costs for 2026/27."),
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial=core.DEFAULT_CURRENCY, validators=[CURRENCY]
    )

    def __init__(self, data: Any = None, *, taken: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.taken = set(taken)

    def clean_card_id(self) -> str:
        value = str(self.cleaned_data["card_id"])
        if value in default_catalogue().rate_cards:
            raise forms.ValidationError(
                _("An example card shipped with Coprod has this name. Choose another.")
            )
        if value in self.taken:
            raise forms.ValidationError(_("Your organisation already has a card of this name."))
        return value


class RateForm(forms.Form):
    rate_id = forms.SlugField(
        label=_("Short name of the rate"),
        max_length=80,
        help_text=_(
            "Such as hour or half_day. To change an amount, use the short name of the rate it "
            "replaces, with the date the new amount applies from."
        ),
    )
    label = forms.CharField(label=_("What it pays for"), max_length=200)
    unit = forms.ChoiceField(label=_("Per"), choices=UNIT_CHOICES)
    amount = _money_field(_("Amount"))
    valid_from = forms.DateField(label=_("Applies from"), widget=_date_widget())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, data: Any = None, *, card: RateCard, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.card = card

    def clean(self) -> dict[str, Any]:
        from django.core.exceptions import ValidationError

        from coprod.web.costs.services import check_rate

        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        rate = Rate(
            card=self.card,
            rate_id=cleaned["rate_id"],
            label=cleaned["label"],
            unit=cleaned["unit"],
            amount=cleaned["amount"],
            valid_from=cleaned["valid_from"],
            note=cleaned.get("note") or "",
        )
        try:
            check_rate(self.card, rate)
        except ValidationError as error:
            for message in error.messages:
                self.add_error("valid_from" if "from" in message else None, message)
        return cleaned


# --- The team -------------------------------------------------------------------------------------


class TeamMemberForm(forms.Form):
    """A member of the team. Gender and ethnicity only with consent; erased when it is withdrawn."""

    name = forms.CharField(label=_("Name"), max_length=200)
    user = forms.ChoiceField(
        label=_("Their Coprod account"),
        required=False,
        help_text=_("Link an account so that they can log their own time and expenses."),
    )
    role = forms.CharField(
        label=_("Role in the project"),
        max_length=200,
        required=False,
        help_text=_("For example: research fellow, public contributor, involvement officer."),
    )
    career_stage = forms.ChoiceField(
        label=_("Career stage"),
        required=False,
        choices=[(NOT_RECORDED, _("Not recorded")), *CAREER_STAGE_CHOICES],
    )
    contract = forms.ChoiceField(
        label=_("Contract"),
        required=False,
        choices=[(NOT_RECORDED, _("Not recorded")), *CONTRACT_CHOICES],
    )
    receives_benefits = forms.BooleanField(
        label=_("Receives welfare benefits"),
        required=False,
        help_text=_(
            "Payments may affect their benefits. Coprod then offers a letter for them, in plain "
            "words, on what to check."
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

    def __init__(
        self,
        data: Any = None,
        *,
        accounts: Sequence[tuple[int, str]] = (),
        taken: Sequence[int] = (),
        instance: TeamMember | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "user": instance.user_id or "",
                "role": instance.role,
                "career_stage": instance.career_stage,
                "contract": instance.contract,
                "receives_benefits": instance.receives_benefits,
                "demographics_consent": instance.demographics_consent,
                "gender": instance.gender,
                "ethnicity": instance.ethnicity,
            }
        super().__init__(data, **kwargs)
        self.instance = instance
        self.taken = set(taken)
        self.fields["user"].choices = [("", _("No account"))] + [
            (str(pk), name) for pk, name in accounts
        ]
        self.withdrawn = False

    def clean_user(self) -> int | None:
        value = self.cleaned_data.get("user")
        if not value:
            return None
        user_id = int(value)
        if user_id in self.taken and (self.instance is None or self.instance.user_id != user_id):
            raise forms.ValidationError(_("This account is already linked to someone in the team."))
        return user_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        consent = cleaned.get("demographics_consent", False)
        gender = (cleaned.get("gender") or "").strip()
        ethnicity = (cleaned.get("ethnicity") or "").strip()
        if not consent:
            had = self.instance is not None and self.instance.demographics_consent
            if had:
                # Consent withdrawn: whatever the fields hold is erased.
                self.withdrawn = bool(
                    self.instance and (self.instance.gender or self.instance.ethnicity)
                )
                cleaned["gender"] = cleaned["ethnicity"] = ""
            else:
                message = _(
                    "Only record this if they agreed: tick the box above first, or leave it empty."
                )
                if gender:
                    self.add_error("gender", message)
                if ethnicity:
                    self.add_error("ethnicity", message)
        else:
            cleaned["gender"], cleaned["ethnicity"] = gender, ethnicity
        return cleaned


# --- Actuals --------------------------------------------------------------------------------------


def _person_choices(people: Sequence[TeamMember]) -> list[tuple[str, str]]:
    return [(str(person.pk), person.name) for person in people]


class _PersonForm(forms.Form):
    """A form whose ``person`` is chosen among the people this user may log for."""

    person_required = True

    def __init__(
        self,
        data: Any = None,
        *,
        people: Sequence[TeamMember],
        budget: core.Budget | None = None,
        catalogue: Catalogue | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.people = {str(person.pk): person for person in people}
        choices = _person_choices(people)
        if not self.person_required:
            choices = [("", _("Nobody in particular")), *choices]
        self.fields["person"].choices = choices
        self.fields["person"].required = self.person_required
        self.budget = budget or core.Budget.of([], core.DEFAULT_CURRENCY)
        self.catalogue = catalogue or default_catalogue()

    def clean_person(self) -> TeamMember | None:
        value = self.cleaned_data.get("person")
        return self.people.get(str(value)) if value else None

    def _actuals_problems(self, field_of: dict[str, str], **actuals: Any) -> None:
        """Ask the core whether the budget can take this row: its currency, its rate."""
        try:
            core.budget_vs_actuals(self.budget, catalogue=self.catalogue, **actuals)
        except core.BudgetError as error:
            for problem in error.problems:
                self.add_error(_problem_field(problem.field, field_of), problem.message)


class TimeLogForm(_PersonForm):
    person = forms.ChoiceField(label=_("Who"))
    activity = forms.CharField(
        label=_("Activity"),
        max_length=300,
        help_text=_("What the time was spent on, such as preparing papers for the advisory group."),
    )
    date = forms.DateField(label=_("Date"), widget=_date_widget())
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal(0),
        max_value=Decimal(24),
        max_digits=5,
        decimal_places=2,
        help_text=_("For example 1.5 for an hour and a half."),
        error_messages={
            "min_value": _("Hours cannot be negative."),
            "max_value": _("Log at most 24 hours for one date."),
        },
    )
    role = forms.CharField(label=_("In what role"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of cost"), choices=KIND_CHOICES, initial="staff_time")
    rate_choice = forms.ChoiceField(
        label=_("Cost this time at a rate"),
        required=False,
        help_text=_("Optional. Without a rate the hours still count, as time nobody pays for."),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices = rate_choices(self.catalogue)
        choices[0] = (NO_RATE, _("No rate: count the hours only"))
        self.fields["rate_choice"].choices = choices
        self.log: core.TimeLog | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        card_id, rate_id = split_rate(cleaned.get("rate_choice") or "")
        cleaned["rate_card"], cleaned["rate"] = card_id or "", rate_id or ""
        try:
            log = core.TimeLog(
                person=str(cleaned["person"].pk),
                activity=cleaned["activity"],
                date=cleaned["date"],
                hours=cleaned["hours"],
                role=cleaned.get("role") or None,
                kind=cleaned["kind"],
                rate_card=card_id,
                rate=rate_id,
            )
        except ValueError as error:
            self.add_error(None, str(error))
            return cleaned
        self._actuals_problems(
            {"rate_card": "rate_choice", "rate": "rate_choice", "date": "date"}, time_logs=[log]
        )
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "activity": data["activity"].strip(),
            "date": data["date"],
            "hours": data["hours"],
            "role": (data.get("role") or "").strip(),
            "kind": data["kind"],
            "rate_card": data["rate_card"],
            "rate": data["rate"],
        }


class ExpenseForm(_PersonForm):
    person = forms.ChoiceField(label=_("Spent by"))
    description = forms.CharField(label=_("What for"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=_date_widget())
    amount = _money_field(_("Amount"))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial=core.DEFAULT_CURRENCY, validators=[CURRENCY]
    )
    kind = forms.ChoiceField(label=_("Kind of cost"), choices=KIND_CHOICES, initial="travel_venue")
    bearer = forms.CharField(label=_("Who pays"), max_length=200, required=False)

    def __init__(self, data: Any = None, *, person_required: bool = False, **kwargs: Any) -> None:
        self.person_required = person_required
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            expense = core.Expense(
                description=cleaned["description"],
                date=cleaned["date"],
                amount=cleaned["amount"],
                currency=cleaned["currency"],
                kind=cleaned["kind"],
                bearer=cleaned.get("bearer") or None,
            )
        except ValueError as error:
            self.add_error(None, str(error))
            return cleaned
        self._actuals_problems({"currency": "currency"}, expenses=[expense])
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": data.get("person"),
            "description": data["description"].strip(),
            "date": data["date"],
            "amount": data["amount"],
            "currency": data["currency"],
            "kind": data["kind"],
            "bearer": (data.get("bearer") or "").strip(),
        }


class PaymentForm(_PersonForm):
    person = forms.ChoiceField(label=_("Paid to"))
    activity = forms.CharField(label=_("For what"), max_length=300, required=False)
    activity_date = forms.DateField(label=_("Date of the activity"), widget=_date_widget())
    offered = forms.ChoiceField(
        label=_("Offered as"),
        choices=OFFER_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("A person may decline a payment and still take part."),
    )
    amount = _money_field(_("Amount offered"))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial=core.DEFAULT_CURRENCY, validators=[CURRENCY]
    )
    paid_on = forms.DateField(
        label=_("Date paid"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave empty until it is paid. A declined payment is never paid."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            payment = core.Payment(
                person=str(cleaned["person"].pk),
                activity_date=cleaned["activity_date"],
                offered=cleaned["offered"],
                amount=cleaned["amount"],
                paid_on=cleaned.get("paid_on"),
                currency=cleaned["currency"],
            )
        except ValueError as error:
            field = "paid_on" if "paid" in str(error) else None
            self.add_error(field, str(error))
            return cleaned
        self._actuals_problems({"currency": "currency"}, payments=[payment])
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "activity": (data.get("activity") or "").strip(),
            "activity_date": data["activity_date"],
            "offered": data["offered"],
            "amount": data["amount"],
            "currency": data["currency"],
            "paid_on": data.get("paid_on"),
        }


# --- Spreadsheet import ---------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5_000_000


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("time_logs", _("Time logs")), ("budget", _("Budget lines"))],
        widget=forms.RadioSelect,
    )
    spreadsheet = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_("The first row names the columns. At most 5 MB."),
    )
    good_rows_only = forms.BooleanField(
        label=_("Import only the good rows"),
        required=False,
        help_text=_(
            "If some rows have problems, import the others and list the ones left out. "
            "Without this, nothing is imported until the whole file is clean."
        ),
    )

    def clean_spreadsheet(self) -> Any:
        upload = self.cleaned_data["spreadsheet"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is larger than 5 MB."))
        return upload

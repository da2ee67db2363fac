"""Forms for decisions, the dissemination agreement and terms of reference.

The forms read what people typed; the core judges it. A decision's problems are the core's
:func:`coprod.core.decisions.decision_problems`, put beside the field each names; a note the core
makes on a decision it accepts (such as dissent on a consensus) is shown, and does not stop the
save. Agreement lines and terms are checked by the core's models in the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.core.ids import DecisionRule, PartnerReview
from coprod.web.decisions import plan_io, selectors
from coprod.web.decisions.labels import METHOD_HELP, METHOD_LABELS, REVIEW_HELP, REVIEW_LABELS
from coprod.web.decisions.models import TermsOfReference
from coprod.web.decisions.services import DECISION_FIELDS
from coprod.web.ledger.models import Contribution
from coprod.web.projects.models import Stakeholder


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _text(label: Any, *, rows: int = 3, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


MAX_COUNT = 1_000_000
"""The largest count of votes or people a decision may record: far above any meeting, and well
within what the database can store (a larger number would fail there, not here)."""


def _count(label: Any, **kwargs: Any) -> forms.IntegerField:
    # No minimum here: the core says what a vote count may be.
    return forms.IntegerField(
        label=label,
        required=False,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def person_label(person: Stakeholder) -> str:
    group = selectors.group_label(person.group)
    return f"{person.name} ({group})" if person.name else group


class DecisionForm(forms.Form):
    # Not required here: the core says what a decision needs, in its own words.
    what = _text(_("What was decided"), rows=3)
    decided_on = forms.DateField(label=_("Date"), widget=_date_widget())
    method = forms.ChoiceField(
        label=_("How it was decided"),
        required=False,
        choices=[(rule.value, METHOD_LABELS[rule.value]) for rule in DecisionRule],
        widget=forms.RadioSelect,
    )
    votes_for = _count(_("Votes for"))
    votes_against = _count(_("Votes against"))
    votes_abstain = _count(_("Abstentions"), help_text=_("Leave blank if nobody abstained."))
    participants = forms.MultipleChoiceField(
        label=_("Who took part"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People on the project's roster."),
    )
    dissenters = forms.MultipleChoiceField(
        label=_("Of those, who disagreed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_present = forms.CharField(
        label=_("Others who took part"),
        required=False,
        help_text=_(
            "People not on the roster, for example ‘6 members of the public’. Only the team sees "
            "this text; partners and observers see how many."
        ),
    )
    others_count = forms.IntegerField(
        label=_("How many others took part"),
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        help_text=_("So that the vote counts can be checked against who took part."),
    )
    dissent = _text(
        _("Dissent"),
        help_text=_(
            "What was disagreed and why. Partners see this if the decision is shared with them, "
            "so write it without naming people who have not agreed to be named."
        ),
    )
    answers = forms.MultipleChoiceField(
        label=_("Contributions it answered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the contribution ledger. Anonymous contributions name nobody."),
    )
    review_on = forms.DateField(
        label=_("Review on"),
        required=False,
        widget=_date_widget(),
        help_text=_("When to look at this decision again. It shows as due from that day."),
    )
    shared_with_partners = forms.BooleanField(
        label=_("Partners can see it"),
        required=False,
        initial=True,
        help_text=_("Partners see shared decisions with how many took part from each group."),
    )

    def __init__(
        self,
        *args: Any,
        people: list[Stakeholder],
        contributions: list[Contribution],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), person_label(p)) for p in people if not p.erased_at]
        # Someone erased since stays listed where a saved decision names them.
        chosen = {str(v) for v in (self.initial.get("participants") or [])}
        choices += [
            (str(p.pk), _("A person whose details were erased"))
            for p in people
            if p.erased_at and str(p.pk) in chosen
        ]
        self.fields["participants"].choices = choices
        self.fields["dissenters"].choices = choices
        self.fields["answers"].choices = [
            (str(c.pk), selectors.contribution_choice(c)) for c in contributions
        ]
        if not contributions:
            self.fields["answers"].help_text = _("No contributions are in the ledger yet.")
        self.fields["method"].help_text = " ".join(
            f"{METHOD_LABELS[r.value]}: {METHOD_HELP[r.value]}" for r in DecisionRule
        )
        self.notes: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unread = set(self.errors)  # fields whose input did not read as a value
        for name, message in selectors.decision_problems(
            what=data.get("what") or "",
            method=data.get("method") or "",
            votes_for=data.get("votes_for"),
            votes_against=data.get("votes_against"),
            votes_abstain=data.get("votes_abstain"),
            roster_count=len(data.get("participants") or []),
            others_count=data.get("others_count"),
            others_present=data.get("others_present") or "",
            dissent=data.get("dissent") or "",
        ):
            if selectors.is_note(message):
                self.notes.append((name, message))
            elif name not in unread:
                self.add_error(name if name in self.fields else None, message)
        missing = set(data.get("dissenters") or []) - set(data.get("participants") or [])
        if missing:
            self.add_error(
                "dissenters", _("Tick everyone who disagreed under “Who took part” too.")
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "what": data["what"].strip(),
            "decided_on": data["decided_on"],
            "method": data.get("method") or "",
            "votes_for": data.get("votes_for"),
            "votes_against": data.get("votes_against"),
            "votes_abstain": data.get("votes_abstain"),
            "others_present": (data.get("others_present") or "").strip(),
            "others_count": data.get("others_count"),
            "dissent": (data.get("dissent") or "").strip(),
            "review_on": data.get("review_on"),
            "shared_with_partners": bool(data.get("shared_with_partners")),
            "participants": [int(v) for v in data.get("participants") or []],
            "dissenters": [int(v) for v in data.get("dissenters") or []],
            "answers": [int(v) for v in data.get("answers") or []],
        }


def decision_initial(decision: Any) -> dict[str, Any]:
    """A stored decision (with its links prefetched) as the form's first values."""
    participants = list(decision.participants.all())
    return {
        **{name: getattr(decision, name) for name in DECISION_FIELDS},
        "participants": [str(p.stakeholder_id) for p in participants],
        "dissenters": [str(p.stakeholder_id) for p in participants if p.dissented],
        "answers": [str(link.contribution_id) for link in decision.answers.all()],
    }


class AgreementForm(forms.Form):
    """The terms that hold for every output; the core's Dissemination checks them."""

    researchers_may_publish_unwelcome = forms.BooleanField(
        label=_("The researchers may publish findings that partners do not welcome"),
        required=False,
        help_text=_(
            "Table 1 of the paper warns that researchers “may be prevented from sharing unwanted "
            "findings”. Keep this ticked unless the whole team has agreed otherwise."
        ),
    )
    stakeholders_can_block = forms.BooleanField(
        label=_("Partners may stop any publication (a veto over every output)"),
        required=False,
    )
    review_window_days = forms.IntegerField(
        label=_("Days partners have to comment on a draft"),
        required=False,
        help_text=_("Each line below may set its own window."),
    )
    embargo_until = forms.DateField(
        label=_("Nothing is published before"),
        required=False,
        widget=_date_widget(),
        help_text=_("An embargo on all outputs. Leave blank if there is none."),
    )


class RightForm(forms.Form):
    """One line of the agreement: who may publish what, and on what terms."""

    output = forms.CharField(
        label=_("What is published"),
        max_length=300,
        error_messages={"required": _("Say what is published.")},
        help_text=_("For example: the final report, a journal article, a plain-language summary."),
    )
    who = forms.CharField(
        label=_("Who may publish it"),
        max_length=300,
        error_messages={"required": _("Say who may publish it.")},
        help_text=_("For example: the research team; any partner, with the team's agreement."),
    )
    partner_review = forms.ChoiceField(
        label=_("What partners may do with a draft first"),
        choices=[(r.value, REVIEW_LABELS[r.value]) for r in PartnerReview],
        initial=PartnerReview.COMMENT.value,
        widget=forms.RadioSelect,
    )
    review_window_days = forms.IntegerField(label=_("Days partners have to review"), required=False)
    embargo_until = forms.DateField(
        label=_("Not published before"), required=False, widget=_date_widget()
    )
    draft_shared_on = forms.DateField(
        label=_("Draft shared with partners on"),
        required=False,
        widget=_date_widget(),
        help_text=_("The partners' review window runs from this day."),
    )
    note = _text(_("Note"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_review"].help_text = " ".join(
            f"{REVIEW_LABELS[r.value]}: {REVIEW_HELP[r.value]}" for r in PartnerReview
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unread = set(self.errors)
        values = self.values()
        values.pop("draft_shared_on")
        for name, problems in plan_io.right_problems(values).items():
            if name not in unread:
                for problem in problems:
                    self.add_error(name if name in self.fields else None, problem)
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "output": (data.get("output") or "").strip(),
            "who": (data.get("who") or "").strip(),
            "partner_review": data.get("partner_review") or "",
            "review_window_days": data.get("review_window_days"),
            "embargo_until": data.get("embargo_until"),
            "draft_shared_on": data.get("draft_shared_on"),
            "note": (data.get("note") or "").strip(),
        }


class TermsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TermsOfReference
        fields = [
            "role",
            "time",
            "payment",
            "feedback",
            "recognition",
            "disagreements",
            "leaving",
            "agreed_on",
            "review_on",
        ]
        widgets = {
            "role": forms.Textarea(attrs={"rows": 3}),
            "time": forms.Textarea(attrs={"rows": 2}),
            "payment": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
            "recognition": forms.Textarea(attrs={"rows": 2}),
            "disagreements": forms.Textarea(attrs={"rows": 3}),
            "leaving": forms.Textarea(attrs={"rows": 3}),
            "agreed_on": _date_widget(),
            "review_on": _date_widget(),
        }
        help_texts = {
            "time": _("For example: about 4 hours a month, mostly evening meetings."),
            "payment": _(
                "What they are paid and which expenses are met, or that they chose not to be paid."
            ),
            "recognition": _(
                "For example: named in outputs, a record of involvement they can cite, "
                "co-authorship where they qualify."
            ),
        }

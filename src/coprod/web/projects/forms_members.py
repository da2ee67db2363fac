"""Forms for the people in a project: inviting someone, changing a role, removing a member."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.web.projects.models import Invitation, Membership, Project, Role

# What each role may do, in plain words (SPEC §3).
ROLE_HELP = {
    Role.LEAD: _(
        "Can do everything in the project: change the plan, invite people, change their roles, "
        "and see every change that was made."
    ),
    Role.RESEARCHER: _(
        "Can change the plan and answer the decision aid, and can see the names and details of "
        "the people in the plan."
    ),
    Role.PARTNER: _(
        "Can see the plan and their own part in it, and can add their own contributions. "
        "Cannot see other people’s personal details."
    ),
    Role.OBSERVER: _("Can read the plan and the reports, but cannot change anything."),
}


def role_options() -> list[dict[str, Any]]:
    """Each role with its name and what it may do, for the explanation on the page."""
    return [{"value": role.value, "label": role.label, "help": ROLE_HELP[role]} for role in Role]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail address"),
        max_length=254,
        help_text=_("We send the invitation to this address. It holds a link to join."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Their role in the project"),
        choices=Role.choices,
        initial=Role.PARTNER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if Membership.objects.filter(project=self.project, user__email__iexact=email).exists():
            raise forms.ValidationError(_("Someone with this e-mail address is already a member."))
        if Invitation.objects.filter(
            project=self.project, email__iexact=email, accepted_at__isnull=True
        ).exists():
            raise forms.ValidationError(
                _(
                    "This address has already been invited. "
                    "Cancel that invitation to send a new one."
                )
            )
        return email

    def role_choices(self) -> list[dict[str, Any]]:
        """The radio buttons, each described by a plain explanation of what the role may do."""
        options = []
        for radio in self["role"]:
            help_id = f"{radio.id_for_label}_help"
            radio.data["attrs"] = {**radio.data["attrs"], "aria-describedby": help_id}
            options.append(
                {"radio": radio, "help": ROLE_HELP[Role(radio.data["value"])], "help_id": help_id}
            )
        return options


class MemberEditForm(forms.Form):
    """One member's row: change their role, or remove them from the project."""

    action = forms.ChoiceField(choices=[("role", "role"), ("remove", "remove")])
    role = forms.ChoiceField(choices=Role.choices, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "role" and not data.get("role"):
            self.add_error("role", _("Choose a role."))
        return data


class InvitationCancelForm(forms.Form):
    invitation = forms.IntegerField(min_value=1)

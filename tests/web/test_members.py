"""People in a project: who sees what, inviting, changing roles, removing, and joining."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from coprod.web.accounts.models import User
from coprod.web.projects import services
from coprod.web.projects.models import Invitation, Membership, Role
from tests.web.conftest import PASSWORD, Team

pytestmark = pytest.mark.django_db

EMAILS = [f"{who}@example.org" for who in ("lead", "researcher", "partner", "observer")]


def members_url(team: Team) -> str:
    return reverse("member_list", args=[team.project.pk])


def edit_url(team: Team, who: str) -> str:
    membership = Membership.objects.get(project=team.project, user=getattr(team, who))
    return reverse("member_edit", args=[team.project.pk, membership.pk])


def invite(team: Team, email: str = "newcomer@example.org", role: str = "partner") -> Invitation:
    return services.invitation_create(
        project=team.project,
        email=email,
        role=role,
        invited_by=team.lead,
        accept_url=lambda invitation: f"http://testserver/invitations/{invitation.token}/",
    )


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["researcher", "partner", "observer"])
def test_members_see_names_and_roles_but_no_e_mails_and_no_invitations(
    team: Team, who: str
) -> None:
    invite(team, email="pending.person@example.org")
    response = team.client_for(who).get(members_url(team))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    for name in ("Lead", "Researcher", "Partner", "Observer"):
        assert f'<th scope="row">{name}' in page
    assert "<td>Partner</td>" in page and "<td>Lead</td>" in page
    for email in [*EMAILS, "pending.person@example.org"]:
        assert email not in page
    assert "Invite someone" not in page
    assert 'name="email"' not in page
    assert "/members/" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "Change role" not in page
    assert "What each role may do" in page


def test_the_lead_sees_e_mails_invitations_and_the_invite_form(team: Team) -> None:
    invite(team, email="pending.person@example.org", role="observer")
    page = team.client_for("lead").get(members_url(team)).content.decode()
    for email in [*EMAILS, "pending.person@example.org"]:
        assert email in page
    assert "Invitations waiting for an answer" in page
    assert "Invite someone" in page
    assert 'type="email" name="email"' in page
    # Each role is explained next to its choice, in plain words.
    assert 'aria-describedby="id_role_3_help"' in page
    assert "Can read the plan and the reports, but cannot change anything." in page
    assert page.count("Change role") == 4


def test_an_outsider_is_told_the_project_does_not_exist(team: Team) -> None:
    outsider = team.client_for("outsider")
    assert outsider.get(members_url(team)).status_code == 404
    assert outsider.post(members_url(team), {"email": "x@example.org"}).status_code == 404
    response = outsider.post(edit_url(team, "partner"), {"action": "remove"})
    assert response.status_code == 404


# --- inviting -----------------------------------------------------------------------------------


def test_the_lead_invites_someone_and_an_e_mail_goes_out(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = team.client_for("lead").post(
            members_url(team), {"action": "invite", "email": "carer@example.org", "role": "partner"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(project=team.project, email="carer@example.org")
    assert invitation.role == "partner" and invitation.invited_by == team.lead
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carer@example.org"]
    assert team.project.title in message.subject
    assert f"http://testserver/invitations/{invitation.token}/" in message.body
    assert "Invitation sent to carer@example.org" in " ".join(messages_of(response))


@pytest.mark.parametrize("who", ["researcher", "partner", "observer"])
def test_only_the_lead_may_invite(team: Team, who: str) -> None:
    response = team.client_for(who).post(
        members_url(team), {"action": "invite", "email": "carer@example.org", "role": "lead"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("Partner@Example.org", "already a member"),
        ("pending.person@example.org", "already been invited"),
        ("not an address", "Enter a valid email address"),
    ],
)
def test_an_invitation_that_cannot_be_sent_is_refused_next_to_the_field(
    team: Team, email: str, error: str
) -> None:
    invite(team, email="pending.person@example.org")
    response = team.client_for("lead").post(
        members_url(team), {"action": "invite", "email": email, "role": "observer"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert 'aria-invalid="true"' in page
    assert '<a href="#id_email">' in page  # the summary leads to the field
    assert Invitation.objects.count() == 1


def test_an_invitation_needs_a_known_role(team: Team) -> None:
    response = team.client_for("lead").post(
        members_url(team), {"action": "invite", "email": "a@example.org", "role": "boss"}
    )
    assert response.status_code == 400
    assert '<a href="#id_role">' in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_lead_can_cancel_an_invitation_and_its_link_stops_working(team: Team) -> None:
    invitation = invite(team)
    lead = team.client_for("lead")
    response = lead.post(
        members_url(team), {"action": "cancel_invitation", "invitation": invitation.pk}
    )
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    link = reverse("invitation_accept", args=[invitation.token])
    assert team.client_for("anonymous").get(link).status_code == 404


def test_nobody_else_can_cancel_an_invitation(team: Team) -> None:
    invitation = invite(team)
    for who in ("researcher", "partner", "observer"):
        response = team.client_for(who).post(
            members_url(team), {"action": "cancel_invitation", "invitation": invitation.pk}
        )
        assert response.status_code == 403
    response = team.client_for("outsider").post(
        members_url(team), {"action": "cancel_invitation", "invitation": invitation.pk}
    )
    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_invitation_to_another_project_cannot_be_cancelled_from_this_one(team: Team) -> None:
    other = services.project_create(user=team.lead, title="Another project")
    invitation = services.invitation_create(
        project=other,
        email="x@example.org",
        role="observer",
        invited_by=team.lead,
        accept_url=lambda invitation: "http://testserver/",
    )
    response = team.client_for("lead").post(
        members_url(team), {"action": "cancel_invitation", "invitation": invitation.pk}
    )
    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- changing roles and removing people ---------------------------------------------------------


def test_the_lead_changes_a_role(team: Team) -> None:
    response = team.client_for("lead").post(
        edit_url(team, "observer"), {"action": "role", "role": "researcher"}
    )
    assert response.status_code == 302
    assert response["Location"] == members_url(team)
    assert Membership.objects.get(project=team.project, user=team.observer).role == "researcher"
    assert "Observer is now researcher." in messages_of(response)


def test_the_lead_removes_someone(team: Team) -> None:
    response = team.client_for("lead").post(edit_url(team, "partner"), {"action": "remove"})
    assert response.status_code == 302
    assert not Membership.objects.filter(project=team.project, user=team.partner).exists()
    assert "Partner is no longer in this project." in messages_of(response)
    assert team.client_for("partner").get(members_url(team)).status_code == 404


@pytest.mark.parametrize("who", ["researcher", "partner", "observer"])
def test_only_the_lead_may_change_roles_or_remove_people(team: Team, who: str) -> None:
    client = team.client_for(who)
    assert client.post(edit_url(team, who), {"action": "role", "role": "lead"}).status_code == 403
    assert client.post(edit_url(team, "lead"), {"action": "remove"}).status_code == 403
    roles = dict(
        Membership.objects.filter(project=team.project).values_list("user__username", "role")
    )
    assert roles == {
        "lead": "lead",
        "researcher": "researcher",
        "partner": "partner",
        "observer": "observer",
    }


def test_changing_a_member_only_works_by_post(team: Team) -> None:
    assert team.client_for("lead").get(edit_url(team, "partner")).status_code == 405


def test_a_member_of_another_project_cannot_be_changed_from_this_one(team: Team) -> None:
    other = services.project_create(user=team.outsider, title="Another project")
    membership = Membership.objects.get(project=other, user=team.outsider)
    response = team.client_for("lead").post(
        reverse("member_edit", args=[team.project.pk, membership.pk]), {"action": "remove"}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_lead_cannot_step_down_or_be_removed(team: Team) -> None:
    lead = team.client_for("lead")
    for data in ({"action": "role", "role": "researcher"}, {"action": "remove"}):
        response = lead.post(edit_url(team, "lead"), data)
        assert response.status_code == 302
        assert response["Location"] == members_url(team)
        assert "A project needs at least one lead. Make someone else lead first." in messages_of(
            response
        )
        assert Membership.objects.get(project=team.project, user=team.lead).role == "lead"
    page = lead.get(members_url(team)).content.decode()
    assert page.count("<td>Lead</td>") == 1


def test_a_lead_may_step_down_once_someone_else_leads(team: Team) -> None:
    lead = team.client_for("lead")
    lead.post(edit_url(team, "researcher"), {"action": "role", "role": "lead"})
    response = lead.post(edit_url(team, "lead"), {"action": "role", "role": "researcher"})
    assert response.status_code == 302
    assert response["Location"] == reverse("project_dashboard", args=[team.project.pk])
    assert Membership.objects.get(project=team.project, user=team.lead).role == "researcher"
    assert lead.get(members_url(team)).status_code == 200
    assert lead.post(edit_url(team, "partner"), {"action": "remove"}).status_code == 403


def test_a_role_that_does_not_exist_changes_nothing(team: Team) -> None:
    response = team.client_for("lead").post(
        edit_url(team, "partner"), {"action": "role", "role": "owner"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(project=team.project, user=team.partner).role == "partner"
    assert messages_of(response)


# --- joining through an invitation --------------------------------------------------------------


def _link_from_outbox() -> str:
    match = re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def test_a_new_person_joins_through_the_link_in_the_e_mail(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        team.client_for("lead").post(
            members_url(team), {"action": "invite", "email": "carer@example.org", "role": "partner"}
        )
    link = _link_from_outbox()
    visitor = team.client_for("anonymous")
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Lead has invited you to join as Partner." in page.content.decode()
    response = visitor.post(
        link,
        {
            "username": "carer",
            "display_name": "Sam Carer",
            "email": "carer@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("project_dashboard", args=[team.project.pk])
    newcomer = User.objects.get(username="carer")
    assert Membership.objects.get(project=team.project, user=newcomer).role == Role.PARTNER
    assert visitor.get(members_url(team)).status_code == 200
    # The link works once.
    assert team.client_for("anonymous").get(link).status_code == 404
    assert team.client_for("outsider").post(link).status_code == 404
    # The lead's list now shows the new member, and no waiting invitation.
    lead_page = team.client_for("lead").get(members_url(team)).content.decode()
    assert "Sam Carer" in lead_page
    assert "No invitations are waiting" in lead_page


def test_someone_signed_in_accepts_with_their_own_account(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        team.client_for("lead").post(
            members_url(team),
            {"action": "invite", "email": "outsider@example.org", "role": "observer"},
        )
    link = _link_from_outbox()
    outsider = team.client_for("outsider")
    assert outsider.get(members_url(team)).status_code == 404
    assert "Join the project" in outsider.get(link).content.decode()
    response = outsider.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(project=team.project, user=team.outsider).role == "observer"
    assert outsider.get(members_url(team)).status_code == 200
    assert outsider.get(link).status_code == 404


def test_an_unknown_token_is_not_found(team: Team) -> None:
    response = team.client_for("anonymous").get(reverse("invitation_accept", args=["nope"]))
    assert response.status_code == 404


def test_invitations_and_role_changes_are_in_the_change_log(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    lead = team.client_for("lead")
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(
            members_url(team), {"action": "invite", "email": "carer@example.org", "role": "partner"}
        )
    invitation = Invitation.objects.get(email="carer@example.org")
    lead.post(members_url(team), {"action": "cancel_invitation", "invitation": invitation.pk})
    lead.post(edit_url(team, "partner"), {"action": "remove"})
    page = lead.get(reverse("change_log", args=[team.project.pk])).content.decode()
    removed = page.index("Removed Partner as partner")
    cancelled = page.index("Cancelled the invitation to carer@example.org")
    invited = page.index("Invited carer@example.org as partner")
    assert removed < cancelled < invited  # newest first
    assert page.count("Made by Lead") >= 3

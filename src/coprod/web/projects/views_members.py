"""People in a project: members, invitations, roles; and the leads' record of every change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.web.projects import audit, selectors, services
from coprod.web.projects.forms_members import (
    InvitationCancelForm,
    InvitationForm,
    MemberEditForm,
    role_options,
)
from coprod.web.projects.models import Invitation, Membership, Project, Role
from coprod.web.projects.permissions import permissions_for
from coprod.web.projects.view_helpers import project_for, render_project

ROLE_ORDER = {role.value: index for index, role in enumerate(Role)}
CHANGES_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone in the project with their role; leads also invite people and see e-mails."""
    permission = "projects.manage_members" if request.method == "POST" else "projects.view_project"
    project = project_for(request, pk, permission)
    form = None
    if request.method == "POST":
        if request.POST.get("action") == "cancel_invitation":
            return _cancel_invitation(request, project)
        form = InvitationForm(request.POST, project=project)
        if form.is_valid():
            invitation = services.invitation_create(
                project=project,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                accept_url=lambda inv: request.build_absolute_uri(
                    reverse("invitation_accept", args=[inv.token])
                ),
            )
            messages.success(
                request,
                _("Invitation sent to %(email)s. They join as %(role)s when they open the link.")
                % {"email": invitation.email, "role": Role(invitation.role).label.lower()},
            )
            return redirect("member_list", project.pk)
    return _member_page(request, project, form, status=400 if form is not None else 200)


def _member_page(
    request: HttpRequest, project: Project, form: InvitationForm | None, *, status: int
) -> HttpResponse:
    manage = permissions_for(request.user, project)["projects.manage_members"]
    members = sorted(
        selectors.member_list(project=project),
        key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), str(m.user).casefold()),
    )
    context = {
        "members": members,
        "show_emails": manage,
        "role_options": role_options(),
        "lead_count": sum(1 for m in members if m.role == Role.LEAD),
    }
    if manage:
        context["invitations"] = list(selectors.pending_invitations(project=project))
        context["form"] = form or InvitationForm(project=project)
    return render_project(request, "projects/members.html", project, context, status=status)


def _cancel_invitation(request: HttpRequest, project: Project) -> HttpResponse:
    form = InvitationCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That invitation could not be found."))
        return redirect("member_list", project.pk)
    invitation = get_object_or_404(Invitation, pk=form.cleaned_data["invitation"], project=project)
    try:
        services.invitation_cancel(invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was cancelled. Its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("member_list", project.pk)


@login_required
@require_POST
def member_edit(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    """Change one member's role, or remove them. A project always keeps at least one lead."""
    project = project_for(request, pk, "projects.manage_members")
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, project=project
    )
    form = MemberEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role, then press the button again."))
        return redirect("member_list", project.pk)
    name = str(membership.user)
    is_self = membership.user_id == request.user.pk
    try:
        if form.cleaned_data["action"] == "remove":
            services.membership_remove(membership=membership)
            messages.success(
                request, _("%(person)s is no longer in this project.") % {"person": name}
            )
            if is_self:
                return redirect("project_list")
        else:
            role = Role(form.cleaned_data["role"])
            services.membership_change_role(membership=membership, role=role)
            messages.success(
                request,
                _("%(person)s is now %(role)s.") % {"person": name, "role": role.label.lower()},
            )
            if is_self and role != Role.LEAD:
                return redirect("project_dashboard", project.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("member_list", project.pk)


@login_required
def change_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the project's records, newest first: who, when, what, before and after."""
    project = project_for(request, pk, "projects.view_changes")
    changes = audit.read_changes(project)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render_project(
        request, "projects/change_log.html", project, {"page": page, "total": len(changes)}
    )

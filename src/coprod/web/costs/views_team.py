"""The people whose time is logged, their consent to record gender and ethnicity, and the
benefits letter for contributors on welfare benefits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coprod.core import costs as core
from coprod.web.costs import selectors, services
from coprod.web.costs.forms import TeamMemberForm
from coprod.web.costs.letters import benefits_letter as letter_docx
from coprod.web.costs.models import Payment, TeamMember
from coprod.web.costs.permissions import costs_permissions
from coprod.web.costs.view_helpers import costs_project, find, render_costs, require
from coprod.web.costs.views import DOCX, download
from coprod.web.projects import selectors as project_selectors
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import project_for


def _accounts(project: Project) -> list[tuple[int, str]]:
    """The project's members, who may be linked to a person of the team (one query)."""
    return [
        (membership.user_id, str(membership.user))
        for membership in project_selectors.member_list(project=project)
    ]


def _member_values(form: TeamMemberForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"].strip(),
        "user_id": data["user"],
        "role": (data.get("role") or "").strip(),
        "career_stage": data.get("career_stage") or "",
        "contract": data.get("contract") or "",
        "receives_benefits": bool(data.get("receives_benefits")),
        "demographics_consent": bool(data.get("demographics_consent")),
        "gender": data.get("gender") or "",
        "ethnicity": data.get("ethnicity") or "",
    }


def _save(member: TeamMember | None, project: Project, form: TeamMemberForm) -> TeamMember:
    values = _member_values(form)
    if member is None:
        return services.team_member_create(project=project, **values)
    return services.team_member_update(member=member, **values)


def _team_page(
    request: HttpRequest,
    project: Project,
    members: list[TeamMember],
    form: TeamMemberForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    allowed = costs_permissions(request.user, project)
    if form is None and allowed["costs.change_team"]:
        form = TeamMemberForm(
            accounts=_accounts(project),
            taken=[m.user_id for m in members if m.user_id],
            prefix="new",
        )
    return render_costs(
        request,
        "costs/team.html",
        project,
        {
            "members": members,
            "form": form,
            "small_group": core.SMALL_GROUP,
            "bad_forms": [form] if form is not None and form.errors else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone whose time is logged; POST adds someone."""
    project = costs_project(request, pk, "costs.view_people_data")
    members = selectors.team_members(project=project)
    if request.method == "GET":
        return _team_page(request, project, members)
    require(request, project, "costs.change_team")
    form = TeamMemberForm(
        request.POST,
        accounts=_accounts(project),
        taken=[m.user_id for m in members if m.user_id],
        prefix="new",
    )
    if not form.is_valid():
        return _team_page(request, project, members, form, status=400)
    member = _save(None, project, form)
    messages.success(request, _("%(name)s added to the team.") % {"name": member.name})
    return redirect(reverse("costs_team", args=[project.pk]) + f"#member-{member.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    """Change someone's details or consent, or remove them from the team."""
    project = costs_project(request, pk, "costs.change_team")
    members = selectors.team_members(project=project)
    member = find(members, member_id)
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.team_member_delete(member=member)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("costs_member_edit", project.pk, member.pk)
        messages.success(request, _("%(name)s removed from the team.") % {"name": member.name})
        return redirect("costs_team", project.pk)
    form = TeamMemberForm(
        request.POST if request.method == "POST" else None,
        accounts=_accounts(project),
        taken=[m.user_id for m in members if m.user_id],
        instance=member,
        prefix="member",
    )
    if request.method == "POST" and form.is_valid():
        _save(member, project, form)
        if form.withdrawn:
            messages.success(
                request,
                _(
                    "Saved. %(name)s no longer agrees to record their gender and ethnicity, so "
                    "their answers were erased."
                )
                % {"name": member.name},
            )
        else:
            messages.success(request, _("Saved."))
        return redirect(reverse("costs_team", args=[project.pk]) + f"#member-{member.pk}")
    return render_costs(
        request,
        "costs/member_edit.html",
        project,
        {
            "form": form,
            "member": member,
            "small_group": core.SMALL_GROUP,
            "bad_forms": [form] if form.errors else [],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_safe
def benefits_letter(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    """The letter for one contributor on benefits: for the team, and for the person themselves."""
    project = project_for(request, pk)
    member = TeamMember.objects.filter(project=project, pk=member_id).first()
    if member is None or not member.receives_benefits:
        raise Http404
    allowed = costs_permissions(request.user, project)
    if not (allowed["costs.view_people_data"] or member.user_id == request.user.pk):
        raise PermissionDenied
    payments = list(Payment.objects.filter(person=member).order_by("activity_date", "id"))
    content = letter_docx(
        name=member.name,
        project=project.title,
        sender=str(request.user),
        payments=payments,
        today=timezone.localdate(),
    )
    filename = f"benefits-letter-{slugify(member.name)[:40] or member.pk}.docx"
    return download(content, DOCX, filename)

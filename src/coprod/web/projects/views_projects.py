"""Project pages: the list, creating, importing, the overview, the partner view, the plan file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.core.assess import assess
from coprod.core.catalogue import default_catalogue
from coprod.formats.plan_file import plan_to_yaml
from coprod.web.costs import selectors as cost_selectors
from coprod.web.decisions import selectors as decision_selectors
from coprod.web.decisions.labels import RULE_LABELS
from coprod.web.ledger import selectors as ledger_selectors
from coprod.web.participation import selectors as participation_selectors
from coprod.web.people import selectors as people_selectors
from coprod.web.privacy import selectors as privacy_selectors
from coprod.web.projects import selectors, services
from coprod.web.projects.forms import GovernanceForm, PlanUploadForm, ProjectCreateForm
from coprod.web.projects.models import Project, Role
from coprod.web.projects.permissions import permissions_for, role_in
from coprod.web.projects.view_helpers import project_for, render_project
from coprod.web.risks import selectors as risk_selectors

PLAN_HEADER = "# Coprod plan file, exported from Coprod. Check it with `coprod validate`.\n"


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    memberships = selectors.project_list(user=request.user)
    return render(request, "projects/project_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("Project created. Start with the decision aid."))
        return redirect("aid_aims", project.pk)
    return render(request, "projects/project_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.loaded is not None:
        project = services.project_import(user=request.user, plan=form.loaded.plan)
        messages.success(request, _("Plan imported."))
        return redirect("project_dashboard", project.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "projects/project_import.html", {"form": form}, status=status)


@login_required
def project_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for(request, pk)
    can_edit = permissions_for(request.user, project)["projects.change_plan"]
    if not can_edit and project.stakeholders.filter(user=request.user).exists():
        return redirect("project_partner_view", project.pk)
    return render_project(
        request,
        "projects/dashboard.html",
        project,
        {
            "body": _dashboard_body(request, project),
            # Requests to be erased do not change the plan: read them outside the cached body.
            "privacy_summary": privacy_selectors.dashboard_summary(project, user=request.user),
        },
    )


def _dashboard_body(request: HttpRequest, project: Project) -> str:
    """The overview's content, cached until the plan changes.

    The key holds everything the content depends on: the project and its version, the viewer's
    role (it decides whose names show), the language, the catalogue, and the day (warnings may
    fall due).
    """
    catalogue = default_catalogue()
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            project.pk,
            project.created_at.timestamp(),
            project.version,
            role_in(request.user, project),
            # A partner's overview may show their own records: never share it between partners.
            request.user.pk if role_in(request.user, project) == Role.PARTNER else "",
            get_language(),
            catalogue.version,
            timezone.localdate().isoformat(),
        )
    )
    body = cache.get(key)
    if body is None:
        selectors.plan_load(project=project)
        context = _dashboard_context(request, project)
        body = render_to_string("projects/_dashboard_body.html", context, request=request)
        cache.set(key, body, timeout=3600)
    # Safe: the HTML was rendered, with escaping, by our own template above.
    return mark_safe(body)


def _dashboard_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    plan = selectors.project_plan(project=project)
    catalogue = default_catalogue()
    result = assess(plan, catalogue)
    brings_by_group: dict[str, list[dict[str, str]]] = {}
    allowed = permissions_for(request.user, project)
    show_names = allowed["projects.view_personal_data"]
    for stakeholder in project.stakeholders.all():
        label = catalogue.groups[stakeholder.group].label  # type: ignore[index]
        who = stakeholder.name if show_names else (stakeholder.role or _("A member"))
        brings_by_group.setdefault(label, []).append({"who": who, "brings": stakeholder.brings})
    assessments = list(project.assessments.all())
    today = timezone.localdate()
    return {
        "project": project,
        "can": {
            "change_plan": allowed["projects.change_plan"],
            "export_plan": allowed["projects.export_plan"],
            "replace_plan": allowed["projects.replace_plan"],
        },
        "plan": plan,
        "result": result,
        "catalogue": catalogue,
        "stages": _stage_rows(result, catalogue),
        "brings_by_group": brings_by_group,
        "key_questions": [
            (
                catalogue.questions[q],
                getattr(plan.key_questions, q, None) if plan.key_questions else None,
            )
            for q in ("brings", "when_needed", "costs", "decisions")
        ],
        "last_assessment": assessments[-1] if assessments else None,
        "risks_summary": risk_selectors.dashboard_summary(project, today),
        "costs_summary": cost_selectors.dashboard_summary(project, user=request.user),
        "people_summary": people_selectors.dashboard_summary(
            project, user=request.user, today=today
        ),
        "ledger_summary": ledger_selectors.dashboard_summary(
            project, user=request.user, today=today
        ),
        "decisions_summary": decision_selectors.dashboard_summary(
            project, user=request.user, today=today
        ),
        "participation_summary": participation_selectors.dashboard_summary(
            project, user=request.user
        ),
    }


def _stage_rows(result, catalogue):  # type: ignore[no-untyped-def]
    return [
        {
            "label": catalogue.stages[finding.stage].label,
            "chosen": catalogue.levels[finding.chosen_level].label
            if finding.chosen_level
            else None,
            "recommended": (
                catalogue.levels[finding.recommended_level].label
                if finding.recommended_level
                else None
            ),
            "differs": finding.note is not None,
            "risks": len(finding.risks),
        }
        for finding in result.stages
    ]


@login_required
def project_partner_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for(request, pk, "projects.view_partner_view", with_plan=True)
    plan = selectors.project_plan(project=project)
    catalogue = default_catalogue()
    place = selectors.partner_place(project=project, user=request.user)
    own_stages = {stage for entry in place.entries for stage in entry.stages}
    stages = [
        {
            "stage": catalogue.stages[stage],
            "level": catalogue.levels[stage_plan.level],
            "groups": [catalogue.groups[g].label for g in stage_plan.groups],
            "strategy": stage_plan.strategy,
            "yours": stage.value in own_stages,
        }
        for stage, stage_plan in plan.stages.items()
    ]
    return render_project(
        request,
        "projects/partner_view.html",
        project,
        {
            "plan": plan,
            "catalogue": catalogue,
            "place": place,
            "others": [
                (catalogue.groups[group].label, count)  # type: ignore[index]
                for group, count in sorted(place.others_by_group.items())
            ],
            "aims": [(catalogue.motivations[a.motivation], a) for a in plan.aims],
            "stages": stages,
            "decision_rule_label": RULE_LABELS.get(project.decision_rule, ""),
            "own_stage_labels": [
                stage.label for stage in catalogue.stages.values() if stage.id.value in own_stages
            ],
            "people_summary": people_selectors.dashboard_summary(project, user=request.user),
            "ledger_own": ledger_selectors.partner_summary(project, user=request.user),
            "decisions_partner": decision_selectors.partner_summary(
                project, user=request.user, today=timezone.localdate()
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for(request, pk, "projects.change_plan")
    form = GovernanceForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["has_governance"] = True
        fields["has_dissemination_agreement"] = True
        fields["has_ethics"] = True
        services.project_update(project=project, **fields)
        messages.success(request, _("Saved."))
        return redirect("project_plan_edit", project.pk)
    status = 400 if form.is_bound else 200
    return render_project(
        request, "projects/plan_edit.html", project, {"form": form}, status=status
    )


@login_required
def project_export(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for(request, pk, "projects.export_plan", with_plan=True)
    plan = selectors.project_plan(project=project)
    response = HttpResponse(
        PLAN_HEADER + plan_to_yaml(plan), content_type="application/yaml; charset=utf-8"
    )
    filename = slugify(project.title)[:60] or "plan"
    response["Content-Disposition"] = f'attachment; filename="{filename}.yaml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def project_replace(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for(request, pk, "projects.replace_plan")
    catalogue = cost_selectors.project_catalogue(project=project)
    form = PlanUploadForm(request.POST or None, request.FILES or None, catalogue=catalogue)
    if request.method == "POST" and form.is_valid() and form.loaded is not None:
        services.project_replace_plan(project=project, plan=form.loaded.plan)
        messages.success(request, _("The plan was replaced from the file."))
        return redirect("project_dashboard", project.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render_project(
        request, "projects/project_replace.html", project, {"form": form}, status=status
    )


@login_required
def guidance(request: HttpRequest) -> HttpResponse:
    """Every rule Coprod applies, with the passage it comes from."""
    catalogue = default_catalogue()
    return render(
        request,
        "projects/guidance.html",
        {
            "catalogue": catalogue,
            "rules": catalogue.rules.values(),
            "criteria": catalogue.criteria.values(),
        },
    )

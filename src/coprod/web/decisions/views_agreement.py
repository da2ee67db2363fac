"""The dissemination agreement (SPEC C7), under /projects/<pk>/decisions/agreement/.

The agreement's terms are the project's own fields (written through
:func:`coprod.web.projects.services.project_update`); its lines are who may publish what, with the
partners' review (comment by default, a veto only if the agreement says so), the review window,
an embargo and a note. Where each line stands today is the core's
:func:`~coprod.core.decisions.publication_status`; the warnings are the decision aid's own, from
:func:`coprod.core.assess.assess` on the plan with these lines in it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.web.decisions import selectors, services
from coprod.web.decisions.forms import AgreementForm, RightForm
from coprod.web.decisions.permissions import decision_permissions
from coprod.web.decisions.view_helpers import (
    decisions_project,
    refused,
    render_decisions,
    require,
)
from coprod.web.projects.models import Project


def _agreement_initial(project: Project) -> dict[str, Any]:
    return {
        "researchers_may_publish_unwelcome": project.researchers_may_publish_unwelcome,
        "stakeholders_can_block": project.stakeholders_can_block,
        "review_window_days": project.review_window_days,
        "embargo_until": project.embargo_until,
    }


def _page(
    request: HttpRequest,
    project: Project,
    *,
    terms_form: AgreementForm | None = None,
    line_form: RightForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    can_change = decision_permissions(request.user, project)["decisions.change_agreement"]
    if can_change:
        terms_form = terms_form or AgreementForm(
            prefix="terms", initial=_agreement_initial(project)
        )
        line_form = line_form or RightForm(prefix="line")
    bad = [form for form in (terms_form, line_form) if form is not None and form.errors]
    return render_decisions(
        request,
        "decisions/agreement.html",
        project,
        {
            "agreement": selectors.agreement_view(project, today),
            "terms_form": terms_form,
            "line_form": line_form,
            "bad_forms": bad,
            "today": today,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement; POST saves its terms (``save_terms``) or adds a line (``add_line``)."""
    project = decisions_project(request, pk, "decisions.view_agreement")
    if request.method == "GET":
        return _page(request, project)
    require(request, project, "decisions.change_agreement")
    if "add_line" in request.POST:
        line_form = RightForm(request.POST, prefix="line")
        if line_form.is_valid():
            try:
                services.publication_right_create(project=project, **line_form.values())
            except ValidationError as error:
                refused(line_form, error)
            else:
                messages.success(request, _("Line added to the agreement."))
                return redirect(reverse("agreement", args=[project.pk]) + "#lines")
        return _page(request, project, line_form=line_form, status=400)
    terms_form = AgreementForm(request.POST, prefix="terms")
    if terms_form.is_valid():
        try:
            services.agreement_update(project=project, **terms_form.cleaned_data)
        except ValidationError as error:
            refused(terms_form, error)
        else:
            messages.success(request, _("The agreement's terms are saved."))
            return redirect("agreement", project.pk)
    return _page(request, project, terms_form=terms_form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_line_edit(request: HttpRequest, pk: int, right_id: int) -> HttpResponse:
    """Change a line of the agreement, or remove it."""
    project = decisions_project(request, pk, "decisions.change_agreement")
    right = selectors.right_get(project, right_id)
    if request.method == "POST" and "delete" in request.POST:
        services.publication_right_delete(right=right)
        messages.success(request, _("Line removed from the agreement."))
        return redirect(reverse("agreement", args=[project.pk]) + "#lines")
    initial = {
        name: getattr(right, name)
        for name in (
            "output",
            "who",
            "partner_review",
            "review_window_days",
            "embargo_until",
            "draft_shared_on",
            "note",
        )
    }
    form = RightForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.publication_right_update(right=right, **form.values())
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("agreement", args=[project.pk]) + f"#line-{right.pk}")
    return render_decisions(
        request,
        "decisions/line_edit.html",
        project,
        {"form": form, "right": right, "bad_forms": [form] if form.errors else []},
        status=400 if form.is_bound else 200,
    )

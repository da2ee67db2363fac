"""The decision log (SPEC C7), under /projects/<pk>/decisions/.

Each decision records what was decided, how (consensus, a vote with its counts, the lead, a
steering group), who took part and who disagreed, the contributions it answered and when to review
it. The core checks each record (:func:`coprod.core.decisions.decision_problems`); the document is
the formats' :func:`~coprod.formats.ledger_reports.decision_log_docx`.

Every member reads the log; a partner only the decisions shared with partners. Only the team sees
names: everyone else sees how many took part from each group, and whether they took part.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coprod.formats.ledger_reports import decision_log_docx
from coprod.web.decisions import selectors, services
from coprod.web.decisions.forms import DecisionForm, decision_initial
from coprod.web.decisions.models import Decision
from coprod.web.decisions.permissions import decision_permissions
from coprod.web.decisions.view_helpers import (
    decisions_project,
    download,
    file_stem,
    refused,
    render_decisions,
)
from coprod.web.projects.models import Project


def _form(project: Project, data: Any = None, **kwargs: Any) -> DecisionForm:
    return DecisionForm(
        data,
        people=selectors.roster(project),
        contributions=selectors.contributions(project),
        **kwargs,
    )


@login_required
@require_safe
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every decision the viewer may see, newest first, with reviews due flagged."""
    project = decisions_project(request, pk, "decisions.view_log")
    today = timezone.localdate()
    log = selectors.decision_log(project, user=request.user, today=today)
    return render_decisions(
        request,
        "decisions/list.html",
        project,
        {"log": log, "due": [view for view in log if view.review_due], "today": today},
    )


def _edit_page(
    request: HttpRequest,
    project: Project,
    form: DecisionForm,
    *,
    decision: Decision | None = None,
    status: int = 200,
) -> HttpResponse:
    return render_decisions(
        request,
        "decisions/edit.html",
        project,
        {
            "form": form,
            "decision": decision,
            "bad_forms": [form] if form.errors else [],
            "notes": form.notes,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision."""
    project = decisions_project(request, pk, "decisions.change_log")
    if request.method == "GET":
        form = _form(project, initial={"decided_on": timezone.localdate()})
        return _edit_page(request, project, form)
    form = _form(project, request.POST)
    if form.is_valid():
        try:
            decision = services.decision_create(project=project, user=request.user, **form.values())
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            for _field, note in form.notes:
                messages.info(request, note)
            return redirect("decision_detail", project.pk, decision.pk)
    return _edit_page(request, project, form, status=400)


@login_required
@require_safe
def decision_detail(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    """One decision in full, as the viewer may see it."""
    project = decisions_project(request, pk, "decisions.view_log")
    view = selectors.decision_get(
        project, decision_id, user=request.user, today=timezone.localdate()
    )
    return render_decisions(request, "decisions/detail.html", project, {"view": view})


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    """Change a decision, or delete one recorded in error."""
    project = decisions_project(request, pk, "decisions.change_log")
    decision = selectors.decision_row(project, decision_id)
    if request.method == "POST" and "delete" in request.POST:
        services.decision_delete(decision=decision)
        messages.success(request, _("Decision deleted. The record of changes keeps it."))
        return redirect("decision_list", project.pk)
    initial = decision_initial(decision)
    if request.method == "GET":
        return _edit_page(request, project, _form(project, initial=initial), decision=decision)
    form = _form(project, request.POST, initial=initial)
    if form.is_valid():
        try:
            services.decision_update(decision=decision, **form.values())
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("Saved."))
            for _field, note in form.notes:
                messages.info(request, note)
            return redirect("decision_detail", project.pk, decision.pk)
    return _edit_page(request, project, form, decision=decision, status=400)


@login_required
@require_safe
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision log as a Word document, with what this viewer may see in it."""
    project = decisions_project(request, pk, "decisions.view_log")
    names = decision_permissions(request.user, project)["decisions.view_names"]
    log = selectors.decision_log(project, user=request.user, today=timezone.localdate())
    content = decision_log_docx(
        [selectors.core_decision(view, names=names) for view in log], project_title=project.title
    )
    return download(content, file_stem(project, "decision-log.docx"))

"""The contribution ledger's pages (SPEC C6): the ledger, recording and submitting, deciding,
marking people told, the feedback setting, adoption by group and the exports.

Every figure is the core's (:mod:`coprod.core.contributions`): the views fetch rows through the
selectors, ask the services to write, and show what they get.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from coprod.core import contributions as core
from coprod.formats import safe_export
from coprod.web.costs.views import download, file_stem
from coprod.web.ledger import charts, selectors, services
from coprod.web.ledger.forms import (
    ContributionForm,
    DisposeForm,
    FilterForm,
    SettingsForm,
    SubmitForm,
    TextForm,
    ToldForm,
)
from coprod.web.ledger.labels import group_label
from coprod.web.ledger.models import Contribution
from coprod.web.ledger.permissions import is_own, ledger_permissions, shows_author
from coprod.web.ledger.view_helpers import ledger_project, render_ledger, require
from coprod.web.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def save_errors(form: Any, error: ValidationError) -> None:
    """A service's refusal shown beside the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# --- Adoption by group ----------------------------------------------------------------------------


def adoption_context(project: Project, result: core.AdoptionResult) -> dict[str, Any]:
    test = result.test
    return {
        "adoption": result,
        "adoption_rows": [
            {
                "group": row.group.value,
                "label": group_label(row.group.value),
                "adopted": row.adopted,
                "decided": row.decided,
                "not_adopted": row.not_adopted,
                "percent": row.percent,
            }
            for row in result.groups
        ],
        "adoption_test": test,
        "adoption_test_label": _test_label(test),
        "adoption_statistic": (
            None if test is None or test.statistic is None else f"{test.statistic:.2f}"
        ),
        "adoption_chart_url": reverse("contribution_adoption_chart", args=[project.pk]),
        "adoption_chart_alt": _chart_alt(result),
    }


def _test_label(test: core.TestResult | None) -> str:
    """The test's name in words (translated here; the core's label is English only)."""
    if test is None:
        return ""
    if test.method == "chi-square":
        return _("Chi-square test")
    if test.method == "fisher":
        return _("Fisher's exact test")
    return _(
        "Fisher's exact test for several groups, estimated from %(resamples)s random tables"
    ) % {"resamples": f"{test.resamples or 0:,}"}


def _chart_alt(result: core.AdoptionResult) -> str:
    parts = [
        _("%(group)s: %(percent)s%% of %(decided)s adopted")
        % {
            "group": group_label(row.group.value),
            "percent": row.percent,
            "decided": row.decided,
        }
        for row in result.groups
        if row.decided
    ]
    if not parts:
        return _("Bar chart: no contribution has been decided yet.")
    return _(
        "Bar chart of the share adopted by group. %(parts)s. The table below has the same figures."
    ) % {"parts": "; ".join(parts)}


@login_required
@require_safe
def adoption_chart(request: HttpRequest, pk: int) -> HttpResponse:
    project = ledger_project(request, pk, "ledger.view_ledger")
    png = charts.adoption_png(selectors.adoption(project), _("Share adopted, by group"))
    return HttpResponse(png, content_type="image/png")


# --- The ledger -----------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.Filters(
            disposition=data["disposition"],
            group=data["group"],
            kind=data["kind"],
            overdue=data["overdue"],
            activity=data["activity"],
        )
    return form, selectors.Filters()


def _ledger_page(
    request: HttpRequest,
    project: Project,
    *,
    told_form: ToldForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    filter_form, filters = _filters(request)
    rows = selectors.ledger_rows(project, user=request.user, today=today, filters=filters)
    allowed = ledger_permissions(request.user, project)
    totals = selectors.totals(project, today=today) if allowed["ledger.view_all"] else None
    query = request.GET.urlencode()
    return render_ledger(
        request,
        "ledger/contribution_list.html",
        project,
        {
            "rows": rows,
            "filter_form": filter_form,
            "filters": filters,
            "totals": totals,
            "told_form": told_form,
            "today": today,
            "feedback_days": project.feedback_days,
            "export_query": f"?{query}" if query else "",
            "how_counted": core.HOW_COUNTED,
            **adoption_context(project, selectors.adoption(project)),
        },
        status=status,
    )


@login_required
@require_safe
def contribution_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every contribution this user may see, with filters, and adoption by group."""
    project = ledger_project(request, pk, "ledger.view_ledger")
    return _ledger_page(request, project)


@login_required
def contribution_told(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one or many contributors as told (on a date, today unless given). POST only; the
    permission is asked first, so outsiders get 404 here as everywhere."""
    project = ledger_project(request, pk, "ledger.record")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ids = list(
        Contribution.objects.filter(project=project, told_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    data = request.POST.copy()
    if not data.get("told_on"):
        data["told_on"] = timezone.localdate().isoformat()
    form = ToldForm(data, ids=ids)
    if form.is_valid():
        try:
            done = services.contributions_mark_told(
                project=project,
                by=request.user,
                ids=[int(value) for value in form.cleaned_data["told"]],
                told_on=form.cleaned_data["told_on"],
            )
        except ValidationError as error:
            save_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d contributor marked as told.",
                    "%(count)d contributors marked as told.",
                    len(done),
                )
                % {"count": len(done)},
            )
            return redirect(reverse("contribution_list", args=[project.pk]) + _back(request))
    return _ledger_page(request, project, told_form=form, status=400)


def _back(request: HttpRequest) -> str:
    """The filters the person was looking at, kept across a POST (only the ledger's own)."""
    keep = {
        key: request.POST[key]
        for key in ("disposition", "group", "kind", "overdue", "activity")
        if request.POST.get(key)
    }
    return f"?{urlencode(keep)}" if keep else ""


# --- Recording, submitting, changing --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contribution_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The team records a contribution on behalf of a person, a group, or anonymously."""
    project = ledger_project(request, pk, "ledger.record")
    form = ContributionForm(
        request.POST or None,
        people=selectors.roster(project),
        activities=selectors.activities(project),
        initial={"made_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.contribution_create(
                project=project, recorded_by=request.user, **form.values()
            )
        except ValidationError as error:
            save_errors(form, error)
        else:
            messages.success(request, _("Contribution recorded."))
            return redirect(
                reverse("contribution_list", args=[project.pk]) + f"#contribution-{contribution.pk}"
            )
    return render_ledger(
        request,
        "ledger/contribution_form.html",
        project,
        {"form": form, "heading": _("Record a contribution"), "button": _("Record it")},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner says something to the team: a plain, short form."""
    project = ledger_project(request, pk, "ledger.submit_own")
    person = selectors.own_person(project, request.user)
    form = SubmitForm(request.POST or None, activities=selectors.activities(project))
    if request.method == "POST":
        if person is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contribution_submit(
                    project=project,
                    user=request.user,
                    person=person,
                    text=data["text"],
                    kind=data["kind"],
                    today=timezone.localdate(),
                    anonymous=data["anonymous"],
                    leave_out_group=data["leave_out_group"],
                    activity=data["activity"],
                )
            except ValidationError as error:
                save_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. The team will consider it and you will see here what "
                        "became of it."
                    ),
                )
                return redirect("you_said_we_did_mine", project.pk)
    return render_ledger(
        request,
        "ledger/contribution_submit.html",
        project,
        {
            "form": form,
            "person": person,
            "group": group_label(person.group) if person else "",
            "feedback_days": project.feedback_days,
        },
        status=400 if form.is_bound else 200,
    )


def _contribution(request: HttpRequest, project: Project, contribution_id: int) -> Contribution:
    """A contribution this user may see; 404 for one they may not (as for one that is not there)."""
    row = selectors.contribution_get(project, contribution_id, today=timezone.localdate())
    if row is None:
        raise Http404
    allowed = ledger_permissions(request.user, project)
    if not (allowed["ledger.view_all"] or is_own(request.user, row)):
        raise Http404
    return row


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, pk: int, contribution_id: int) -> HttpResponse:
    """The team corrects the record; a partner rewords their own while it is pending."""
    project = ledger_project(request, pk, "ledger.view_ledger")
    contribution = _contribution(request, project, contribution_id)
    allowed = ledger_permissions(request.user, project)
    if allowed["ledger.record"]:
        form: Any = ContributionForm(
            request.POST or None,
            people=selectors.roster(project),
            activities=selectors.activities(project),
            keep_anonymous=contribution.anonymous,
            initial=ContributionForm.initial_for(contribution),
        )
    elif allowed["ledger.submit_own"] and is_own(request.user, contribution):
        if contribution.disposition != "pending":
            raise PermissionDenied
        form = TextForm(request.POST or None, initial={"text": contribution.text})
    else:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, ContributionForm):
                services.contribution_update(
                    contribution=contribution, by=request.user, **form.values()
                )
            else:
                services.contribution_edit_text(
                    contribution=contribution, by=request.user, text=form.cleaned_data["text"]
                )
        except ValidationError as error:
            save_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if isinstance(form, TextForm):
                return redirect("you_said_we_did_mine", project.pk)
            return redirect(
                reverse("contribution_list", args=[project.pk]) + f"#contribution-{contribution.pk}"
            )
    return render_ledger(
        request,
        "ledger/contribution_form.html",
        project,
        {
            "form": form,
            "contribution": contribution,
            "who": selectors.who_text(
                contribution, named=shows_author(request.user, project, contribution)
            ),
            "heading": _("Change a contribution"),
            "button": _("Save"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_dispose(request: HttpRequest, pk: int, contribution_id: int) -> HttpResponse:
    """What became of a contribution, why, what it changed, and when the contributor was told."""
    project = ledger_project(request, pk, "ledger.view_ledger")
    contribution = _contribution(request, project, contribution_id)
    require(request, project, "ledger.record")
    form = DisposeForm(
        request.POST or None,
        initial={
            "disposition": contribution.disposition,
            "reason": contribution.reason,
            "changed": contribution.changed,
            "disposed_on": contribution.disposed_on or timezone.localdate(),
            "told_on": contribution.told_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_dispose(
                contribution=contribution,
                by=request.user,
                disposition=data["disposition"],
                reason=data["reason"],
                changed=data["changed"],
                disposed_on=data["disposed_on"],
                told_on=data["told_on"],
            )
        except ValidationError as error:
            save_errors(form, error)
        else:
            messages.success(request, _("Saved what became of it."))
            return redirect(
                reverse("contribution_list", args=[project.pk]) + f"#contribution-{contribution.pk}"
            )
    row = selectors.ledger_row(
        contribution, user=request.user, project=project, today=timezone.localdate()
    )
    return render_ledger(
        request,
        "ledger/contribution_dispose.html",
        project,
        {"form": form, "row": row, "contribution": contribution},
        status=400 if form.is_bound else 200,
    )


# --- Settings -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ledger_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead sets how many days contributors should wait at most to hear back."""
    project = ledger_project(request, pk, "ledger.change_settings")
    form = SettingsForm(request.POST or None, initial={"feedback_days": project.feedback_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.ledger_settings_update(
                project=project, feedback_days=form.cleaned_data["feedback_days"]
            )
        except ValidationError as error:
            save_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("contribution_list", project.pk)
    return render_ledger(
        request,
        "ledger/settings.html",
        project,
        {"form": form},
        status=400 if form.is_bound else 200,
    )


# --- Exports --------------------------------------------------------------------------------------


def _export_rows(request: HttpRequest, project: Project) -> list[list[Any]]:
    _form, filters = _filters(request)
    rows = selectors.ledger_rows(
        project, user=request.user, today=timezone.localdate(), filters=filters
    )
    return selectors.export_rows(rows)


@login_required
@require_safe
def ledger_csv(request: HttpRequest, pk: int) -> HttpResponse:
    project = ledger_project(request, pk, "ledger.view_ledger")
    content = safe_export.table_csv(selectors.EXPORT_HEADERS, _export_rows(request, project))
    return download(content, "text/csv; charset=utf-8", file_stem(project, "contributions.csv"))


@login_required
@require_safe
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = ledger_project(request, pk, "ledger.view_ledger")
    content = safe_export.table_xlsx(
        selectors.EXPORT_HEADERS, _export_rows(request, project), title=_("Contributions")
    )
    return download(content, XLSX, file_stem(project, "contributions.xlsx"))

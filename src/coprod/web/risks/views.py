"""Risk register pages (C3), under /projects/<pk>/risks/.

The register is the core's (:func:`coprod.core.risks.risk_register`): the team's risks with the
risks Coprod proposes from Table 1 and the paper's project-wide costs for the stages and levels
the plan chose. When someone who may change the register opens it, the proposals not yet stored
are stored as ``proposed`` so that each can be accepted, edited or dismissed with a reason; the
core never proposes again a risk the team has already taken up or dismissed.

Every member may read the register; only the lead and researchers change it. Owners, and the
person or group who bears a risk, are shown only to those who may see personal data.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coprod.formats.risk_reports import heat_map_description, heat_map_png, risk_register_xlsx
from coprod.web.projects.models import Project
from coprod.web.projects.permissions import permissions_for
from coprod.web.projects.view_helpers import project_for, render_project
from coprod.web.risks import display, selectors, services
from coprod.web.risks.forms import AcceptForm, DismissForm, RiskForm, risk_initial
from coprod.web.risks.models import STATUSES, ProjectRisk
from coprod.web.risks.permissions import risk_permissions_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_TAKEN = ""  # the register's default filter: every risk the team has taken up


# --- What every page shares ---------------------------------------------------------------------


def _project(
    request: HttpRequest, pk: int, permission: str = "risks.view_register", **kwargs: Any
) -> Project:
    """The project, if the user may do this with its register: outsiders 404, others 403."""
    project = project_for(request, pk, **kwargs)
    if not risk_permissions_for(request.user, project)[permission]:
        raise PermissionDenied
    return project


def _can(request: HttpRequest, project: Project) -> dict[str, bool]:
    return {
        "change": risk_permissions_for(request.user, project)["risks.change_register"],
        "people": permissions_for(request.user, project)["projects.view_personal_data"],
    }


def _render(
    request: HttpRequest,
    template: str,
    project: Project,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    return render_project(
        request,
        template,
        project,
        {"risk_can": _can(request, project), **context},
        status=status,
    )


def _register_url(project: Project, anchor: str = "") -> str:
    return reverse("risk_list", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _file_name(project: Project, suffix: str) -> str:
    return f"{slugify(project.title)[:60] or 'project'}-{suffix}"


# --- The register --------------------------------------------------------------------------------


@dataclasses.dataclass
class Bound:
    """A form posted with problems, to show again where it was, with its errors."""

    kind: str  # "accept", "dismiss" or "new"
    form: Any
    risk_id: int | None = None


def _status_filter(request: HttpRequest) -> str:
    value = request.GET.get("status", ALL_TAKEN)
    return value if value in STATUSES else ALL_TAKEN


def _register_page(
    request: HttpRequest,
    project: Project,
    *,
    register: selectors.Register | None = None,
    bound: Bound | None = None,
    status: int = 200,
) -> HttpResponse:
    register = register or selectors.register_for(project)
    catalogue = register.catalogue
    can = _can(request, project)
    today = timezone.localdate()

    def view(line: selectors.Line) -> display.RiskView:
        return display.describe(line, catalogue, show_people=can["people"], today=today)

    def form_for(kind: str, pk: int | None, make: Any) -> Any:
        if bound is not None and bound.kind == kind and bound.risk_id == pk:
            return bound.form
        return make()

    proposals = []
    for line in register.proposals:
        item = view(line)
        pk = item.pk
        proposals.append(
            {
                "risk": item,
                "accept": form_for("accept", pk, lambda pk=pk: AcceptForm(prefix=f"accept-{pk}")),
                "dismiss": form_for(
                    "dismiss", pk, lambda pk=pk: DismissForm(prefix=f"dismiss-{pk}")
                ),
            }
        )
    shown = _status_filter(request)
    taken = [line for line in register.lines if not line.proposed]
    listed = (
        [line for line in register.lines if line.entry.risk.status == shown] if shown else taken
    )
    entries = register.entries
    counts = selectors.heat_counts(entries)
    filters = [
        {"value": ALL_TAKEN, "label": _("All risks in the register"), "count": len(taken)},
        *[
            {
                "value": value,
                "label": display.status_label(value),
                "count": sum(1 for line in register.lines if line.entry.risk.status == value),
            }
            for value in STATUSES
        ],
    ]
    new_form = form_for(
        "new",
        None,
        lambda: RiskForm(prefix="new", catalogue=catalogue, initial={"status": "open"}),
    )
    bad_forms = [bound.form] if bound is not None and bound.form.errors else []
    return _render(
        request,
        "risks/register.html",
        project,
        {
            "proposals": proposals,
            "unstored": len(register.unseeded),
            "rows": [view(line) for line in listed],
            "filters": filters,
            "shown": shown,
            "shown_label": display.status_label(shown) if shown else "",
            "new_form": new_form,
            "due": [view(line) for line in selectors.due_for_review(register, today)],
            "heat_rows": display.heat_rows(counts),
            "impact_columns": display.impact_columns(),
            "heat_total": sum(map(sum, counts)),
            "heat_description": heat_map_description(entries),
            "heat_version": project.version,
            "cost_types": [
                {
                    "entry": entry,
                    "citation": catalogue.cite(entry.source),
                    "bears": display.bearer_names(catalogue, entry.bears),
                }
                for entry in catalogue.cost_types.values()
            ],
            "status_help": [
                (display.status_label(value), display.STATUS_HELP[value]) for value in STATUSES
            ],
            "bad_forms": bad_forms,
            "today": today,
        },
        status=status,
    )


@login_required
@require_safe
def risk_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The register: risks to review, the team's risks, reviews due and the heat map."""
    project = _project(request, pk, with_plan=True)
    register = selectors.register_for(project)
    if register.unseeded and _can(request, project)["change"]:
        # Store what the core proposes, once, so that each proposal can be reviewed.
        services.risk_seed_proposals(project=project)
        register = selectors.register_for(project, register.catalogue)
    return _register_page(request, project, register=register)


def _risk_for_change(request: HttpRequest, pk: int, risk_id: int) -> tuple[Project, ProjectRisk]:
    project = _project(request, pk, "risks.change_register", with_plan=True)
    return project, selectors.risk_get(project=project, risk_id=risk_id)


def _refused(form: Any, error: ValidationError) -> None:
    """Put the services' objections on the form: beside a field where they name one."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def risk_accept(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    """Take a proposed risk into the register, rated now or later."""
    project, risk = _risk_for_change(request, pk, risk_id)
    form = AcceptForm(request.POST, prefix=f"accept-{risk.pk}")
    if form.is_valid():
        try:
            services.risk_accept(risk=risk, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Accepted into the register: %(risk)s") % {"risk": risk})
            return redirect(_register_url(project, "proposals"))
    bound = Bound("accept", form, risk.pk)
    return _register_page(request, project, bound=bound, status=400)


@login_required
@require_POST
def risk_dismiss(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    """Dismiss a risk with the team's reason; without one, nothing is saved."""
    project, risk = _risk_for_change(request, pk, risk_id)
    form = DismissForm(request.POST, prefix=f"dismiss-{risk.pk}")
    if form.is_valid():
        try:
            services.risk_dismiss(risk=risk, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Dismissed: %(risk)s") % {"risk": risk})
            return redirect(_register_url(project, "proposals"))
    bound = Bound("dismiss", form, risk.pk)
    return _register_page(request, project, bound=bound, status=400)


@login_required
@require_POST
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a risk of the team's own."""
    project = _project(request, pk, "risks.change_register", with_plan=True)
    form = RiskForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            risk = services.risk_create(project=project, **form.values())
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Risk added: %(risk)s") % {"risk": risk})
            return redirect(_register_url(project, f"risk-{risk.pk}"))
    return _register_page(request, project, bound=Bound("new", form), status=400)


# --- One risk ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def risk_detail(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    """One risk in full, its history, and (for the team) the form to change it."""
    permission = "risks.change_register" if request.method == "POST" else "risks.view_register"
    project = _project(request, pk, permission, with_plan=True)
    risk = selectors.risk_get(project=project, risk_id=risk_id)
    can = _can(request, project)
    form = None
    if can["change"]:
        form = RiskForm(
            request.POST if request.method == "POST" else None,
            initial=risk_initial(risk),
            allow_proposed=risk.status == "proposed",
        )
        if form.is_bound and form.is_valid():
            try:
                services.risk_update(risk=risk, **form.values())
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("risk_detail", project.pk, risk.pk)
    register = selectors.register_for(project)
    line = next(line for line in register.lines if line.row is not None and line.row.pk == risk.pk)
    item = display.describe(line, register.catalogue, show_people=can["people"])
    history = display.history_items(
        selectors.risk_history(risk=risk), register.catalogue, show_people=can["people"]
    )
    return _render(
        request,
        "risks/detail.html",
        project,
        {
            "risk": item,
            "form": form,
            "bad_forms": [form] if form is not None and form.errors else [],
            "history": history,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


# --- Downloads -----------------------------------------------------------------------------------


def _entries_for(request: HttpRequest, project: Project) -> tuple[Any, list[Any]]:
    """The register's entries, without people's names for those who may not see them."""
    register = selectors.register_for(project)
    entries = register.entries
    if not _can(request, project)["people"]:
        entries = [
            dataclasses.replace(
                entry, risk=entry.risk.model_copy(update={"owner": None, "bears_who": None})
            )
            for entry in entries
        ]
    return register, entries


@login_required
@require_safe
def risk_heat_map(request: HttpRequest, pk: int) -> HttpResponse:
    """The heat map as a PNG image, kept until a risk or the plan changes."""
    project = _project(request, pk, with_plan=True)
    key = ":".join(
        str(part)
        for part in ("risk-heat-map", project.pk, project.created_at.timestamp(), project.version)
    )
    image = cache.get(key)
    if image is None:
        _register, entries = _entries_for(request, project)
        image = heat_map_png(entries, title=project.title)
        cache.set(key, image, timeout=3600)
    response = HttpResponse(image, content_type="image/png")
    if request.GET.get("download"):
        name = _file_name(project, "risk-heat-map.png")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, max_age=0)
    return response


@login_required
@require_safe
def risk_register_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The register as an XLSX workbook: one row per risk, and the heat map as a sheet."""
    project = _project(request, pk, with_plan=True)
    register, entries = _entries_for(request, project)
    workbook = risk_register_xlsx(
        entries, register.catalogue, title=project.title, today=timezone.localdate()
    )
    response = HttpResponse(workbook, content_type=XLSX)
    name = _file_name(project, "risk-register.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

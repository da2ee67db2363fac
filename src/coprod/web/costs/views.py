"""Costs pages: the budget and its downloads, rate cards, and spreadsheet imports (SPEC C4).

Every figure comes from the core: :func:`coprod.core.costs.budget` prices the lines and totals
them; the downloads are the formats' :func:`budget_xlsx` and :func:`budget_docx`. The views only
fetch rows, ask the core, and show what it says.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from coprod.core import costs as core
from coprod.core.catalogue import default_catalogue
from coprod.core.problems import Problem
from coprod.formats import budget_reports
from coprod.formats.spreadsheet_import import columns_read, read_budget_lines, read_time_logs
from coprod.web.costs import selectors, services
from coprod.web.costs.forms import BudgetLineForm, ImportForm, RateCardForm, RateForm
from coprod.web.costs.labels import KIND_LABELS
from coprod.web.costs.models import TeamMember
from coprod.web.costs.permissions import costs_permissions
from coprod.web.costs.view_helpers import costs_project, find, render_costs, require
from coprod.web.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_stem(project: Project, suffix: str) -> str:
    return f"{slugify(project.title)[:60] or 'project'}-{suffix}"


# --- The budget -----------------------------------------------------------------------------------


def _budget_context(view: selectors.BudgetView) -> dict[str, Any]:
    groups = []
    if view.budget is not None:
        for kind in core.KINDS:
            lines = view.budget.lines_of(kind)
            if not lines:
                continue
            groups.append(
                {
                    "kind": kind,
                    "label": KIND_LABELS[kind],
                    "subtotal": view.budget.by_kind[kind],
                    "lines": [{"row": view.rows[line.index], "line": line} for line in lines],
                }
            )
    return {
        "view": view,
        "budget": view.budget,
        "currency": view.currency,
        "groups": groups,
        "unpriced": (
            [
                {"row": row, "problems": view.problems_of(index)}
                for index, row in enumerate(view.rows)
            ]
            if view.budget is None
            else []
        ),
        "general_problems": [p for p in view.problems if p.index is None],
        "check_rates": budget_reports.CHECK_RATES,
    }


def _budget_page(
    request: HttpRequest,
    project: Project,
    view: selectors.BudgetView,
    form: BudgetLineForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    allowed = costs_permissions(request.user, project)
    if form is None and allowed["costs.change_budget"]:
        form = BudgetLineForm(catalogue=view.catalogue, others=view.lines, prefix="new")
    return render_costs(
        request,
        "costs/budget.html",
        project,
        {
            **_budget_context(view),
            "form": form,
            "bad_forms": [form] if form is not None and form.errors else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget by kind, how each line was priced, the totals; POST adds a line."""
    project = costs_project(request, pk, "costs.view_budget")
    if request.method == "POST":
        require(request, project, "costs.change_budget")
    view = selectors.budget_view(project=project)
    if request.method == "GET":
        return _budget_page(request, project, view)
    form = BudgetLineForm(request.POST, catalogue=view.catalogue, others=view.lines, prefix="new")
    if not form.is_valid() or form.line is None:
        return _budget_page(request, project, view, form, status=400)
    row = services.budget_line_create(project=project, line=form.line)
    messages.success(request, _("Budget line added."))
    return redirect(reverse("budget", args=[project.pk]) + f"#line-{row.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    """Change one budget line, or delete it."""
    project = costs_project(request, pk, "costs.change_budget")
    view = selectors.budget_view(project=project)
    row = find(view.rows, line_id)
    index = view.rows.index(row)
    if request.method == "POST" and "delete" in request.POST:
        services.budget_line_delete(row=row)
        messages.success(request, _("Budget line deleted."))
        return redirect("budget", project.pk)
    others = [line for position, line in enumerate(view.lines) if position != index]
    keep = {"standards": row.standards, "unit": row.unit if not row.rate_card else ""}
    form = BudgetLineForm(
        request.POST if request.method == "POST" else None,
        catalogue=view.catalogue,
        others=others,
        index=index,
        keep=keep,
        initial=BudgetLineForm.initial_for(view.lines[index]),
    )
    if request.method == "POST" and form.is_valid() and form.line is not None:
        services.budget_line_update(row=row, line=form.line)
        messages.success(request, _("Budget line saved."))
        return redirect(reverse("budget", args=[project.pk]) + f"#line-{row.pk}")
    return render_costs(
        request,
        "costs/line_edit.html",
        project,
        {
            "form": form,
            "row": row,
            "problems": view.problems_of(index),
            "bad_forms": [form] if form.errors else [],
        },
        status=400 if form.is_bound else 200,
    )


def _priced_budget(request: HttpRequest, pk: int) -> tuple[Project, core.Budget | None]:
    project = costs_project(request, pk, "costs.view_budget")
    view = selectors.budget_view(project=project)
    if view.budget is None:
        messages.error(
            request, _("The budget has problems, listed below. Fix them, then download it.")
        )
    return project, view.budget


@login_required
@require_safe
def budget_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget laid out as grant forms ask: a row per line, subtotals, the total."""
    project, priced = _priced_budget(request, pk)
    if priced is None:
        return redirect("budget", project.pk)
    content = budget_reports.budget_xlsx(priced, project.title)
    return download(content, XLSX, file_stem(project, "budget.xlsx"))


@login_required
@require_safe
def budget_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget section of a proposal, in DOCX."""
    project, priced = _priced_budget(request, pk)
    if priced is None:
        return redirect("budget", project.pk)
    content = budget_reports.budget_docx(priced, project.title)
    return download(content, DOCX, file_stem(project, "budget.docx"))


# --- Rate cards -----------------------------------------------------------------------------------


def _rate_cards_page(
    request: HttpRequest,
    project: Project,
    *,
    card_form: RateCardForm | None = None,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    catalogue = default_catalogue()
    allowed = costs_permissions(request.user, project)
    manage = allowed["costs.manage_rate_cards"] and project.organisation_id is not None
    cards = selectors.organisation_cards(organisation_id=project.organisation_id)
    shipped = [
        {
            "card": card,
            "citation": catalogue.cite(card.source),
            "url": catalogue.documents[card.source.document].url,
            "rates": sorted(card.rates, key=lambda rate: (rate.id, rate.valid_from)),
        }
        for card in catalogue.rate_cards.values()
    ]
    own = []
    for card in cards:
        form = None
        if manage:
            bound = rate_form is not None and rate_form.card.pk == card.pk
            form = rate_form if bound else RateForm(card=card, prefix=f"card-{card.pk}")
        entry = selectors.card_entry(card)
        own.append(
            {
                "card": card,
                "rates": list(card.rates.all()),
                "version": entry.version if entry else None,
                "form": form,
            }
        )
    if manage and card_form is None:
        card_form = RateCardForm(prefix="card", taken=[card.card_id for card in cards])
    return render_costs(
        request,
        "costs/rate_cards.html",
        project,
        {
            "shipped": shipped,
            "own": own,
            "card_form": card_form if manage else None,
            "manage": manage,
            "check_rates": budget_reports.CHECK_RATES,
            "bad_forms": [f for f in (card_form, rate_form) if f is not None and f.errors],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_cards(request: HttpRequest, pk: int) -> HttpResponse:
    """The shipped example cards with their sources, and the organisation's own. POST adds one."""
    project = costs_project(request, pk, "costs.view_budget")
    if request.method == "GET":
        return _rate_cards_page(request, project)
    require(request, project, "costs.manage_rate_cards")
    if project.organisation is None:
        raise PermissionDenied
    cards = selectors.organisation_cards(organisation_id=project.organisation_id)
    form = RateCardForm(request.POST, prefix="card", taken=[card.card_id for card in cards])
    if not form.is_valid():
        return _rate_cards_page(request, project, card_form=form, status=400)
    card = services.rate_card_create(organisation=project.organisation, **form.cleaned_data)
    messages.success(request, _("Rate card added. Now add its rates."))
    return redirect(reverse("costs_rate_cards", args=[project.pk]) + f"#card-{card.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def rate_add(request: HttpRequest, pk: int, card_id: int) -> HttpResponse:
    """A new amount of a rate, from a date. Amounts already saved are never changed.

    The form sits on the rate cards page; a GET goes there."""
    project = costs_project(request, pk, "costs.manage_rate_cards")
    cards = selectors.organisation_cards(organisation_id=project.organisation_id)
    card = find(cards, card_id)
    if request.method == "GET":
        return redirect(reverse("costs_rate_cards", args=[project.pk]) + f"#card-{card.pk}")
    form = RateForm(request.POST, card=card, prefix=f"card-{card.pk}")
    if not form.is_valid():
        return _rate_cards_page(request, project, rate_form=form, status=400)
    services.rate_add(card=card, **form.cleaned_data)
    messages.success(request, _("Rate added."))
    return redirect(reverse("costs_rate_cards", args=[project.pk]) + f"#card-{card.pk}")


# --- Spreadsheet import ---------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    what: str
    imported: int = 0
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _import_budget(project: Project, data: bytes, name: str, good_only: bool) -> ImportOutcome:
    view = selectors.budget_view(project=project)
    # Every row that can be read, so that the checks below name every bad row too.
    result = read_budget_lines(data, name, good_rows_only=True, catalogue=view.catalogue)
    outcome = ImportOutcome(
        "budget",
        rows_read=result.rows_read,
        problems=list(result.problems),
        ignored_columns=result.ignored_columns,
    )
    lines, numbers = list(result.rows), list(result.row_numbers)
    if lines:
        # The new lines with the budget as it stands: the core checks currencies across both.
        start = len(view.lines)
        bad: set[int] = set()
        try:
            core.budget([*view.lines, *lines], view.catalogue)
        except core.BudgetError as error:
            for problem in error.problems:
                if problem.index is not None and problem.index >= start:
                    offset = problem.index - start
                    bad.add(offset)
                    outcome.problems.append(
                        Problem(name, numbers[offset], None, problem.field or "", problem.message)
                    )
        lines = [line for offset, line in enumerate(lines) if offset not in bad]
    outcome.problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.path))
    if lines and (good_only or not outcome.problems):
        services.budget_lines_import(project=project, lines=lines)
        outcome.imported = len(lines)
    return outcome


def _import_time_logs(
    project: Project, data: bytes, name: str, good_only: bool, user: Any
) -> ImportOutcome:
    view = selectors.actuals_view(project=project)
    # Every row that can be read, so that the checks below name every bad row too.
    result = read_time_logs(data, name, good_rows_only=True)
    outcome = ImportOutcome(
        "time_logs",
        rows_read=result.rows_read,
        problems=list(result.problems),
        ignored_columns=result.ignored_columns,
    )
    by_name: dict[str, list[TeamMember]] = {}
    for member in view.members:
        by_name.setdefault(_name_key(member.name), []).append(member)
    found: list[tuple[int, TeamMember, core.TimeLog]] = []
    for number, log in zip(result.row_numbers, result.rows, strict=True):
        matches = by_name.get(_name_key(log.person), [])
        if len(matches) == 1:
            found.append((number, matches[0], log))
            continue
        message = (
            _("two people in the team are called %(name)s: log their time on the page instead")
            if matches
            else _(
                "%(name)s is not in the team: add them on the Team page first, or correct the name"
            )
        ) % {"name": log.person}
        outcome.problems.append(Problem(name, number, None, "person", message))
    # The core checks each rate against the card and the budget's currency.
    planned = view.budget.budget or core.Budget.of([], core.DEFAULT_CURRENCY)
    bad: set[int] = set()
    try:
        core.budget_vs_actuals(
            planned, time_logs=[log for _n, _m, log in found], catalogue=view.budget.catalogue
        )
    except core.BudgetError as error:
        for problem in error.problems:
            if problem.index is not None:
                bad.add(problem.index)
                number = found[problem.index][0]
                outcome.problems.append(
                    Problem(name, number, None, problem.field or "", problem.message)
                )
    good = [(member, log) for i, (_n, member, log) in enumerate(found) if i not in bad]
    if good and (good_only or not outcome.problems):
        services.time_logs_import(project=project, logs=good, created_by=user)
        outcome.imported = len(good)
    outcome.problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.path))
    return outcome


@login_required
@require_http_methods(["GET", "POST"])
def import_spreadsheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Budget lines or time logs from a spreadsheet: every bad row named, with its column;
    nothing imported until the file is clean, unless the user asks for the good rows only."""
    project = costs_project(request, pk, "costs.change_budget")
    form = ImportForm(request.POST or None, request.FILES or None, initial={"what": "time_logs"})
    outcome: ImportOutcome | None = None
    if request.method == "POST" and form.is_valid():
        what = form.cleaned_data["what"]
        upload = form.cleaned_data["spreadsheet"]
        data, name = upload.read(), upload.name
        good_only = form.cleaned_data["good_rows_only"]
        if what == "budget":
            outcome = _import_budget(project, data, name, good_only)
        else:
            require(request, project, "costs.change_actuals")
            outcome = _import_time_logs(project, data, name, good_only, request.user)
        if outcome.imported and not outcome.problems:
            messages.success(
                request,
                ngettext("%(count)d row imported.", "%(count)d rows imported.", outcome.imported)
                % {"count": outcome.imported},
            )
            target = "budget" if what == "budget" else "costs_actuals"
            return redirect(target, project.pk)
    failed = form.is_bound and (outcome is None or not outcome.imported)
    return render_costs(
        request,
        "costs/import.html",
        project,
        {
            "form": form,
            "outcome": outcome,
            "columns": {"time_logs": columns_read("time_logs"), "budget": columns_read("budget")},
            "kinds": [(kind, KIND_LABELS[kind]) for kind in core.KINDS],
            "bad_forms": [form] if form.errors else [],
        },
        status=400 if failed else 200,
    )

"""Importing a roster from a spreadsheet: upload, sheet, columns, preview, confirm.

Nothing is saved to the roster until the user confirms the preview, and then all in one
transaction: either every row chosen is saved, or none is.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coprod.formats.roster_import import ROSTER_FIELDS
from coprod.formats.tables import Table, read_table
from coprod.web.people import imports, selectors, services
from coprod.web.people.forms import MappingForm, RosterUploadForm, SheetForm
from coprod.web.people.models import RosterUpload
from coprod.web.people.view_helpers import people_project, render_people
from coprod.web.projects.models import Project

STEPS = ("upload", "sheet", "columns", "preview")


def _steps(current: str, *, sheets: bool) -> list[dict[str, object]]:
    labels = {
        "upload": _("Choose the file"),
        "sheet": _("Choose the sheet"),
        "columns": _("Match the columns"),
        "preview": _("Check and confirm"),
    }
    return [
        {"id": step, "label": labels[step], "current": step == current}
        for step in STEPS
        if step != "sheet" or sheets
    ]


def _project(request: HttpRequest, pk: int) -> Project:
    return people_project(request, pk, "people.change_roster")


def _lost(request: HttpRequest, project: Project) -> HttpResponse:
    messages.error(
        request,
        _(
            "The file is no longer kept (files are kept for a day, and only in one window). "
            "Upload it again."
        ),
    )
    return redirect("stakeholder_import", project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: the file. It is kept on the server, never sent back to the browser."""
    project = _project(request, pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["spreadsheet"]
        data = upload_file.read()
        upload = imports.upload_store(request, project, filename=upload_file.name, data=data)
        table = imports.upload_table(upload)
        if len(table.sheets) > 1:
            return redirect("stakeholder_import_sheet", project.pk)
        if table.ok:
            return redirect("stakeholder_import_mapping", project.pk)
        problems = list(table.problems)
        imports.upload_discard(request, project)
    return render_people(
        request,
        "people/import_upload.html",
        project,
        {
            "form": form,
            "problems": problems,
            "bad_forms": [form] if form.errors else [],
            "steps": _steps("upload", sheets=False),
            "fields": ROSTER_FIELDS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_import_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2, for workbooks of several sheets: which one holds the roster."""
    project = _project(request, pk)
    upload = imports.upload_for(request, project)
    if upload is None:
        return _lost(request, project)
    sheets = read_table(bytes(upload.data), upload.filename).sheets
    form = SheetForm(
        request.POST or None, sheets=sheets, initial={"sheet": upload.sheet or sheets[:1]}
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload.sheet = form.cleaned_data["sheet"]
        upload.mapping = {}
        table = imports.upload_table(upload)
        if table.ok:
            upload.save(update_fields=["sheet", "mapping"])
            return redirect("stakeholder_import_mapping", project.pk)
        problems = list(table.problems)
    return render_people(
        request,
        "people/import_sheet.html",
        project,
        {
            "form": form,
            "upload": upload,
            "problems": problems,
            "bad_forms": [form] if form.errors else [],
            "steps": _steps("sheet", sheets=True),
        },
        status=400 if request.method == "POST" else 200,
    )


def _mapping_form(request: HttpRequest, upload: RosterUpload, table: Table) -> MappingForm:
    mapping, default_group = imports.upload_mapping(upload, table)
    return MappingForm(
        request.POST if request.method == "POST" else None,
        headers=table.headers,
        letters=[table.column_letter(index) for index in range(len(table.headers))],
        samples=imports.column_samples(table),
        initial=MappingForm.initial_for(mapping, default_group),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: which column holds which detail, as guessed; the user may change each."""
    project = _project(request, pk)
    upload = imports.upload_for(request, project)
    if upload is None:
        return _lost(request, project)
    table = imports.upload_table(upload)
    if not table.ok:
        imports.upload_discard(request, project)
        return _lost(request, project)
    form = _mapping_form(request, upload, table)
    if request.method == "POST" and form.is_valid():
        upload.mapping = {
            "columns": form.mapping(),
            "default_group": form.cleaned_data.get("default_group") or "",
        }
        upload.save(update_fields=["mapping"])
        return redirect("stakeholder_import_preview", project.pk)
    columns = [
        {
            "letter": table.column_letter(index),
            "header": header,
            "sample": sample,
        }
        for index, (header, sample) in enumerate(
            zip(table.headers, imports.column_samples(table), strict=True)
        )
    ]
    return render_people(
        request,
        "people/import_mapping.html",
        project,
        {
            "form": form,
            "upload": upload,
            "table": table,
            "columns": columns,
            "bad_forms": [form] if form.errors else [],
            "steps": _steps("columns", sheets=len(table.sheets) > 1),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: what will be added, every problem, every duplicate and what to do with it.
    Confirming saves it all in one transaction, or nothing."""
    project = _project(request, pk)
    upload = imports.upload_for(request, project)
    if upload is None:
        return _lost(request, project)
    table = imports.upload_table(upload)
    if not table.ok or "columns" not in (upload.mapping or {}):
        return redirect("stakeholder_import_mapping", project.pk)
    mapping, default_group = imports.upload_mapping(upload, table)
    people = selectors.roster_people(project=project)
    view = imports.preview(project, table, mapping, default_group, people)
    error = ""
    for doubt in view.doubts:
        doubt.selected = request.POST.get(f"row_{doubt.entry.row}", imports.SKIP)
    if request.method == "POST":
        if not view.ok:
            error = _("The file has problems, listed below. Nothing was saved.")
        else:
            try:
                new, updates = imports.plan_changes(view, request.POST, default_group)
                if not new and not updates:
                    raise imports.ChoiceProblem(_("There is nobody to add or update."))
                added, changed = services.stakeholders_import(
                    project=project, new=new, updates=updates
                )
            except (imports.ChoiceProblem, ValidationError) as problem:
                text = problem.messages[0] if isinstance(problem, ValidationError) else str(problem)
                error = _("Nothing was saved: %(problem)s") % {"problem": text}
            else:
                imports.upload_discard(request, project)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person added to the roster.",
                        "%(count)d people added to the roster.",
                        len(added),
                    )
                    % {"count": len(added)}
                    + (
                        " "
                        + ngettext(
                            "%(count)d person updated.", "%(count)d people updated.", len(changed)
                        )
                        % {"count": len(changed)}
                        if changed
                        else ""
                    ),
                )
                return redirect("stakeholder_list", project.pk)
    return render_people(
        request,
        "people/import_preview.html",
        project,
        {
            "upload": upload,
            "view": view,
            "error": error,
            "default_group": selectors.group_label(default_group) if default_group else "",
            "group_label": selectors.group_label,
            "steps": _steps("preview", sheets=len(table.sheets) > 1),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget the file: nothing was saved, and the file is deleted from the server. (A GET, from
    a link followed by mistake, deletes nothing and goes back to the start of the import.)"""
    project = _project(request, pk)
    if request.method == "GET":
        return redirect("stakeholder_import", project.pk)
    imports.upload_discard(request, project)
    messages.success(request, _("Import cancelled. Nothing was saved, and the file was deleted."))
    return redirect("stakeholder_list", project.pk)

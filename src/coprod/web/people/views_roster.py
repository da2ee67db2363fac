"""The roster: everyone involved, by group, with what they bring; adding, changing, removing
people; downloading the roster (SPEC C5)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coprod.formats.safe_export import ExportCell, table_csv, table_xlsx
from coprod.web.costs import selectors as costs_selectors
from coprod.web.people import selectors, services
from coprod.web.people.forms import GroupFilterForm, StakeholderForm
from coprod.web.people.view_helpers import people_project, render_people, require, url_if_exists
from coprod.web.projects import selectors as project_selectors
from coprod.web.projects.models import Project, Stakeholder

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


@login_required
@require_safe
def stakeholder_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone on the roster (the team), or counts by group and one's own entry (anyone else)."""
    project = people_project(request, pk, "people.view_roster")
    filter_form = GroupFilterForm(request.GET or None)
    group = filter_form.cleaned_data["group"] if filter_form.is_valid() else ""
    roster = selectors.stakeholder_list(project=project, user=request.user, group=group)
    return render_people(
        request,
        "people/roster.html",
        project,
        {
            "roster": roster,
            "filter_form": filter_form,
            "filtered_group": selectors.group_label(group) if group else "",
        },
    )


def _accounts(project: Project) -> list[tuple[int, str]]:
    """The project's members, who may be linked to a person on the roster (one query)."""
    return [
        (membership.user_id, str(membership.user))
        for membership in project_selectors.member_list(project=project)
    ]


def _taken_accounts(project: Project, person: Stakeholder | None) -> dict[int, str]:
    """Accounts already linked to someone else on the roster (one query)."""
    rows = Stakeholder.objects.filter(project=project, user__isnull=False)
    if person is not None:
        rows = rows.exclude(pk=person.pk)
    return dict(rows.values_list("user_id", "name"))


def _form(
    request: HttpRequest, project: Project, person: Stakeholder | None = None
) -> StakeholderForm:
    return StakeholderForm(
        request.POST if request.method == "POST" else None,
        accounts=_accounts(project),
        taken_accounts=_taken_accounts(project, person),
        members=costs_selectors.team_members(project=project),
        instance=person,
    )


def _save(
    request: HttpRequest, project: Project, form: StakeholderForm, person: Stakeholder | None
) -> Stakeholder:
    values = form.values()
    with transaction.atomic():
        if person is None:
            person = services.stakeholder_create(project=project, **values)
        else:
            person = services.stakeholder_update(person=person, **values)
        services.stakeholder_link_team_member(
            person=person, member=form.cleaned_data.get("team_member"), created_by=request.user
        )
    return person


def _person_page(
    request: HttpRequest,
    project: Project,
    form: StakeholderForm,
    person: Stakeholder | None,
) -> HttpResponse:
    return render_people(
        request,
        "people/stakeholder_form.html",
        project,
        {
            "form": form,
            "person": person,
            "bad_forms": [form] if form.errors else [],
            "erase_url": (
                url_if_exists("stakeholder_erase", project.pk, person.pk) if person else None
            ),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = people_project(request, pk, "people.change_roster")
    form = _form(request, project)
    if request.method == "POST" and form.is_valid():
        try:
            person = _save(request, project, form, None)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s added to the roster.") % {"name": person.name})
            return redirect(reverse("stakeholder_list", args=[project.pk]) + f"#person-{person.pk}")
    return _person_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, pk: int, stakeholder_id: int) -> HttpResponse:
    """Change someone's details or consent, or remove someone who has no records."""
    project = people_project(request, pk, "people.change_roster")
    person = selectors.stakeholder_get(project=project, stakeholder_id=stakeholder_id)
    if person.erased_at is not None:
        raise Http404
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.stakeholder_delete(person=person)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("stakeholder_edit", project.pk, person.pk)
        messages.success(request, _("%(name)s removed from the roster.") % {"name": person.name})
        return redirect("stakeholder_list", project.pk)
    form = _form(request, project, person)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, project, form, person)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            erased = []
            if "contact_consent" in form.withdrawn:
                erased.append(_("their contact details"))
            if "demographics_consent" in form.withdrawn:
                erased.append(_("their gender and ethnicity"))
            if erased:
                messages.success(
                    request,
                    _("Saved. %(name)s withdrew their consent, so %(what)s were erased.")
                    % {"name": person.name, "what": _(" and ").join(erased)},
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(reverse("stakeholder_list", args=[project.pk]) + f"#person-{person.pk}")
    return _person_page(request, project, form, person)


# --- Downloads ------------------------------------------------------------------------------------


def export_table(people: list[Stakeholder]) -> tuple[list[str], list[list[ExportCell]]]:
    """The roster as the team may see it: everything but gender and ethnicity, which stay in
    Coprod. The headers are those the import reads, so a downloaded roster imports again."""
    headers = [
        _("Name"),
        _("Stakeholder group"),
        _("Organisation"),
        _("Role in the project"),
        _("What they bring"),
        _("Stages"),
        _("Consent to be contacted"),
        _("E-mail"),
        _("Phone"),
        _("Access needs"),
        _("Other names"),
        _("Date joined"),
    ]
    rows: list[list[ExportCell]] = [
        [
            person.name,
            selectors.group_label(person.group),
            person.organisation,
            person.role,
            person.brings,
            "; ".join(selectors.stage_label(stage) for stage in person.stages),
            _("yes") if person.contact_consent else _("no"),
            person.email,
            person.phone,
            person.access_needs,
            "; ".join(person.aliases),
            person.joined,
        ]
        for person in people
        if person.erased_at is None
    ]
    return headers, rows


def _download(request: HttpRequest, pk: int, suffix: str) -> tuple[Project, list[str], list[Any]]:
    project = people_project(request, pk, "people.export_roster")
    require(request, project, "people.view_people_data")
    roster = selectors.stakeholder_list(project=project, user=request.user)
    headers, rows = export_table(roster.people)
    return project, headers, rows


def _filename(project: Project, extension: str) -> str:
    stem = slugify(project.title)[:60] or "project"
    return f"{stem}-roster-{timezone.localdate().isoformat()}.{extension}"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def stakeholder_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    project, headers, rows = _download(request, pk, "csv")
    return _attachment(table_csv(headers, rows), CSV, _filename(project, "csv"))


@login_required
@require_safe
def stakeholder_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project, headers, rows = _download(request, pk, "xlsx")
    content = table_xlsx(headers, rows, title=_("Roster"))
    return _attachment(content, XLSX, _filename(project, "xlsx"))

"""Participation pages, under /projects/<pk>/participation/: who is heard in meetings."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coprod.core.catalogue import default_catalogue
from coprod.core.participation_flags import SOURCE
from coprod.core.problems import FileProblems, Problem
from coprod.web.participation import selectors, services
from coprod.web.participation.charts import bars_png, trend_png
from coprod.web.participation.forms import NOT_ON_ROSTER, ConfirmForm, SpeakerNameForm, UploadForm
from coprod.web.participation.labels import format_label
from coprod.web.participation.models import MeetingBalance, SpeakerName
from coprod.web.participation.permissions import participation_permissions
from coprod.web.participation.summary import meeting_summary, percent
from coprod.web.projects.models import Project
from coprod.web.projects.view_helpers import Section

# The pages of who is heard have no menu of their own: they sit under the project's entry.
SECTION = Section(name="participation", permissions=participation_permissions, menu=())
participation_project = SECTION.project
render_participation = SECTION.render


def _meeting(project: Project, activity_id: int) -> MeetingBalance:
    meeting = (
        MeetingBalance.objects.filter(project=project, activity_id=activity_id)
        .select_related("activity", "project")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _png(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- Across meetings --------------------------------------------------------------------------


@login_required
@require_safe
def participation_overview(request: HttpRequest, pk: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.view")
    view = selectors.overview(project=project, user=request.user)
    return render_participation(
        request,
        "participation/overview.html",
        project,
        {
            "view": view,
            "source": SOURCE,
            "citation": default_catalogue().cite(SOURCE),
            "trend_alt": trend_alt(view),
            "unanalysed": selectors.unanalysed_activities(project=project)
            if participation_permissions(request.user, project)["participation.change"]
            else [],
        },
    )


def trend_alt(view: selectors.Overview) -> str:
    words = [_("Line chart of each group's share of the words, meeting by meeting.")]
    for label, flag in view.under_heard:
        words.append(
            _(
                "%(group)s spoke less than their share of those present in %(under)s of "
                "%(count)s meetings."
            )
            % {"group": label, "under": flag.under, "count": flag.meetings}
        )
    words.append(_("The table below gives the same numbers."))
    return " ".join(words)


@login_required
@require_safe
def trend_chart(request: HttpRequest, pk: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.view")
    view = selectors.overview(project=project, user=request.user)
    dates = [line.activity.date for line in view.meetings]
    series = [(row.label, row.shares) for row in view.trend]
    return _png(trend_png(dates, series, _("Each group's share of the words")))


# --- One meeting ------------------------------------------------------------------------------


@login_required
@require_safe
def meeting_balance(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.view")
    view = selectors.meeting_view(project=project, user=request.user, activity_id=activity_id)
    if view is None:
        raise Http404
    transcripts = list(view.meeting.transcripts.all().only("filename", "format", "meeting_id"))
    return render_participation(
        request,
        "participation/meeting.html",
        project,
        {
            "view": view,
            "summary": meeting_summary(view),
            "transcripts": [(t.filename, format_label(t.format)) for t in transcripts],
            "people_alt": people_alt(view),
            "groups_alt": groups_alt(view),
            "source": SOURCE,
            "citation": default_catalogue().cite(SOURCE),
        },
    )


def people_alt(view: selectors.MeetingView) -> str:
    words = [_("Bar chart of each person's share of the words in this meeting.")]
    if view.people:
        top = view.people[0]
        words.append(
            _("The most words were spoken by %(who)s: %(share)s.")
            % {"who": top.label, "share": percent(top.share_words)}
        )
    words.append(_("The table below gives the same numbers."))
    return " ".join(words)


def groups_alt(view: selectors.MeetingView) -> str:
    words = [_("Bar chart of each group's share of the words beside its share of those present.")]
    for group in view.groups:
        if group.under:
            words.append(
                _("%(group)s spoke %(words)s of the words and were %(present)s of those present.")
                % {
                    "group": group.label,
                    "words": percent(group.share_words),
                    "present": percent(group.share_present),
                }
            )
    words.append(_("The table below gives the same numbers."))
    return " ".join(words)


@login_required
@require_safe
def meeting_chart(request: HttpRequest, pk: int, activity_id: int, kind: str) -> HttpResponse:
    """The meeting's chart of people or of groups, with the labels this user may see."""
    if kind not in ("people", "groups"):
        raise Http404
    project = participation_project(request, pk, "participation.view")
    view = selectors.meeting_view(project=project, user=request.user, activity_id=activity_id)
    if view is None:
        raise Http404
    if kind == "people":
        spoke = [row for row in view.people if row.words]
        data = bars_png(
            [row.label for row in spoke],
            [row.share_words for row in spoke],
            None,
            title=_("Share of the words, by person"),
            first_label=_("Share of the words"),
        )
    else:
        data = bars_png(
            [row.label for row in view.groups],
            [row.share_words for row in view.groups],
            [row.share_present for row in view.groups],
            title=_("Share of the words and of those present, by group"),
            first_label=_("Share of the words"),
            second_label=_("Share of those present"),
        )
    return _png(data)


@login_required
@require_POST
def meeting_delete(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.change")
    meeting = _meeting(project, activity_id)
    services.meeting_delete(meeting=meeting)
    messages.success(request, _("The analysis of this meeting was removed."))
    return redirect("participation_overview", project.pk)


# --- Uploading transcripts --------------------------------------------------------------------


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory and never on disk, so no transcript is ever written to
    a temporary file. A file over the size limit is left out and named."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large: list[str] = []
        self.total = 0
        self.buffer = io.BytesIO()
        self.skipped = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.skipped = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.total += len(raw_data)
        if self.total > services.MAX_FILE_BYTES * (services.MAX_FILES + 1):
            raise StopUpload(connection_reset=True)
        if self.skipped:
            return None
        if self.buffer.tell() + len(raw_data) > services.MAX_FILE_BYTES:
            self.too_large.append(str(self.file_name))
            self.skipped = True
            self.buffer = io.BytesIO()
            return None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.skipped:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


@login_required
@csrf_exempt
def transcript_upload(request: HttpRequest, pk: int) -> HttpResponse:
    # The upload handlers must be set before anything reads the request's body, CSRF included;
    # the CSRF check is made just below.
    handler = MemoryOnlyUploadHandler(request)
    request.upload_handlers = [handler]
    return _transcript_upload(request, pk, handler)


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def _transcript_upload(
    request: HttpRequest, pk: int, handler: MemoryOnlyUploadHandler
) -> HttpResponse:
    project = participation_project(request, pk, "participation.change")
    problems: list[Problem] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, project=project)
        too_large = [
            Problem(
                name,
                None,
                None,
                "",
                _("is larger than %(size)s MB")
                % {"size": services.MAX_FILE_BYTES // (1024 * 1024)},
            )
            for name in handler.too_large
        ]
        if too_large and "files" in form.errors:
            form.errors.pop("files")
        if too_large:
            problems = too_large
        elif form.is_valid():
            files = [services.Upload(str(f.name), f.read()) for f in form.cleaned_data["files"]]
            try:
                meeting = services.meeting_upload(
                    activity=form.cleaned_data["activity"],
                    files=files,
                    fmt=form.cleaned_data["format"],
                    user=request.user,
                )
            except FileProblems as error:
                problems = list(error.problems)
            else:
                activity = form.cleaned_data["activity"]
                if meeting.to_confirm:
                    messages.success(
                        request,
                        _("Read. Please say who these names are before reading the figures."),
                    )
                    return redirect("speakers_confirm", project.pk, activity.pk)
                messages.success(request, _("Read. Every name was found on the roster."))
                return redirect("meeting_balance", project.pk, activity.pk)
    else:
        initial = {"activity": request.GET.get("activity")} if request.GET.get("activity") else {}
        form = UploadForm(project=project, initial=initial)
    return render_participation(
        request,
        "participation/upload.html",
        project,
        {
            "form": form,
            "bad_forms": [form] if form.errors else [],
            "problems": problems,
            "has_activities": form.fields["activity"].queryset.exists(),  # type: ignore[attr-defined]
        },
        status=400 if problems or form.errors else 200,
    )


# --- Confirming speakers --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def speakers_confirm(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.change")
    meeting = _meeting(project, activity_id)
    rows, people = selectors.confirm_rows(meeting=meeting)
    names = [(row.name, row.person, row.group) for row in rows]
    if request.method == "POST":
        form = ConfirmForm(request.POST, names=names, people=people)
        if form.is_valid():
            automatic = {row.name: row for row in rows}
            answers = []
            for name, person, group in form.answers():
                row = automatic[name]
                chosen = str(person.pk) if person else NOT_ON_ROSTER
                if row.needs_answer or chosen != row.person or group != row.group:
                    answers.append(services.Answer(name, person, group))
            services.speakers_confirm(meeting=meeting, answers=answers, user=request.user)
            messages.success(
                request,
                _("Thank you. Coprod will use these names at the next meeting too."),
            )
            return redirect("meeting_balance", project.pk, activity_id)
    else:
        form = ConfirmForm(names=names, people=people)
    by_name = {row.name: row for row in rows}
    return render_participation(
        request,
        "participation/confirm.html",
        project,
        {
            "meeting": meeting,
            "activity": meeting.activity,
            "rows": [(by_name[name], person, group) for name, person, group in form.rows()],
            "form": form,
            "bad_forms": [form] if form.errors else [],
            "waiting": sum(1 for row in rows if row.needs_answer),
        },
        status=400 if form.errors else 200,
    )


# --- The kept names -----------------------------------------------------------------------------


@login_required
@require_safe
def speaker_names(request: HttpRequest, pk: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.change")
    return render_participation(
        request,
        "participation/names.html",
        project,
        {"names": selectors.speaker_names(project=project)},
    )


def _speaker_name(project: Project, name_id: int) -> SpeakerName:
    row = (
        SpeakerName.objects.filter(project=project, pk=name_id)
        .select_related("project", "stakeholder")
        .first()
    )
    if row is None:
        raise Http404
    return row


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def speaker_name_edit(request: HttpRequest, pk: int, name_id: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.change")
    row = _speaker_name(project, name_id)
    people = services.roster_index(project).people
    if request.method == "POST":
        form = SpeakerNameForm(request.POST, people=people)
        if form.is_valid():
            person, group = form.answer()
            services.speaker_name_update(
                row=row, stakeholder=person, group=group, user=request.user
            )
            messages.success(
                request,
                _("Saved. The meetings where “%(name)s” spoke were worked out again.")
                % {"name": row.transcript_name},
            )
            return redirect("participation_speaker_names", project.pk)
    else:
        initial = {
            "person": str(row.stakeholder_id) if row.stakeholder_id else NOT_ON_ROSTER,
            "group": row.group,
        }
        form = SpeakerNameForm(people=people, initial=initial)
    return render_participation(
        request,
        "participation/name_edit.html",
        project,
        {"row": row, "form": form, "bad_forms": [form] if form.errors else []},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def speaker_name_delete(request: HttpRequest, pk: int, name_id: int) -> HttpResponse:
    project = participation_project(request, pk, "participation.change")
    row = _speaker_name(project, name_id)
    name = row.transcript_name
    services.speaker_name_delete(row=row, user=request.user)
    messages.success(
        request, _("Coprod forgot who “%(name)s” is, and will ask again.") % {"name": name}
    )
    return redirect("participation_speaker_names", project.pk)


def upload_url(project: Project, activity_id: int | None = None) -> str:
    url = reverse("transcript_upload", args=[project.pk])
    return f"{url}?activity={activity_id}" if activity_id else url

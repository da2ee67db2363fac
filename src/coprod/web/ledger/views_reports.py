""" "You said, we did" (SPEC C6): for a person, for a partner themselves, and for the project.

Each report is the core's :func:`coprod.core.contributions.you_said_we_did`; the page shows it in
HTML that prints well, and :mod:`coprod.formats.ledger_reports` writes the same as DOCX and PDF.
Anonymous contributions appear in the project's report without a name, and in their author's own.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from coprod.core.contributions import YouSaidWeDid
from coprod.formats import ledger_reports
from coprod.web.costs.views import download, file_stem
from coprod.web.ledger import selectors
from coprod.web.ledger.labels import KIND_LABELS, stage_label
from coprod.web.ledger.view_helpers import ledger_project, render_ledger
from coprod.web.projects.models import Project

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx", "pdf"}


def _page(
    request: HttpRequest,
    project: Project,
    report: YouSaidWeDid,
    *,
    downloads: str,
    own: bool = False,
) -> HttpResponse:
    own_items = (
        [
            i
            for i in selectors.partner_summary(project, user=request.user)
            if i.disposition == "pending"
        ]
        if own
        else []
    )
    sections = [
        {
            "key": section.key,
            "heading": section.heading,
            "intro": section.intro,
            "count": section.count,
            "items": [
                {
                    "item": item,
                    "kind": KIND_LABELS.get(item.kind.value, item.kind.value),
                    "stage": stage_label(item.stage.value) if item.stage else "",
                }
                for item in section.items
            ],
        }
        for section in report.sections
    ]
    return render_ledger(
        request,
        "ledger/report.html",
        project,
        {
            "report": report,
            "sections": sections,
            "with_names": any(item.by for s in report.sections for item in s.items),
            "docx_url": reverse(downloads, kwargs={**request.resolver_match.kwargs, "fmt": "docx"})
            if request.resolver_match
            else "",
            "pdf_url": reverse(downloads, kwargs={**request.resolver_match.kwargs, "fmt": "pdf"})
            if request.resolver_match
            else "",
            "own": own,
            "own_items": own_items,
        },
    )


def _file(project: Project, report: YouSaidWeDid, fmt: str, suffix: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    if fmt == "docx":
        content = ledger_reports.you_said_we_did_docx(report)
        return download(content, DOCX, file_stem(project, f"{suffix}.docx"))
    content = ledger_reports.you_said_we_did_pdf(report)
    return download(content, "application/pdf", file_stem(project, f"{suffix}.pdf"))


# --- The project's report -------------------------------------------------------------------------


def _project_report(request: HttpRequest, pk: int) -> tuple[Project, YouSaidWeDid]:
    project = ledger_project(request, pk, "ledger.view_project_report")
    report = selectors.project_report(project, user=request.user, today=timezone.localdate())
    return project, report


@login_required
@require_safe
def you_said_we_did_project(request: HttpRequest, pk: int) -> HttpResponse:
    project, report = _project_report(request, pk)
    return _page(request, project, report, downloads="you_said_we_did_project_download")


@login_required
@require_safe
def you_said_we_did_project_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    project, report = _project_report(request, pk)
    return _file(project, report, fmt, "you-said-we-did")


# --- One person's report, for the team to share with them -----------------------------------------


def _person_report(request: HttpRequest, pk: int, person_id: int) -> tuple[Project, YouSaidWeDid]:
    project = ledger_project(request, pk, "ledger.view_names")
    person = project.stakeholders.filter(pk=person_id, erased_at__isnull=True).first()
    if person is None:
        raise Http404
    return project, selectors.person_report(project, person, today=timezone.localdate())


@login_required
@require_safe
def you_said_we_did(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    project, report = _person_report(request, pk, person_id)
    return _page(request, project, report, downloads="you_said_we_did_download")


@login_required
@require_safe
def you_said_we_did_download(
    request: HttpRequest, pk: int, person_id: int, fmt: str
) -> HttpResponse:
    project, report = _person_report(request, pk, person_id)
    return _file(project, report, fmt, f"you-said-we-did-{person_id}")


# --- A partner's own ------------------------------------------------------------------------------


def _own_report(request: HttpRequest, pk: int) -> tuple[Project, YouSaidWeDid]:
    project = ledger_project(request, pk, "ledger.submit_own")
    person = selectors.own_person(project, request.user)
    name = person.name if person is not None else str(request.user)
    report = selectors.own_report(project, user=request.user, name=name, today=timezone.localdate())
    return project, report


@login_required
@require_safe
def you_said_we_did_mine(request: HttpRequest, pk: int) -> HttpResponse:
    project, report = _own_report(request, pk)
    return _page(request, project, report, downloads="you_said_we_did_mine_download", own=True)


@login_required
@require_safe
def you_said_we_did_mine_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    project, report = _own_report(request, pk)
    return _file(project, report, fmt, "what-became-of-mine")

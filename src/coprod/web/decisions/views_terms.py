"""Terms of reference: a role agreement for each partner (SPEC C2, C7), under
/projects/<pk>/decisions/terms/.

Each names the person's role, the time asked, payment, feedback, recognition, how disagreements
are settled, how to leave, when it was agreed and when it is reviewed. What is left blank is named
as a gap by the core (:func:`coprod.core.terms.terms_gaps`), with the passage it rests on. A new
one starts from what the plan already says (governance, the feedback days, the person's role);
payment is never filled in for the team: the costs records are pointed to, not copied.

The team sees and writes everyone's terms; a partner sees and downloads their own only (others'
are hidden from them, as if they did not exist); an observer sees none.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coprod.core.terms import terms_gaps
from coprod.formats.ledger_reports import terms_docx as terms_document
from coprod.web.decisions import selectors, services
from coprod.web.decisions.forms import TermsForm
from coprod.web.decisions.permissions import may_see_terms
from coprod.web.decisions.view_helpers import decisions_project, download, render_decisions


@login_required
@require_safe
def terms_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Each partner's terms and what they still lack; a partner sees only their own."""
    project = decisions_project(request, pk, "decisions.view_own_terms")
    lines = selectors.terms_lines(project, user=request.user, today=timezone.localdate())
    return render_decisions(request, "decisions/terms_list.html", project, {"lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """Write or change one person's terms of reference."""
    project = decisions_project(request, pk, "decisions.change_terms")
    person = selectors.person_get(project, person_id)
    terms = selectors.terms_of(person)
    initial = selectors.terms_defaults(project, person) if terms is None else None
    form = TermsForm(
        request.POST if request.method == "POST" else None, instance=terms, initial=initial
    )
    if form.is_bound and form.is_valid():
        _terms, created = services.terms_save(
            project=project,
            person=person,
            **{name: form.cleaned_data[name] for name in form.fields},
        )
        if created:
            message = _("Terms of reference written for %(name)s.") % {"name": person.name}
        else:
            message = _("Saved.")
        messages.success(request, message)
        return redirect(reverse("terms_list", args=[project.pk]) + f"#person-{person.pk}")
    gaps = terms_gaps(selectors.core_terms(person, terms))
    return render_decisions(
        request,
        "decisions/terms_edit.html",
        project,
        {
            "form": form,
            "person": person,
            "terms": terms,
            "prefilled": terms is None and bool(initial),
            "gaps": gaps,
            "payment_hints": selectors.payment_hints(project, person),
            "bad_forms": [form] if form.errors else [],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_safe
def terms_docx(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """One person's terms as a Word document: for the team, and for the person themselves."""
    project = decisions_project(request, pk, "decisions.view_own_terms")
    person = selectors.person_get(project, person_id)
    if not may_see_terms(request.user, project, person):
        raise Http404  # someone else's terms: as if they did not exist
    terms = selectors.terms_of(person)
    content = terms_document(selectors.core_terms(person, terms), project_title=project.title)
    name = slugify(person.name)[:40] or str(person.pk)
    return download(content, f"terms-of-reference-{name}.docx")

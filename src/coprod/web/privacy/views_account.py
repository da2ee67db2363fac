"""Pages under /my-data/ for anyone signed in: what Coprod holds about them, a download of all of
it, and asking to be erased."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coprod.web.privacy import selectors, services
from coprod.web.privacy.export import TABLES, person_zip
from coprod.web.privacy.forms import ErasureRequestForm
from coprod.web.privacy.models import ErasureRequest
from coprod.web.privacy.views import zip_response


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    """What Coprod holds about the person, table by table, with the download and the requests."""
    data = selectors.account_data(user=request.user)  # type: ignore[arg-type]
    held = [
        {
            "key": table.key,
            "title": table.title,
            "about": table.about,
            "count": data.count(table.key),
        }
        for table in TABLES
    ]
    return render(
        request,
        "privacy/my_data.html",
        {
            "held": held,
            "projects": data.projects,
            "requests": selectors.own_requests(user=request.user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_safe
def my_data_download(request: HttpRequest) -> HttpResponse:
    """Everything Coprod holds about the person, as a ZIP of JSON, CSV tables and a README."""
    data = selectors.account_data(user=request.user)  # type: ignore[arg-type]
    now = timezone.now()
    content = person_zip(who=data.who, tables=data.tables, generated=now)
    return zip_response(content, f"coprod-my-data-{now.date().isoformat()}.zip")


@login_required
@require_http_methods(["GET", "POST"])
def erasure_request(request: HttpRequest) -> HttpResponse:
    """Ask to be erased from a project or from all of Coprod, after reading what that means."""
    user = request.user
    projects = selectors.projects_of(user=user)  # type: ignore[arg-type]
    form = ErasureRequestForm(request.POST if request.method == "POST" else None, projects=projects)
    if request.method == "POST" and form.is_valid():
        made = services.erasure_request_create(
            user=user,  # type: ignore[arg-type]
            project=form.project,
            all_projects=form.all_projects,
        )
        if made and made[0].done_at is not None:
            # In no project: nobody else to ask, and the account is already gone.
            logout(request)
            return render(request, "privacy/account_erased.html")
        messages.success(
            request,
            _(
                "Your request has been sent to the leads of the project. You can withdraw it "
                "until they carry it out."
            ),
        )
        return redirect("my_data")
    return render(
        request,
        "privacy/erasure_request.html",
        {"form": form, "projects": projects},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def erasure_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    """The person takes back an open request of their own."""
    erasure = ErasureRequest.objects.filter(pk=request_id, user=request.user).first()
    if erasure is None:
        raise Http404
    try:
        services.erasure_request_withdraw(request=erasure)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your request has been withdrawn. Nothing was erased."))
    return redirect("my_data")

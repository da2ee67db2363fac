"""Accepting an invitation, for someone who has an account and for someone who has not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.web.accounts.forms import SignUpForm
from coprod.web.projects import services
from coprod.web.projects.models import Invitation


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("project", "invited_by")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404
    form = None
    if not request.user.is_authenticated:
        form = SignUpForm(request.POST or None, initial={"email": invitation.email})
        if request.method == "POST" and form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _accept(request, invitation)
    elif request.method == "POST":
        return _accept(request, invitation)
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _accept(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    try:
        services.invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("project_list")
    messages.success(request, _("Welcome to %(project)s.") % {"project": invitation.project.title})
    return redirect("project_dashboard", invitation.project.pk)

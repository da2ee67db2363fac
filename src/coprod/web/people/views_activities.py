"""Activities (meetings, workshops, reviews, interviews) and who attended them (SPEC C5).

Attendance feeds the costs: someone linked to a person of the costs team gets a time log for
each activity they attend (see :mod:`coprod.web.people.services`).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coprod.web.people import selectors, services
from coprod.web.people.forms import ActivityForm, AttendanceForm
from coprod.web.people.models import Activity, Attendance
from coprod.web.people.view_helpers import people_project, render_people, url_if_exists
from coprod.web.projects.models import Project


@login_required
@require_safe
def activity_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The activities this user may see: the next ones first, then those held, latest first."""
    project = people_project(request, pk, "people.view_activities")
    view = selectors.activity_list(project=project, user=request.user)
    return render_people(
        request,
        "people/activity_list.html",
        project,
        {"view": view, "stage_label": selectors.stage_label},
    )


@login_required
@require_safe
def activity_detail(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    """One activity: when, what, who came (names for the team; counts by group for others), and
    how many contributions were recorded at it."""
    project = people_project(request, pk, "people.view_activities")
    detail = selectors.activity_detail(project=project, user=request.user, activity_id=activity_id)
    activity = detail.activity
    return render_people(
        request,
        "people/activity_detail.html",
        project,
        {
            "detail": detail,
            "activity": activity,
            "stage": selectors.stage_label(activity.stage) if activity.stage else "",
            "method": selectors.method_label(activity.method) if activity.method else "",
            "hours_of": services.attendance_hours,
            # The ledger's pages, once they exist: the contributions made at this activity.
            "ledger_url": url_if_exists("contribution_list", project.pk),
        },
    )


def _present_now(activity: Activity | None) -> dict[int, Decimal | None]:
    if activity is None:
        return {}
    return dict(Attendance.objects.filter(activity=activity).values_list("stakeholder_id", "hours"))


def _activity_page(
    request: HttpRequest,
    project: Project,
    activity: Activity | None,
) -> HttpResponse:
    people = selectors.roster_people(project=project)
    present = _present_now(activity)
    bound = request.method == "POST"
    form = ActivityForm(request.POST if bound else None, instance=activity, prefix="activity")
    attendance = AttendanceForm(
        request.POST if bound else None, people=people, present=present, prefix="attendance"
    )
    if bound and "delete" in request.POST and activity is not None:
        try:
            services.activity_delete(activity=activity)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("activity_edit", project.pk, activity.pk)
        messages.success(request, _("Activity deleted."))
        return redirect("activity_list", project.pk)
    if bound and form.is_valid() and attendance.is_valid():
        chosen = attendance.present()
        # People whose personal data were erased are not offered, but their attendance stays.
        shown = {person.pk for person in people}
        chosen.update({pid: hours for pid, hours in present.items() if pid not in shown})
        try:
            with transaction.atomic():
                if activity is None:
                    activity = services.activity_create(
                        project=project, created_by=request.user, **form.values()
                    )
                else:
                    services.activity_update(
                        activity=activity, created_by=request.user, **form.values()
                    )
                services.attendance_set(activity=activity, present=chosen, created_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("activity_detail", project.pk, activity.pk)
    return render_people(
        request,
        "people/activity_form.html",
        project,
        {
            "form": form,
            "attendance": attendance,
            "activity": activity,
            "bad_forms": [f for f in (form, attendance) if f.errors],
        },
        status=400 if bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = people_project(request, pk, "people.change_activities")
    return _activity_page(request, project, None)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    project = people_project(request, pk, "people.change_activities")
    activity = selectors.activity_get(project=project, user=request.user, activity_id=activity_id)
    return _activity_page(request, project, activity)

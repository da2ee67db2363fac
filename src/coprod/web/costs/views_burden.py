"""Who bears the time: each group's share of the hours against its share of the team (SPEC C4).

The shares, the flags and the merging of small groups are the core's
(:func:`coprod.core.costs.burden_shares`); the lead alone sees groups of fewer than five people on
their own. Gender and ethnicity count only for people who chose to record them, and only the team
sees the shares by them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coprod.core import costs as core
from coprod.core.catalogue import default_catalogue
from coprod.web.costs import selectors
from coprod.web.costs.charts import burden_png, percent
from coprod.web.costs.labels import ATTRIBUTE_LABELS, group_label
from coprod.web.costs.permissions import costs_permissions
from coprod.web.costs.view_helpers import costs_project, render_costs


def chart_title(attribute: str) -> str:
    return _("Share of the hours and of the team, by %(attribute)s") % {
        "attribute": ATTRIBUTE_LABELS[attribute]
    }


def chart_alt(burden: selectors.BurdenView) -> str:
    """The chart in words: what it shows, which groups are flagged, where the numbers are."""
    words = [
        _(
            "Bar chart of each group's share of the involvement hours beside its share of the "
            "team, by %(attribute)s."
        )
        % {"attribute": ATTRIBUTE_LABELS[burden.attribute]}
    ]
    for share in burden.flagged:
        words.append(
            _(
                "Flagged: the group “%(group)s” gives %(hours)s%% of the hours and is "
                "%(team)s%% of the team."
            )
            % {
                "group": group_label(share),
                "hours": percent(share.hours_share),
                "team": percent(share.team_share),
            }
        )
    if not burden.flagged:
        words.append(_("No group is flagged."))
    words.append(_("The table below gives the same numbers."))
    return " ".join(words)


@login_required
@require_safe
def burden(request: HttpRequest, pk: int) -> HttpResponse:
    project = costs_project(request, pk, "costs.view_burden")
    allowed = costs_permissions(request.user, project)
    views = selectors.burden_view(project=project, user=request.user)
    sections: list[dict[str, Any]] = [
        {
            "attribute": view.attribute,
            "label": ATTRIBUTE_LABELS[view.attribute],
            "shares": view.shares,
            "flagged": view.flagged,
            "merged": any(share.merged for share in view.shares),
            "chart_url": reverse("costs_burden_chart", args=[project.pk, view.attribute]),
            "chart_alt": chart_alt(view),
            "demographic": view.attribute in ("gender", "ethnicity"),
        }
        for view in views
    ]
    return render_costs(
        request,
        "costs/burden.html",
        project,
        {
            "sections": sections,
            "people": any(view.shares for view in views),
            "flag_rule": core.FLAG_RULE,
            "source": core.BURDEN_SOURCE,
            "citation": default_catalogue().cite(core.BURDEN_SOURCE),
            "small_group": core.SMALL_GROUP,
            "is_lead": allowed["costs.view_small_groups"],
        },
    )


@login_required
@require_safe
def burden_chart(request: HttpRequest, pk: int, attribute: str) -> HttpResponse:
    """The chart of one attribute as a PNG, with the same groups the page shows this user."""
    if attribute not in core.BURDEN_ATTRIBUTES:
        raise Http404
    project = costs_project(request, pk, "costs.view_burden")
    views = selectors.burden_view(project=project, user=request.user, attributes=[attribute])
    if not views:
        raise PermissionDenied
    response = HttpResponse(
        burden_png(views[0].shares, chart_title(attribute)), content_type="image/png"
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response

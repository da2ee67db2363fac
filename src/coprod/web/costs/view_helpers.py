"""What every costs page shares: the project and the permission asked, the pages' own menu."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from coprod.web.costs.permissions import costs_permissions
from coprod.web.projects.view_helpers import Section

# (url name, label, permission needed to see it)
COSTS_MENU = [
    ("budget", _("Budget"), "costs.view_budget"),
    ("costs_actuals", _("Time and spending"), "costs.view_budget"),
    ("costs_burden", _("Who bears the time"), "costs.view_burden"),
    ("costs_rate_cards", _("Rate cards"), "costs.view_budget"),
    ("costs_team", _("Team"), "costs.view_people_data"),
    ("costs_import", _("Import a spreadsheet"), "costs.change_budget"),
]
# Pages that belong under an entry of the menu above.
UNDER = {
    "costs_line_edit": "budget",
    "costs_time_edit": "costs_actuals",
    "costs_expense_edit": "costs_actuals",
    "costs_payment_edit": "costs_actuals",
    "costs_member_edit": "costs_team",
    "costs_rate_add": "costs_rate_cards",
}


SECTION = Section(name="costs", permissions=costs_permissions, menu=COSTS_MENU, under=UNDER)
costs_project = SECTION.project
require = SECTION.require
costs_can = SECTION.can
costs_menu = SECTION.menu_items
render_costs = SECTION.render


def find(rows: Any, pk: int) -> Any:
    for row in rows:
        if row.pk == pk:
            return row
    raise Http404

"""Who may do what with a project's costs (django-rules), on top of the project's own roles.

Views ask these permissions; they never test roles themselves. Partners may log and see their own
time, expenses and payments (SPEC §3: partners "see and edit their own contributions, time and
expenses"), and only their own: :func:`owns` says whether a row is theirs.
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_lead, is_member, is_partner, is_team

# The budget, its totals and the rate cards: every member; the budget against actuals by kind.
rules.add_perm("costs.view_budget", is_member)
# Adding, changing and deleting budget lines, and importing them from a spreadsheet.
rules.add_perm("costs.change_budget", is_team)
# An organisation's own rate cards: leads add cards and rates.
rules.add_perm("costs.manage_rate_cards", is_lead)
# Logging one's own time and expenses (the person must be linked to one's own account).
rules.add_perm("costs.log_own", is_team | is_partner)
# Logging anyone's time, expenses and payments, and importing time logs.
rules.add_perm("costs.change_actuals", is_team)
# Names of the team with their hours, payments and expenses; the team list and its details.
rules.add_perm("costs.view_people_data", is_team)
# Adding and changing the people of the team, their consent, and benefits letters.
rules.add_perm("costs.change_team", is_team)
# Who bears the time, by career stage and contract (groups under five merged for non-leads).
rules.add_perm("costs.view_burden", is_member)
# The same by gender and ethnicity, for those who chose to record them.
rules.add_perm("costs.view_demographic_shares", is_team)
# Groups of fewer than five people shown on their own.
rules.add_perm("costs.view_small_groups", is_lead)


COSTS_PERMISSIONS = (
    "costs.view_budget",
    "costs.change_budget",
    "costs.manage_rate_cards",
    "costs.log_own",
    "costs.change_actuals",
    "costs.view_people_data",
    "costs.change_team",
    "costs.view_burden",
    "costs.view_demographic_shares",
    "costs.view_small_groups",
)


def costs_permissions(user: Any, project: Any) -> dict[str, bool]:
    """Every costs permission of this user, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_costs_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in COSTS_PERMISSIONS
        }
    return cache[user.pk]


def owns(user: Any, row: Any) -> bool:
    """Whether a time log, expense or payment is the user's own (its person is linked to them)."""
    person = getattr(row, "person", None)
    return person is not None and person.user_id is not None and person.user_id == user.pk


def may_change_row(user: Any, project: Any, row: Any) -> bool:
    """The team may change any time log or expense; a partner only their own."""
    allowed = costs_permissions(user, project)
    return allowed["costs.change_actuals"] or (allowed["costs.log_own"] and owns(user, row))


def may_see_row(user: Any, project: Any, row: Any) -> bool:
    """The team sees everyone's rows; anyone else only their own."""
    return costs_permissions(user, project)["costs.view_people_data"] or owns(user, row)

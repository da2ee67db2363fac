"""Who may do what with a project's contribution ledger (django-rules), on top of its roles.

Views ask these permissions; they never test roles themselves.

- The team (lead and researchers) sees every contribution with who made it, records them on
  behalf of people or groups, decides what becomes of them and marks contributors as told.
- Partners submit their own and see only their own (SPEC §3: "see and edit their own
  contributions"): those of the roster person linked to their account, and the anonymous ones they
  wrote. They may change the text of one while it is still being considered.
- Observers read the ledger and its reports (SPEC §3: "read the plan and the reports") without any
  person's name: each contribution shows its group only.
- Everyone in the project sees adoption by group: it names groups, never people, and a partner
  has a stake in whether their group is heard.
- An anonymous contribution names nobody to anyone but its author (:func:`shows_author`).
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_lead, is_member, is_partner, is_team

is_observer = is_member & ~is_team & ~is_partner

# The ledger page and adoption by group (its rows are filtered by ``view_all``).
rules.add_perm("ledger.view_ledger", is_member)
# Every contribution, not only one's own (names are a separate permission).
rules.add_perm("ledger.view_all", is_team | is_observer)
# Who made each contribution (never for an anonymous one).
rules.add_perm("ledger.view_names", is_team)
# Recording a contribution on someone's behalf, changing it, deciding it, marking people told.
rules.add_perm("ledger.record", is_team)
# Submitting one's own contribution, and changing its text while it is pending.
rules.add_perm("ledger.submit_own", is_partner)
# The number of days within which contributors should hear back.
rules.add_perm("ledger.change_settings", is_lead)
# The project's "you said, we did" (names only with ``view_names``).
rules.add_perm("ledger.view_project_report", is_team | is_observer)


LEDGER_PERMISSIONS = (
    "ledger.view_ledger",
    "ledger.view_all",
    "ledger.view_names",
    "ledger.record",
    "ledger.submit_own",
    "ledger.change_settings",
    "ledger.view_project_report",
)


def ledger_permissions(user: Any, project: Any) -> dict[str, bool]:
    """Every ledger permission of this user, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_ledger_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in LEDGER_PERMISSIONS
        }
    return cache[user.pk]


def is_own(user: Any, contribution: Any) -> bool:
    """Whether the contribution is the user's: their roster person's, or anonymous and theirs."""
    if contribution.anonymous:
        return contribution.submitted_by_id is not None and contribution.submitted_by_id == user.pk
    person = contribution.stakeholder
    return person is not None and person.user_id is not None and person.user_id == user.pk


def shows_author(user: Any, project: Any, contribution: Any) -> bool:
    """Whether this user may see who made the contribution: never for an anonymous one, except
    its author; otherwise the team, and the person themselves."""
    if contribution.anonymous:
        return is_own(user, contribution)
    return ledger_permissions(user, project)["ledger.view_names"] or is_own(user, contribution)


def may_edit_text(user: Any, project: Any, contribution: Any) -> bool:
    """The team may change any contribution; a partner the text of their own while pending."""
    allowed = ledger_permissions(user, project)
    if allowed["ledger.record"]:
        return True
    return (
        allowed["ledger.submit_own"]
        and is_own(user, contribution)
        and contribution.disposition == "pending"
    )

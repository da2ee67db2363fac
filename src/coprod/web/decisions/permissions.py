"""Who may do what with decisions, the dissemination agreement and terms of reference.

Views ask these permissions; they never test roles themselves.

* Every member reads the decision log and the agreement: partners see "the plan, decisions,
  agreements and reports shared with partners" and observers "read the plan and the reports"
  (SPEC §3). A partner sees only the decisions marked as shared with partners; an observer reads
  every decision, as a report. Only the team (lead and researchers) sees who took part by name:
  everyone else sees how many took part from each group, and whether they took part themselves.
* The team records decisions, the agreement and terms of reference.
* Terms of reference hold a person's payment and time: the team sees everyone's, a partner only
  their own (:func:`may_see_terms`), an observer none.
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_member, is_partner, is_team

# The decision log (a partner: only decisions shared with partners).
rules.add_perm("decisions.view_log", is_member)
# Decisions that are not shared with partners (the team, and observers reading the reports).
rules.add_perm("decisions.view_unshared", is_member & ~is_partner)
# The names of the people who took part and of those who contributed, and "others" as written.
rules.add_perm("decisions.view_names", is_team)
# Recording, changing and deleting decisions.
rules.add_perm("decisions.change_log", is_team)
# The dissemination agreement: its terms and its lines.
rules.add_perm("decisions.view_agreement", is_member)
rules.add_perm("decisions.change_agreement", is_team)
# Terms of reference: everyone's (the team); one's own only (a partner linked to the roster).
rules.add_perm("decisions.view_all_terms", is_team)
rules.add_perm("decisions.view_own_terms", is_team | is_partner)
rules.add_perm("decisions.change_terms", is_team)

DECISION_PERMISSIONS = (
    "decisions.view_log",
    "decisions.view_unshared",
    "decisions.view_names",
    "decisions.change_log",
    "decisions.view_agreement",
    "decisions.change_agreement",
    "decisions.view_all_terms",
    "decisions.view_own_terms",
    "decisions.change_terms",
)


def decision_permissions(user: Any, project: Any) -> dict[str, bool]:
    """Every decisions permission of this user, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_decision_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in DECISION_PERMISSIONS
        }
    return cache[user.pk]


def may_see_decision(user: Any, project: Any, decision: Any) -> bool:
    allowed = decision_permissions(user, project)
    return allowed["decisions.view_log"] and (
        decision.shared_with_partners or allowed["decisions.view_unshared"]
    )


def may_see_terms(user: Any, project: Any, person: Any) -> bool:
    """The team sees everyone's terms; a partner only those of a roster entry linked to them."""
    allowed = decision_permissions(user, project)
    if allowed["decisions.view_all_terms"]:
        return True
    return (
        allowed["decisions.view_own_terms"]
        and person.user_id is not None
        and person.user_id == user.pk
    )

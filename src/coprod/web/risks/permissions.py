"""Who may do what with a project's risk register (django-rules), built on the projects' roles.

Every member may read the register: partners see the plan and observers read the plan and its
reports (SPEC §3), and the register is both. Only the team (lead and researchers) changes it.
Owners, and the person or group who bears a risk, are people: only those who may see personal
data (``projects.view_personal_data``) see them.
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_member, is_team

rules.add_perm("risks.view_register", is_member)
rules.add_perm("risks.change_register", is_team)

RISK_PERMISSIONS = ("risks.view_register", "risks.change_register")


def risk_permissions_for(user: Any, project: Any) -> dict[str, bool]:
    """Each register permission for this user, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_risk_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in RISK_PERMISSIONS
        }
    return cache[user.pk]

"""Who may do what in a project: the one source of truth (django-rules).

Views ask these permissions; they never test roles themselves. A person with no role in a project
is told it does not exist (404), so outsiders cannot learn which projects there are.
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.models import Membership, Role


def role_in(user: Any, project: Any) -> str | None:
    """The user's role in the project, read once per request and kept on the project."""
    if user is None or not user.is_authenticated or project is None:
        return None
    cache: dict[int, str | None] = project.__dict__.setdefault("_roles", {})
    if user.pk not in cache:
        membership = Membership.objects.filter(project=project, user=user).only("role").first()
        cache[user.pk] = membership.role if membership else None
    return cache[user.pk]


def _has_role(*roles: str) -> Any:
    @rules.predicate(name=f"role in {'/'.join(roles)}")
    def predicate(user: Any, project: Any) -> bool:
        return role_in(user, project) in roles

    return predicate


is_lead = _has_role(Role.LEAD)
is_team = _has_role(Role.LEAD, Role.RESEARCHER)
is_member = _has_role(Role.LEAD, Role.RESEARCHER, Role.PARTNER, Role.OBSERVER)
is_partner = _has_role(Role.PARTNER)

# Seeing a project at all, and the plain-language partner view of it.
rules.add_perm("projects.view_project", is_member)
rules.add_perm("projects.view_partner_view", is_member)
# Changing the plan, answering the decision aid, recording a stage-gate assessment.
rules.add_perm("projects.change_plan", is_team)
# The plan file holds names, so only those who may see personal data may export it.
rules.add_perm("projects.export_plan", is_team)
# Stakeholders' names, organisations and contact details.
rules.add_perm("projects.view_personal_data", is_team)
# Roles, invitations, replacing the whole plan from a file, and the record of every change.
rules.add_perm("projects.manage_members", is_lead)
rules.add_perm("projects.replace_plan", is_lead)
rules.add_perm("projects.view_changes", is_lead)


PROJECT_PERMISSIONS = (
    "projects.view_project",
    "projects.view_partner_view",
    "projects.change_plan",
    "projects.export_plan",
    "projects.view_personal_data",
    "projects.manage_members",
    "projects.replace_plan",
    "projects.view_changes",
)


def permissions_for(user: Any, project: Any) -> dict[str, bool]:
    """Every project permission for this user, worked out once per request from the rules above."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in PROJECT_PERMISSIONS
        }
    return cache[user.pk]

"""Who may do what with a project's roster and activities (django-rules), on top of its roles.

Views ask these permissions; they never test roles themselves. Names, organisations, contact
details, access needs and demographics are personal data: only the lead and researchers see them
(SPEC §3, as ``projects.view_personal_data``). Partners and observers see the roster as counts by
group, plus their own entry; a partner sees the activities they attended, with the others there
only as counts by group.
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_member, is_team

# The roster page and the activities pages: every member, each seeing what their role allows.
rules.add_perm("people.view_roster", is_member)
rules.add_perm("people.view_activities", is_member)
# Everyone's names, organisations, roles, contact details and access needs; every activity.
rules.add_perm("people.view_people_data", is_team)
# Adding, changing, removing and importing people; downloading the roster.
rules.add_perm("people.change_roster", is_team)
rules.add_perm("people.export_roster", is_team)
# Adding and changing activities and their attendance.
rules.add_perm("people.change_activities", is_team)


PEOPLE_PERMISSIONS = (
    "people.view_roster",
    "people.view_activities",
    "people.view_people_data",
    "people.change_roster",
    "people.export_roster",
    "people.change_activities",
)


def people_permissions(user: Any, project: Any) -> dict[str, bool]:
    """Every people permission of this user, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_people_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in PEOPLE_PERMISSIONS
        }
    return cache[user.pk]

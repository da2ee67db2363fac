"""Who may do what with a project's participation figures (django-rules), on top of its roles.

Views ask these permissions; they never test roles themselves. Every member sees the figures of
each meeting and the trend across meetings, by group; only the team (the lead and researchers)
sees people's names, the usual suspects by name and who attended but said nothing. Everyone else
sees people as "Person A", "Person B"…, and a partner sees their own line as "You".
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_member, is_team

# The meetings' figures, charts and plain-language summaries; anonymised for non-team members.
rules.add_perm("participation.view", is_member)
# People's names beside their figures; the usual suspects and the silent, by name.
rules.add_perm("participation.view_names", is_team)
# Uploading transcripts, confirming speakers, fixing the kept names, removing an analysis.
rules.add_perm("participation.change", is_team)


PARTICIPATION_PERMISSIONS = (
    "participation.view",
    "participation.view_names",
    "participation.change",
)


def participation_permissions(user: Any, project: Any) -> dict[str, bool]:
    """Every participation permission of this user, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault(
        "_participation_permissions", {}
    )
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in PARTICIPATION_PERMISSIONS
        }
    return cache[user.pk]

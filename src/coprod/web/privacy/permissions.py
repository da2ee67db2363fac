"""Who may do what with people's own data (django-rules), on top of the project's roles.

Anyone signed in may download what Coprod holds about them and ask to be erased (pages under
/my-data/, which need no project). In a project, only leads see the requests and carry them out,
download what is held about one roster person (a subject access request) or erase a roster person
directly.
"""

from __future__ import annotations

from typing import Any

import rules

from coprod.web.projects.permissions import is_lead

# The open and done requests to be erased, and carrying them out.
rules.add_perm("privacy.manage_erasure", is_lead)
# Downloading everything held about one roster person, for a subject access request.
rules.add_perm("privacy.download_person", is_lead)


PRIVACY_PERMISSIONS = ("privacy.manage_erasure", "privacy.download_person")


def privacy_permissions(user: Any, project: Any) -> dict[str, bool]:
    """Every privacy permission of this user in the project, worked out once per request."""
    cache: dict[int, dict[str, bool]] = project.__dict__.setdefault("_privacy_permissions", {})
    if user.pk not in cache:
        cache[user.pk] = {
            name: bool(user.is_active and rules.has_perm(name, user, project))
            for name in PRIVACY_PERMISSIONS
        }
    return cache[user.pk]

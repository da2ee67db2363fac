"""What every roster and activity page shares: the project and the permission asked, the menu."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from coprod.web.people.permissions import people_permissions
from coprod.web.projects.view_helpers import Section

# (url name, label, permission needed to see it)
PEOPLE_MENU = [
    ("stakeholder_list", _("Roster"), "people.view_roster"),
    ("activity_list", _("Activities"), "people.view_activities"),
    ("stakeholder_import", _("Import a roster"), "people.change_roster"),
]
# Pages that belong under an entry of the menu above.
UNDER = {
    "stakeholder_add": "stakeholder_list",
    "stakeholder_edit": "stakeholder_list",
    "activity_add": "activity_list",
    "activity_edit": "activity_list",
    "activity_detail": "activity_list",
    "stakeholder_import_sheet": "stakeholder_import",
    "stakeholder_import_mapping": "stakeholder_import",
    "stakeholder_import_preview": "stakeholder_import",
}


SECTION = Section(name="people", permissions=people_permissions, menu=PEOPLE_MENU, under=UNDER)
people_project = SECTION.project
require = SECTION.require
people_can = SECTION.can
people_menu = SECTION.menu_items
render_people = SECTION.render


def url_if_exists(name: str, *args: Any) -> str | None:
    """The URL of a page another part of Coprod provides, or None while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None

"""What every ledger page shares: the project and the permission asked, the pages' own menu."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coprod.web.ledger.permissions import ledger_permissions
from coprod.web.projects.view_helpers import Section

# (url name, label, permission needed to see it)
LEDGER_MENU = [
    ("contribution_list", _("Contributions"), "ledger.view_ledger"),
    ("contribution_submit", _("Say something"), "ledger.submit_own"),
    ("contribution_record", _("Record a contribution"), "ledger.record"),
    ("you_said_we_did_mine", _("What became of yours"), "ledger.submit_own"),
    ("you_said_we_did_project", _("You said, we did"), "ledger.view_project_report"),
    ("ledger_settings", _("Feedback settings"), "ledger.change_settings"),
]
UNDER = {
    "contribution_edit": "contribution_list",
    "contribution_dispose": "contribution_list",
    "you_said_we_did": "you_said_we_did_project",
}


SECTION = Section(name="ledger", permissions=ledger_permissions, menu=LEDGER_MENU, under=UNDER)
ledger_project = SECTION.project
require = SECTION.require
ledger_can = SECTION.can
ledger_menu = SECTION.menu_items
render_ledger = SECTION.render

"""What every decisions page shares: the project and the permission asked, the pages' own menu."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from coprod.web.costs.views import DOCX
from coprod.web.costs.views import download as costs_download
from coprod.web.costs.views import file_stem as file_stem
from coprod.web.decisions.permissions import decision_permissions
from coprod.web.projects.view_helpers import Section

# (url name, label, permission needed to see it)
DECISIONS_MENU = [
    ("decision_list", _("Decision log"), "decisions.view_log"),
    ("agreement", _("Who may publish what"), "decisions.view_agreement"),
    ("terms_list", _("Terms of reference"), "decisions.view_own_terms"),
]
# Pages that belong under an entry of the menu above.
UNDER = {
    "decision_add": "decision_list",
    "decision_detail": "decision_list",
    "decision_edit": "decision_list",
    "agreement_line_edit": "agreement",
    "terms_edit": "terms_list",
}
# Every page of the app, for the project menu to mark its entry as current on any of them.
URL_NAMES = frozenset({name for name, _label, _perm in DECISIONS_MENU} | set(UNDER))


SECTION = Section(
    name="decisions", permissions=decision_permissions, menu=DECISIONS_MENU, under=UNDER
)
decisions_project = SECTION.project
require = SECTION.require
decisions_can = SECTION.can
decisions_menu = SECTION.menu_items
render_decisions = SECTION.render


def download(content: bytes, filename: str) -> HttpResponse:
    """A Word document to download (the costs app's download, with the Word type)."""
    return costs_download(content, DOCX, filename)


def refused(form: Any, error: ValidationError) -> None:
    """The services' objections on the form, beside the field each names."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)

"""The requests to be erased for the project's record of changes (:mod:`coprod.web.projects.audit`).

To show them there, add :data:`TABLES` to its ``TABLES`` and :data:`DESCRIBE` to its ``DESCRIBE``.
Each erasure leaves one row that says it happened, when and by whom, and the label the person now
goes by; never what was erased. Who asked is shown only while the request is open: once it is
carried out, the link to their account is cleared from the row and from its history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from coprod.web.privacy.models import ErasureRequest
from coprod.web.projects.audit import ADDED, CHANGED, REMOVED

TABLES = (("erasure", ErasureRequest),)


def _describe_erasure(kind: str, row: Any) -> str:
    label = row.get("erased_as")
    if kind == REMOVED:
        return str(gettext_lazy("A request to be erased was withdrawn"))
    if kind == ADDED and not row.get("done_at"):
        return str(gettext_lazy("Someone asked to be erased"))
    if kind == CHANGED and not row.get("done_at"):
        return str(gettext_lazy("A request to be erased was changed"))
    return str(gettext_lazy("Erased a person's personal data: they are now “%(label)s”")) % {
        "label": label or "—"
    }


DESCRIBE: dict[str, Callable[[str, Any], str]] = {"erasure": _describe_erasure}

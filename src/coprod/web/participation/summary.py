"""The figures of a meeting in plain words, for people who would rather read than study a table.

Every number comes from the core (:mod:`coprod.core.participation_flags`); only the words are
here, so they can be translated. Shares are given as whole percentages: the figures have no more
precision than that.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coprod.web.participation.selectors import MeetingView

_COUNTS = {
    1: gettext_lazy("one"),
    2: gettext_lazy("two"),
    3: gettext_lazy("three"),
    4: gettext_lazy("four"),
    5: gettext_lazy("five"),
    6: gettext_lazy("six"),
    7: gettext_lazy("seven"),
    8: gettext_lazy("eight"),
    9: gettext_lazy("nine"),
    10: gettext_lazy("ten"),
}


def percent(share: Fraction | None) -> str:
    """A share as a whole percentage; "less than 1%" rather than a misleading 0%."""
    if share is None:
        return "—"
    if 0 < share < Fraction(1, 200):
        return _("less than 1%")
    return f"{round(share * 100)}%"


def count_words(count: int) -> str:
    """Counts up to ten in words ("three", "one"), as plain English prefers."""
    return str(_COUNTS[count]) if count in _COUNTS else str(count)


def meeting_summary(view: MeetingView) -> list[str]:
    """Sentences for one meeting, most telling first."""
    sentences = []
    if view.few is not None:
        count, held = view.few
        sentences.append(
            ngettext(
                "Of the %(present)s person present, %(count)s spoke %(share)s of the words.",
                "Of the %(present)s people present, %(count)s spoke %(share)s of the words.",
                view.present,
            )
            % {"present": view.present, "count": count_words(count), "share": percent(held)}
        )
    elif not view.meeting.words:
        sentences.append(_("Nobody's words could be counted in this transcript."))
    for group in view.groups:
        if not group.group or group.share_present is None:
            continue
        values = {
            "group": group.label,
            "words": percent(group.share_words),
            "present": percent(group.share_present),
        }
        if group.under:
            text = _(
                "%(group)s spoke %(words)s of the words though they were %(present)s of those "
                "present."
            )
        else:
            text = _(
                "%(group)s spoke %(words)s of the words and were %(present)s of those present."
            )
        sentences.append(text % values)
    if view.silent_count:
        if view.silent:
            sentences.append(
                ngettext(
                    "%(count)s person who attended said nothing: %(names)s.",
                    "%(count)s people who attended said nothing: %(names)s.",
                    view.silent_count,
                )
                % {"count": view.silent_count, "names": ", ".join(view.silent)}
            )
        else:
            sentences.append(
                ngettext(
                    "%(count)s person who attended said nothing.",
                    "%(count)s people who attended said nothing.",
                    view.silent_count,
                )
                % {"count": view.silent_count}
            )
    return sentences

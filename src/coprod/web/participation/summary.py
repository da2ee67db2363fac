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
    1: gettext_lazy("One"),
    2: gettext_lazy("Two"),
    3: gettext_lazy("Three"),
    4: gettext_lazy("Four"),
    5: gettext_lazy("Five"),
    6: gettext_lazy("Six"),
    7: gettext_lazy("Seven"),
    8: gettext_lazy("Eight"),
    9: gettext_lazy("Nine"),
    10: gettext_lazy("Ten"),
}


def percent(share: Fraction | None) -> str:
    """A share as a whole percentage; "less than 1%" rather than a misleading 0%."""
    if share is None:
        return "—"
    if 0 < share < Fraction(1, 200):
        return _("less than 1%")
    return f"{round(share * 100)}%"


def people(count: int) -> str:
    """ "Three people", "One person": counts up to ten in words, as plain English prefers."""
    word = str(_COUNTS[count]) if count in _COUNTS else str(count)
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": word}


def meeting_summary(view: MeetingView) -> list[str]:
    """Sentences for one meeting, most telling first."""
    sentences = []
    if view.few is not None:
        count, held = view.few
        sentences.append(
            _("%(people)s of the %(present)s present spoke %(share)s of the words.")
            % {"people": people(count), "present": view.present, "share": percent(held)}
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

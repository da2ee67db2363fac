"""The burden chart: each group's share of the hours beside its share of the team, as a PNG.

It draws the core's shares (:func:`coprod.core.costs.burden_shares`) and computes nothing. The two
bars differ in colour, in lightness and in pattern, so they read in greyscale and for people who
do not see colour; the numbers are printed on the bars and given again in a table on the page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from coprod.core.costs import GroupShare
from coprod.web.costs.labels import group_label

HOURS_COLOUR = "#005a9c"  # dark blue: 7:1 against white
TEAM_COLOUR = "#ffffff"
EDGE_COLOUR = "#1b1b1b"


def percent(share: Any) -> int:
    """A share as a whole percentage: the data have no more precision than that."""
    return round(share * 100)


def burden_png(shares: Sequence[GroupShare], title: str) -> bytes:
    from matplotlib.figure import Figure

    labels = []
    for share in shares:
        label = str(group_label(share))
        if share.flagged:
            label = _("%(group)s (flagged)") % {"group": label}
        labels.append(label)
    height = 1.6 + 0.75 * max(len(shares), 1)
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(shares)))
    bar = 0.38
    hours = [percent(share.hours_share) for share in shares]
    team = [percent(share.team_share) for share in shares]
    hours_bars = axes.barh(
        [p - bar / 2 for p in positions],
        hours,
        height=bar,
        color=HOURS_COLOUR,
        edgecolor=EDGE_COLOUR,
        label=_("Share of the hours"),
    )
    team_bars = axes.barh(
        [p + bar / 2 for p in positions],
        team,
        height=bar,
        color=TEAM_COLOUR,
        edgecolor=EDGE_COLOUR,
        hatch="//",
        label=_("Share of the team"),
    )
    for bars in (hours_bars, team_bars):
        axes.bar_label(bars, labels=[f"{value}%" for value in bars.datavalues], padding=3)
    axes.set_yticks(positions, labels=labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 112)
    axes.set_xlabel(_("Per cent"))
    axes.set_title(title, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    figure.legend(
        handles=[hours_bars, team_bars], loc="outside lower center", ncols=2, frameon=False
    )
    stream = io.BytesIO()
    figure.savefig(stream, format="png")
    return stream.getvalue()

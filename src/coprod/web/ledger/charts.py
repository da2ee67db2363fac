"""The adoption chart: each group's share of decided contributions adopted, as a PNG.

It draws the core's figures (:func:`coprod.core.contributions.adoption_by_group`) and computes
nothing. Each bar carries its percentage and the counts it rests on; the page gives the same
figures again in a table. Groups with nothing decided are left out: they have no share.
"""

from __future__ import annotations

import io
import textwrap

from django.utils.translation import gettext as _

from coprod.core.contributions import AdoptionResult
from coprod.web.ledger.labels import group_label

BAR_COLOUR = "#005a9c"  # dark blue: 7:1 against white
EDGE_COLOUR = "#1b1b1b"


def adoption_png(result: AdoptionResult, title: str) -> bytes:
    from matplotlib.figure import Figure

    rows = [row for row in result.groups if row.decided]
    if not rows:
        return _nothing_yet(title)
    height = 2.4 + 0.6 * max(len(rows), 1)
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(rows)))
    values = [row.percent or 0 for row in rows]
    bars = axes.barh(positions, values, height=0.55, color=BAR_COLOUR, edgecolor=EDGE_COLOUR)
    axes.bar_label(
        bars,
        labels=[f"{row.percent}% ({row.adopted} / {row.decided})" for row in rows],
        padding=3,
    )
    axes.set_yticks(positions, labels=[group_label(row.group.value) for row in rows])
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel(_("Per cent of decided contributions adopted or adapted"))
    axes.set_title(textwrap.fill(title, 80), loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    stream = io.BytesIO()
    figure.savefig(stream, format="png")
    return stream.getvalue()


def _nothing_yet(title: str) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 1.6), dpi=100)
    figure.text(0.02, 0.8, textwrap.fill(title, 80), fontsize="large")
    figure.text(0.5, 0.4, _("Nothing decided yet"), ha="center", va="center")
    stream = io.BytesIO()
    figure.savefig(stream, format="png")
    return stream.getvalue()

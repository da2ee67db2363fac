"""Charts of a meeting and of the series, as PNG images.

They draw the figures the pages show in tables and compute nothing. Bars differ in colour, in
lightness and in pattern, and lines in marker shape and dash, so they read in greyscale and for
people who do not see colour; the numbers are printed on the bars.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

WORDS_COLOUR = "#005a9c"  # dark blue: 7:1 against white
OTHER_COLOUR = "#ffffff"
EDGE_COLOUR = "#1b1b1b"
LINE_STYLES = [
    ("#005a9c", "o", "-"),
    ("#b35806", "s", "--"),
    ("#1b7837", "^", "-."),
    ("#762a83", "D", ":"),
    ("#1b1b1b", "v", "-"),
    ("#8c510a", "P", "--"),
    ("#01665e", "X", "-."),
    ("#c51b7d", "*", ":"),
    ("#4d4d4d", "h", "-"),
]


def _percent(share: Fraction | None) -> float:
    return 0.0 if share is None else float(share * 100)


def _png(figure: Any) -> bytes:
    stream = io.BytesIO()
    figure.savefig(stream, format="png")
    return stream.getvalue()


def bars_png(
    labels: Sequence[str],
    first: Sequence[Fraction | None],
    second: Sequence[Fraction | None] | None,
    *,
    title: str,
    first_label: str,
    second_label: str = "",
) -> bytes:
    """Horizontal bars of one or two shares per row (percentages), largest row at the top."""
    from matplotlib.figure import Figure

    height = 1.6 + (0.75 if second is not None else 0.45) * max(len(labels), 1)
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(labels)))
    bar = 0.38 if second is not None else 0.6
    shift = bar / 2 if second is not None else 0
    handles = [
        axes.barh(
            [p - shift for p in positions],
            [_percent(v) for v in first],
            height=bar,
            color=WORDS_COLOUR,
            edgecolor=EDGE_COLOUR,
            label=first_label,
        )
    ]
    if second is not None:
        handles.append(
            axes.barh(
                [p + shift for p in positions],
                [_percent(v) for v in second],
                height=bar,
                color=OTHER_COLOUR,
                edgecolor=EDGE_COLOUR,
                hatch="//",
                label=second_label,
            )
        )
    for bars in handles:
        axes.bar_label(bars, labels=[f"{round(v)}%" for v in bars.datavalues], padding=3)
    axes.set_yticks(positions, labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, 112)
    axes.set_xlabel(_("Per cent"))
    axes.set_title(title, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if second is not None:
        figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return _png(figure)


def trend_png(
    dates: Sequence[dt.date], series: Sequence[tuple[str, Sequence[Fraction | None]]], title: str
) -> bytes:
    """Each group's share of the words, meeting by meeting: one line per group."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 5), dpi=100, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(dates)))
    for index, (label, shares) in enumerate(series):
        colour, marker, dash = LINE_STYLES[index % len(LINE_STYLES)]
        # A meeting the group missed breaks its line, rather than joining the meetings around it.
        values = [float("nan") if s is None else _percent(s) for s in shares]
        axes.plot(
            positions,
            values,
            color=colour,
            marker=marker,
            linestyle=dash,
            linewidth=2,
            markersize=7,
            label=textwrap.fill(label, 24),
        )
    axes.set_xticks(positions, labels=[d.strftime("%d %b %Y") for d in dates], rotation=30)
    axes.set_ylim(0, 100)
    axes.set_ylabel(_("Share of the words (per cent)"))
    axes.set_title(title, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        figure.legend(loc="outside right upper", frameon=False)
    return _png(figure)

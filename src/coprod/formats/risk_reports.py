"""The risk register as JSON data, terminal text, an XLSX workbook and a heat-map image.

openpyxl and matplotlib are imported inside the functions that need them, so that commands which
never write a workbook or an image start quickly.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from typing import Any

from coprod.core.catalogue import Catalogue
from coprod.core.ids import Stage
from coprod.core.risks import (
    IMPACT_WORDS,
    LIKELIHOOD_WORDS,
    SCALE,
    TEAMS_OWN,
    RegisterEntry,
    heat_map,
    reviews_due,
)
from coprod.core.sources import Source

GUIDANCE_ONLY = "Coprod gives guidance; the judgement is the team's."
WHOLE_PROJECT = "Whole project"
PROPOSED_NOTE = (
    "Proposed by Coprod from the paper. Review each one: take it into your plan's risks (rate it, "
    "give it an owner and a mitigation), or dismiss it there with a reason."
)

HEAT_MAP_INCHES = (8.0, 6.5)
HEAT_MAP_DPI = 100
HEAT_MAP_PIXELS = (
    round(HEAT_MAP_INCHES[0] * HEAT_MAP_DPI),
    round(HEAT_MAP_INCHES[1] * HEAT_MAP_DPI),
)
"""The size of :func:`heat_map_png`'s image, width × height, at the default resolution."""
EMPTY_CELL = "#eeeeee"


def _source(source: Source | None, catalogue: Catalogue) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "document": source.document,
        "locator": source.locator,
        "quote": " ".join(source.quote.split()) if source.quote else None,
        "citation": catalogue.cite(source),
    }


def stage_label(stage: Stage | None, catalogue: Catalogue) -> str:
    return catalogue.stages[stage].label if stage is not None else WHOLE_PROJECT


def _risk(entry: RegisterEntry, catalogue: Catalogue) -> dict[str, Any]:
    risk = entry.risk
    return {
        "stage": risk.stage.value if risk.stage is not None else None,
        "stage_label": stage_label(risk.stage, catalogue),
        "challenge": " ".join(risk.challenge.split()),
        "label": entry.label,
        "help": " ".join(entry.help.split()) if entry.help else None,
        "cost_types": [c.value for c in risk.cost_types],
        "bears": [b.value for b in risk.bears],
        "bears_who": risk.bears_who,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": entry.score,
        "status": risk.status,
        "reason": risk.reason,
        "mitigation": " ".join(risk.mitigation.split()) if risk.mitigation else None,
        "owner": risk.owner,
        "review": risk.review.isoformat() if risk.review else None,
        "catalogue_id": risk.catalogue_id,
        "origin": entry.origin,
        "source": _source(entry.source, catalogue),
    }


def heat_map_data(entries: Sequence[RegisterEntry]) -> dict[str, Any]:
    counts = heat_map(entries)
    return {
        "counts": counts,
        "rows": "likelihood",
        "columns": "impact",
        "likelihood": [{"value": v, "label": LIKELIHOOD_WORDS[v]} for v in SCALE],
        "impact": [{"value": v, "label": IMPACT_WORDS[v]} for v in SCALE],
        "total": sum(map(sum, counts)),
        "note": "counts[likelihood - 1][impact - 1]; rated risks that are not closed or dismissed",
    }


def risk_register_data(
    entries: Sequence[RegisterEntry],
    catalogue: Catalogue,
    *,
    title: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The register as data: ``risks`` (each with its source), ``heat_map`` and ``reviews_due``."""
    today = today or dt.date.today()
    due = reviews_due(entries, today)
    return {
        "title": title,
        "catalogue_version": catalogue.version,
        "today": today.isoformat(),
        "risks": [_risk(entry, catalogue) for entry in entries],
        "counts": {
            "total": len(entries),
            "in_plan": sum(1 for e in entries if e.origin == "plan"),
            "proposed": sum(1 for e in entries if e.origin == "seeded"),
            "rated": sum(1 for e in entries if e.rated),
            "live": sum(1 for e in entries if e.live),
        },
        "heat_map": heat_map_data(entries),
        "reviews_due": [
            {
                "stage": e.risk.stage.value if e.risk.stage is not None else None,
                "challenge": " ".join(e.risk.challenge.split()),
                "status": e.risk.status,
                "owner": e.risk.owner,
                "review": e.risk.review.isoformat() if e.risk.review else None,
                "days_overdue": (today - e.risk.review).days if e.risk.review else 0,
            }
            for e in due
        ],
    }


# --- Terminal text -------------------------------------------------------------------------------

_WIDTH = 88


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


def _heading(title: str) -> list[str]:
    return ["", title, "─" * len(title)]


def heat_map_text(entries: Sequence[RegisterEntry]) -> list[str]:
    """A small grid: likelihood down (most likely at the top), impact across."""
    counts = heat_map(entries)
    label_width = max(len(f"{v} {w}") for v, w in LIKELIHOOD_WORDS.items()) + 2
    cell = max(len(w) for w in IMPACT_WORDS.values()) + 2
    lines = [
        " " * label_width + "Impact →",
        "Likelihood ↓".ljust(label_width)
        + "".join(f"{v} {IMPACT_WORDS[v]}".center(cell + 2) for v in SCALE).rstrip(),
    ]
    for likelihood in reversed(SCALE):
        row = counts[likelihood - 1]
        cells = "".join((str(n) if n else "·").center(cell + 2) for n in row)
        label = f"{likelihood} {LIKELIHOOD_WORDS[likelihood]}".ljust(label_width)
        lines.append((label + cells).rstrip())
    return lines


def _rating(entry: RegisterEntry) -> str:
    risk = entry.risk
    if risk.likelihood is not None and risk.impact is not None:
        return f"score {entry.score} = likelihood {risk.likelihood} × impact {risk.impact}"
    if risk.likelihood is None and risk.impact is None:
        return "not rated"
    return f"likelihood {risk.likelihood or '?'} × impact {risk.impact or '?'}, not yet scored"


def _cite(source: dict[str, Any] | None, challenge: str | None = None) -> str:
    """The citation with the paper's words, unless the challenge already is those words."""
    if source is None:
        return TEAMS_OWN
    quote = source.get("quote")
    if not quote or quote == challenge:
        return f"[{source['citation']}]"
    return f'[{source["citation"]}] "{quote}"'


_BODY = "      "


def _risk_text(number: int, item: dict[str, Any]) -> list[str]:
    head = f"{item['stage_label']} · {item['status']} · {item['rating']}"
    lines = [_wrap(head, _BODY, first=f"{number:>4}. ")]
    lines.append(_wrap(item["challenge"], _BODY))
    if item["origin"] == "seeded" and item["help"]:
        lines.append(_wrap(item["help"], _BODY))
    bears = ", ".join(item["bears"]) or "not said"
    who = f" ({item['bears_who']})" if item["bears_who"] else ""
    costs = ", ".join(item["cost_types"]) or "not said"
    lines.append(_wrap(f"Costs: {costs}. Borne by: {bears}{who}.", _BODY))
    for key, name in (("mitigation", "Mitigation"), ("reason", "Reason"), ("owner", "Owner")):
        if item[key]:
            lines.append(_wrap(f"{name}: {item[key]}", _BODY + "  ", _BODY))
    if item["review"]:
        lines.append(f"{_BODY}Next review: {item['review']}")
    lines.append(_wrap(_cite(item["source"], item["challenge"]), _BODY + "  ", _BODY))
    return lines


def risk_register_text(
    entries: Sequence[RegisterEntry],
    catalogue: Catalogue,
    *,
    title: str | None = None,
    today: dt.date | None = None,
) -> str:
    """A register that reads well in a terminal: the heat map, reviews due, then each risk."""
    data = risk_register_data(entries, catalogue, title=title, today=today)
    for item, entry in zip(data["risks"], entries, strict=True):
        item["rating"] = _rating(entry)
    heading = f"Risk register: {title}" if title else "Risk register"
    lines = [_wrap(heading), "═" * min(len(heading), _WIDTH), ""]
    counts = data["counts"]
    lines.append(
        _wrap(
            f"{counts['total']} risks: {counts['in_plan']} in your plan, "
            f"{counts['proposed']} proposed by Coprod for your team to review."
        )
    )

    heat = data["heat_map"]
    noun = "risk" if heat["total"] == 1 else "risks"
    lines += _heading(f"Heat map ({heat['total']} rated {noun}, not closed or dismissed)")
    lines += heat_map_text(entries)

    due = data["reviews_due"]
    lines += _heading(f"Reviews due on {data['today']} ({len(due)})")
    if not due:
        lines.append("None.")
    for item in due:
        late = f", {item['days_overdue']} days late" if item["days_overdue"] else ", due today"
        owner = f" — {item['owner']}" if item["owner"] else ""
        stage = stage_label(Stage(item["stage"]) if item["stage"] else None, catalogue)
        text = f"{item['review']}{late}{owner} ({stage}): {item['challenge']}"
        lines.append(_wrap(text, "    ", "  • "))

    # The plan's risks first, then the proposals, each part in the register's order.
    in_plan = [i for i in data["risks"] if i["origin"] == "plan"]
    proposed = [i for i in data["risks"] if i["origin"] == "seeded"]
    numbered = list(enumerate([*in_plan, *proposed], 1))
    lines += _heading(f"Your plan's risks ({len(in_plan)})")
    if not in_plan:
        lines.append("None yet.")
    for number, item in numbered[: len(in_plan)]:
        lines += [*_risk_text(number, item), ""]
    lines += _heading(f"Proposed by Coprod ({len(proposed)})")
    lines.append(_wrap(PROPOSED_NOTE) if proposed else "None.")
    for number, item in numbered[len(in_plan) :]:
        lines += ["", *_risk_text(number, item)]
    lines += ["", _wrap(f"Catalogue {data['catalogue_version']}. {GUIDANCE_ONLY}")]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def heat_map_description(entries: Sequence[RegisterEntry]) -> str:
    """The heat map in words, to go with the image as its text alternative."""
    counts = heat_map(entries)
    total = sum(map(sum, counts))
    if total == 0:
        return "Risk heat map: no risk is rated yet."
    parts = [
        f"{counts[lk - 1][im - 1]} {LIKELIHOOD_WORDS[lk].lower()} with "
        f"{IMPACT_WORDS[im].lower()} impact"
        for lk in reversed(SCALE)
        for im in reversed(SCALE)
        if counts[lk - 1][im - 1]
    ]
    noun = "risk" if total == 1 else "risks"
    return f"Risk heat map of {total} rated {noun}: {'; '.join(parts)}."


# --- XLSX ----------------------------------------------------------------------------------------

REGISTER_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Stage", 18),
    ("Risk", 60),
    ("Cost types", 18),
    ("Who bears it", 18),
    ("Which person or group", 22),
    ("Likelihood (1–5)", 11),
    ("Impact (1–5)", 10),
    ("Score", 8),
    ("Status", 12),
    ("Reason", 30),
    ("Mitigation", 50),
    ("Owner", 18),
    ("Next review", 13),
    ("From", 14),
    ("Catalogue id", 24),
    ("Source", 60),
)

# Light to mid blue (ColorBrewer "Blues"): one hue, so it reads with any colour vision, and light
# enough that black numbers stay legible on every shade.
_XLSX_SHADES = ("FFFFFF", "DEEBF7", "C6DBEF", "9ECAE1", "6BAED6")


def risk_register_xlsx(
    entries: Sequence[RegisterEntry],
    catalogue: Catalogue,
    *,
    title: str | None = None,
    today: dt.date | None = None,
) -> bytes:
    """A workbook: the register (one row per risk under a frozen header) and a heat-map sheet."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    data = risk_register_data(entries, catalogue, title=title, today=today)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Risk register"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="DDDDDD")

    sheet.append([name for name, _ in REGISTER_COLUMNS])
    for index, (_, width) in enumerate(REGISTER_COLUMNS, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for item, entry in zip(data["risks"], entries, strict=True):
        sheet.append(
            [
                item["stage_label"],
                item["challenge"],
                ", ".join(item["cost_types"]),
                ", ".join(item["bears"]),
                item["bears_who"],
                item["likelihood"],
                item["impact"],
                item["score"],
                item["status"],
                item["reason"],
                item["mitigation"],
                item["owner"],
                entry.risk.review,
                "Your plan" if item["origin"] == "plan" else "Proposed by Coprod",
                item["catalogue_id"],
                _cite(item["source"]),
            ]
        )
    last = sheet.max_row
    for row in sheet.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.alignment = wrap
        row[12].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(REGISTER_COLUMNS))}{last}"
    sheet.row_dimensions[1].height = 30
    # Help whoever edits the workbook to keep ratings and statuses to what Coprod understands.
    if last >= 2:
        rating = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
        rating.error = "Rate from 1 to 5."
        rating.add(f"F2:G{last}")
        statuses = '"proposed,open,mitigated,closed,accepted,dismissed"'
        status = DataValidation(type="list", formula1=statuses, allow_blank=False)
        status.add(f"I2:I{last}")
        sheet.add_data_validation(rating)
        sheet.add_data_validation(status)

    heat = workbook.create_sheet("Heat map")
    heat["A1"] = f"Risk heat map{': ' + title if title else ''}"
    heat["A1"].font = Font(bold=True, size=14)
    heat["A2"] = (
        f"Number of risks at each likelihood and impact ({data['heat_map']['total']} rated risks "
        "that are not closed or dismissed)."
    )
    heat["B4"] = "Impact →"
    heat["B4"].font = bold
    heat["A5"] = "Likelihood ↓"
    heat["A5"].font = bold
    counts = data["heat_map"]["counts"]
    biggest = max(max(row) for row in counts) or 1
    thin = Side(style="thin", color="888888")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, impact in enumerate(SCALE, 2):
        cell = heat.cell(row=5, column=column, value=f"{impact} {IMPACT_WORDS[impact]}")
        cell.font = bold
        cell.alignment = centre
        heat.column_dimensions[get_column_letter(column)].width = 14
    heat.column_dimensions["A"].width = 20
    for row, likelihood in enumerate(reversed(SCALE), 6):
        label = heat.cell(row=row, column=1, value=f"{likelihood} {LIKELIHOOD_WORDS[likelihood]}")
        label.font = bold
        heat.row_dimensions[row].height = 30
        for column, impact in enumerate(SCALE, 2):
            count = counts[likelihood - 1][impact - 1]
            cell = heat.cell(row=row, column=column, value=count)
            shade = (
                _XLSX_SHADES[0]
                if count == 0
                else _XLSX_SHADES[1 + min(3, (count * 4 - 1) // biggest)]
            )
            cell.fill = PatternFill("solid", fgColor=shade)
            cell.alignment = centre
            cell.border = border
            cell.font = Font(bold=count > 0)
    likelihoods = ", ".join(f"{v} {w}" for v, w in LIKELIHOOD_WORDS.items())
    impacts = ", ".join(f"{v} {w}" for v, w in IMPACT_WORDS.items())
    heat["A12"] = f"Likelihood: {likelihoods}. Impact: {impacts}. Score = likelihood × impact."
    heat["A13"] = f"Catalogue {data['catalogue_version']}. {GUIDANCE_ONLY}"
    workbook.properties.title = f"Risk register: {title}" if title else "Risk register"
    workbook.properties.creator = "Coprod"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


# --- PNG -----------------------------------------------------------------------------------------


def heat_map_png(
    entries: Sequence[RegisterEntry], *, title: str | None = None, dpi: int = HEAT_MAP_DPI
) -> bytes:
    """The heat map as a PNG image of :data:`HEAT_MAP_PIXELS` at the default ``dpi``.

    Counts are written in each cell, so the colour (cividis, readable with colour-vision
    deficiency) is never the only way to read it. Use :func:`heat_map_description` as its text
    alternative.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import BoundaryNorm, ListedColormap, to_hex
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    counts = heat_map(entries)
    total = sum(map(sum, counts))
    biggest = max(max(row) for row in counts)
    # Empty cells in light grey; counts of 1 and up along cividis (reversed, so more is darker),
    # leaving out its palest end so that every shade stands apart from an empty cell.
    cividis = colormaps["cividis_r"]
    shades = [to_hex(cividis(0.3 + 0.7 * step / max(biggest - 1, 1))) for step in range(biggest)]
    palette = ListedColormap([EMPTY_CELL, *shades])
    norm = BoundaryNorm([n - 0.5 for n in range(biggest + 2)], palette.N)
    figure = Figure(figsize=HEAT_MAP_INCHES, dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    image = axes.imshow(counts, cmap=palette, norm=norm, origin="lower", aspect="auto")
    for likelihood in SCALE:
        for impact in SCALE:
            count = counts[likelihood - 1][impact - 1]
            red, green, blue, _ = palette(norm(count))
            luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
            axes.text(
                impact - 1,
                likelihood - 1,
                str(count),
                ha="center",
                va="center",
                fontsize=18 if count else 12,
                fontweight="bold" if count else "normal",
                color=("white" if luminance < 0.5 else "black") if count else "#666666",
            )
    axes.set_xticks(range(len(SCALE)), [f"{v}\n{IMPACT_WORDS[v]}" for v in SCALE])
    axes.set_yticks(range(len(SCALE)), [f"{LIKELIHOOD_WORDS[v]} ({v})" for v in SCALE])
    axes.set_xticks([v - 0.5 for v in range(1, len(SCALE))], minor=True)
    axes.set_yticks([v - 0.5 for v in range(1, len(SCALE))], minor=True)
    axes.grid(which="minor", color="white", linewidth=3)
    axes.tick_params(which="both", length=0)
    axes.set_xlabel("Impact", fontsize=12)
    axes.set_ylabel("Likelihood", fontsize=12)
    heading = ["Risk heat map"]
    if title:
        heading += textwrap.wrap(
            textwrap.shorten(title, 120, placeholder="…"), 64, break_on_hyphens=False
        )
    figure.suptitle("\n".join(heading), fontsize=13, fontweight="bold")
    noun = "risk" if total == 1 else "risks"
    counted = f"{total} rated {noun}, not closed or dismissed" if total else "No risk rated yet"
    axes.set_title(f"{counted}. Score = likelihood × impact.", fontsize=10, loc="left")
    ticks = list(range(biggest + 1)) if biggest <= 10 else MaxNLocator(integer=True)
    colour_bar = figure.colorbar(image, ax=axes, ticks=ticks)
    colour_bar.set_label("Number of risks")
    stream = io.BytesIO()
    figure.savefig(stream, format="png", dpi=dpi, metadata={"Software": None})
    return stream.getvalue()

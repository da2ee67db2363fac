"""``coprod risks``: the risk register from a plan file, as text, JSON or XLSX, and a heat map."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coprod.cli.app import CatalogueOption, _catalogue


class RiskFormat(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


def _write(path: Path, data: bytes | str, what: str) -> None:
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as error:
        typer.echo(f"Cannot write the {what} to {path}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote the {what} to {path}", err=True)


def risks(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    output_format: Annotated[
        RiskFormat,
        typer.Option("--format", help="text for a terminal, json, or xlsx (a spreadsheet)."),
    ] = RiskFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the register to this file. For xlsx it defaults to PLAN-NAME.risks.xlsx "
            "in the current folder.",
            dir_okay=False,
        ),
    ] = None,
    heat_map: Annotated[
        Path | None,
        typer.Option(
            "--heat-map", help="Also draw the likelihood × impact heat map as a PNG image here."
        ),
    ] = None,
    today: Annotated[
        dt.datetime | None,
        typer.Option(
            "--today",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="Count reviews due as of this date (YYYY-MM-DD) instead of today.",
        ),
    ] = None,
    catalogue_folders: CatalogueOption = None,
) -> None:
    """The risk register: your plan's risks, and those Table 1 and the paper propose for it.

    Coprod proposes risks for the stages and levels your plan chose.
    Review each one: add it to the plan's risks, or dismiss it there with a reason.
    """
    from coprod.core.problems import FileProblems
    from coprod.core.risks import risk_register
    from coprod.formats import risk_reports
    from coprod.formats.plan_file import load_plan

    catalogue = _catalogue(catalogue_folders)
    try:
        loaded = load_plan(plan, catalogue)
    except FileProblems as error:
        typer.echo(f"{plan} cannot be read until these are fixed:", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    entries = risk_register(loaded.plan, catalogue)
    title = loaded.plan.project.title
    day = today.date() if today else dt.date.today()

    if output_format is RiskFormat.xlsx:
        target = output or Path.cwd() / f"{plan.stem}.risks.xlsx"
        workbook = risk_reports.risk_register_xlsx(entries, catalogue, title=title, today=day)
        _write(target, workbook, "risk register")
    else:
        if output_format is RiskFormat.json:
            data = risk_reports.risk_register_data(entries, catalogue, title=title, today=day)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        else:
            text = risk_reports.risk_register_text(entries, catalogue, title=title, today=day)
        if output is None:
            typer.echo(text, nl=False)
        else:
            _write(output, text, "risk register")
    if heat_map is not None:
        _write(heat_map, risk_reports.heat_map_png(entries, title=title), "heat map")


def register(app: typer.Typer) -> None:
    """Add the risk commands to ``app``."""
    app.command()(risks)

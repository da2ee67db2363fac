"""``coprod costs``: the involvement budget from a plan file; ``coprod rates``: the rate cards."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coprod.cli.app import CatalogueOption, ListFormat, _catalogue, _emit_json

if TYPE_CHECKING:
    from coprod.core.catalogue import Catalogue
    from coprod.core.costs import Budget
    from coprod.formats.plan_file import LoadedPlan


class BudgetFormat(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


BINARY = {BudgetFormat.xlsx, BudgetFormat.docx}


def _load(plan: Path, catalogue: Catalogue) -> LoadedPlan:
    from coprod.core.problems import FileProblems
    from coprod.formats.plan_file import load_plan

    try:
        return load_plan(plan, catalogue)
    except FileProblems as error:
        typer.echo(f"{plan} cannot be costed until these are fixed:", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None


def _budget(loaded: LoadedPlan, catalogue: Catalogue) -> Budget:
    """The plan's budget; problems in its lines are shown with their line and column."""
    from coprod.core.costs import BudgetError, budget
    from coprod.core.problems import Problem
    from coprod.core.yaml_source import dotted

    try:
        return budget(loaded.plan, catalogue)
    except BudgetError as error:
        problems = []
        for found in error.problems:
            line, column = loaded.source.locate(found.path)
            problems.append(Problem(loaded.name, line, column, dotted(found.path), found.message))
        typer.echo(f"{loaded.name} cannot be costed until these are fixed:", err=True)
        for problem in sorted(problems, key=lambda p: (p.line or 0, p.column or 0)):
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None


def _write(path: Path, content: bytes, plan: Path) -> None:
    if path.resolve() == plan.resolve():
        typer.echo(f"Refusing to write the budget over the plan file itself: {path}", err=True)
        raise typer.Exit(2)
    try:
        path.write_bytes(content)
    except OSError as error:
        typer.echo(f"Cannot write {path}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Budget written to {path}")


def costs(
    plan: Annotated[Path, typer.Argument(help="The plan file to cost.", show_default=False)],
    output_format: Annotated[
        BudgetFormat,
        typer.Option(
            "--format",
            help="text for a terminal, json, xlsx (a grant budget sheet) or docx (a proposal "
            "section).",
        ),
    ] = BudgetFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file. xlsx and docx go to PLAN-NAME.budget.xlsx (or .docx) in "
            "the current folder when no file is given.",
            dir_okay=False,
        ),
    ] = None,
    catalogue_folders: CatalogueOption = None,
) -> None:
    """Cost the plan's involvement: every budget line priced, with totals by kind and by payer.

    Lines priced from a rate card use the rate in force on the line's date. The shipped rate cards
    hold example figures: check current rates before you submit a budget.
    """
    from coprod.formats import budget_reports

    catalogue = _catalogue(catalogue_folders)
    loaded = _load(plan, catalogue)
    result = _budget(loaded, catalogue)
    title = loaded.plan.project.title
    if output_format is BudgetFormat.xlsx:
        content = budget_reports.budget_xlsx(result, title)
    elif output_format is BudgetFormat.docx:
        content = budget_reports.budget_docx(result, title)
    elif output_format is BudgetFormat.json:
        import json

        data = {"title": title, **budget_reports.budget_data(result)}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        content = text.encode("utf-8")
    else:
        content = budget_reports.budget_text(result, title).encode("utf-8")
    if output is None and output_format in BINARY:
        output = Path.cwd() / f"{plan.stem}.budget.{output_format.value}"
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
    else:
        _write(output, content, plan)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date such as 2026-04-01, found {value!r}") from None


def rates(
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Show only the rates in force on this date (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.text,
    catalogue_folders: CatalogueOption = None,
) -> None:
    """List the rate cards a budget line can name, with each rate and the date it applies from."""
    from coprod.core.costs import rate_in_force

    day = _parse_date(on)
    catalogue = _catalogue(catalogue_folders)
    cards: list[dict[str, Any]] = []
    for card in catalogue.rate_cards.values():
        rates = sorted(card.rates, key=lambda rate: (rate.id, rate.valid_from))
        if day is not None:
            ids = list(dict.fromkeys(rate.id for rate in rates))
            rates = [
                rate_in_force(card, rate_id, day)
                for rate_id in ids
                if any(rate.id == rate_id and rate.valid_from <= day for rate in card.rates)
            ]
        cards.append(
            {
                "id": card.id,
                "label": card.label,
                "version": card.version,
                "currency": card.currency,
                "help": " ".join(card.help.split()),
                "source": catalogue.cite(card.source),
                "rates": [
                    {
                        "id": rate.id,
                        "label": rate.label,
                        "unit": rate.unit.value,
                        "amount": format(rate.amount, "f"),
                        "valid_from": rate.valid_from.isoformat(),
                        "note": rate.note,
                    }
                    for rate in rates
                ],
            }
        )
    if output is ListFormat.json:
        _emit_json(cards)
        return
    import textwrap

    for card_data in cards:
        typer.echo(f"{card_data['id']}: {card_data['label']} (version {card_data['version']})")
        typer.echo(
            textwrap.fill(card_data["help"], 88, initial_indent="  ", subsequent_indent="  ")
        )
        source = f"Source: {card_data['source']}"
        typer.echo(textwrap.fill(source, 88, initial_indent="  ", subsequent_indent="    "))
        for rate in card_data["rates"]:
            typer.echo(
                f"  • {rate['id']:<22} {rate['amount']:>8} {card_data['currency']} per "
                f"{rate['unit']:<8} from {rate['valid_from']}  {rate['label']}"
            )
        typer.echo("")


def register(app: typer.Typer) -> None:
    """Add the cost commands to ``app``."""
    app.command()(costs)
    app.command()(rates)

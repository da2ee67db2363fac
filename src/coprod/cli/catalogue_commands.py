"""Browse the catalogue: involvement methods (C2) and every entry with its source."""

from __future__ import annotations

import textwrap
from enum import StrEnum
from typing import Annotated, Any

import typer

from coprod.cli.app import CatalogueOption, ListFormat, _catalogue, _emit_json
from coprod.core.ids import Level, Motivation, RelativeCost, Stage, Standard


class Section(StrEnum):
    motivations = "motivations"
    stages = "stages"
    cost_types = "cost_types"
    levels = "levels"
    groups = "groups"
    bearers = "bearers"
    challenges = "challenges"
    criteria = "criteria"
    questions = "questions"
    alternatives = "alternatives"
    methods = "methods"
    standards = "standards"
    rules = "rules"
    cost_risks = "cost_risks"
    rate_cards = "rate_cards"
    documents = "documents"


def methods(
    aim: Annotated[
        Motivation | None, typer.Option(help="Only methods that serve this aim.")
    ] = None,
    stage: Annotated[Stage | None, typer.Option(help="Only methods for this stage.")] = None,
    level: Annotated[Level | None, typer.Option(help="Only methods that reach this level.")] = None,
    max_cost: Annotated[
        RelativeCost | None, typer.Option(help="Only methods costing at most this.")
    ] = None,
    max_hours: Annotated[
        float | None,
        typer.Option(help="Only methods asking at most this many hours of each person at a time."),
    ] = None,
    standard: Annotated[
        Standard | None, typer.Option(help="Only methods tagged with this UK Standard.")
    ] = None,
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.text,
    catalogue_folders: CatalogueOption = None,
) -> None:
    """Find involvement methods by aim, stage, level, budget and time asked of each person."""
    catalogue = _catalogue(catalogue_folders)
    found = catalogue.methods_matching(
        aim=aim, stage=stage, level=level, max_cost=max_cost, max_hours=max_hours, standard=standard
    )
    if output is ListFormat.json:
        _emit_json([m.model_dump(mode="json") for m in found])
        return
    if not found:
        typer.echo("No method fits all of those filters. Try loosening one.")
        return
    for method in found:
        ask = method.time_per_person
        hours = f"{ask.hours_min:g}–{ask.hours_max:g} h per {ask.per}"
        typer.echo(f"{method.label} ({method.id}) — {method.relative_cost.value} cost, {hours}")
        typer.echo(textwrap.fill(method.help, 88, initial_indent="    ", subsequent_indent="    "))
    typer.echo(f"\n{len(found)} method{'s' if len(found) != 1 else ''}.")


def catalogue(
    section: Annotated[Section, typer.Argument(help="Which part of the catalogue to list.")],
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.text,
    catalogue_folders: CatalogueOption = None,
) -> None:
    """List catalogue entries with their plain-language help and their source."""
    loaded = _catalogue(catalogue_folders)
    entries: dict[Any, Any] = getattr(loaded, section.value)
    if output is ListFormat.json:
        _emit_json(
            {
                "version": loaded.version,
                section.value: [e.model_dump(mode="json") for e in entries.values()],
            }
        )
        return
    for entry in entries.values():
        if section is Section.documents:
            typer.echo(f"{entry.id}: {' '.join(entry.citation.split())}")
            continue
        typer.echo(f"{entry.id} — {entry.label}")
        typer.echo(
            textwrap.fill(
                " ".join(entry.help.split()), 88, initial_indent="    ", subsequent_indent="    "
            )
        )
        for line in _details(section, entry):
            typer.echo(textwrap.fill(line, 88, initial_indent="    ", subsequent_indent="      "))
        quote = f' "{" ".join(entry.source.quote.split())}"' if entry.source.quote else ""
        typer.echo(
            textwrap.fill(
                f"[{loaded.cite(entry.source)}]{quote}",
                88,
                initial_indent="    ",
                subsequent_indent="    ",
            )
        )


def _details(section: Section, entry: Any) -> list[str]:
    """Lines particular to a section: what a project-wide cost is, and each rate on a card."""
    if section is Section.cost_risks:
        bears = ", ".join(b.value for b in entry.bears)
        return [
            f"Cost type: {entry.cost_type.value}; borne by: {bears}; proposed from "
            f"'{entry.min_level.value}' at any stage"
        ]
    if section is Section.rate_cards:
        lines = [f"Version {entry.version}, amounts in {entry.currency}:"]
        for rate in sorted(entry.rates, key=lambda r: (r.id, r.valid_from)):
            note = f" — {' '.join(rate.note.split())}" if rate.note else ""
            lines.append(
                f"- {rate.label} ({rate.id}): {rate.amount} {entry.currency} per "
                f"{rate.unit.value}, from {rate.valid_from.isoformat()}{note}"
            )
        return lines
    return []


def register(app: typer.Typer) -> None:
    app.command()(methods)
    app.command()(catalogue)

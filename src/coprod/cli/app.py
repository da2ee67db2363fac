"""The ``coprod`` command line: validate, assess and write plan files, and browse the catalogue.

Heavy modules are imported inside each command so that a quick command starts quickly.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coprod import __version__

if TYPE_CHECKING:
    from coprod.core.catalogue import Catalogue

app = typer.Typer(
    name="coprod",
    help=(
        "Decide whether, when and how to coproduce research, with the costs and risks in view. "
        "Based on Oliver, Kothari & Mays (2019), 'The dark side of coproduction'."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


CatalogueOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue",
        help="An organisation's catalogue folder that extends or overrides the shipped one. "
        "Repeat for several; COPROD_CATALOGUE may list folders separated by ':'.",
        exists=True,
        file_okay=False,
        dir_okay=True,
    ),
]


def _catalogue(folders: list[Path] | None) -> Catalogue:
    from coprod.core.catalogue import CatalogueError, default_catalogue, load_catalogue

    extra = list(folders or [])
    from_env = os.environ.get("COPROD_CATALOGUE", "")
    extra += [Path(part) for part in from_env.split(os.pathsep) if part]
    try:
        return load_catalogue(extra) if extra else default_catalogue()
    except CatalogueError as error:
        typer.echo("The catalogue is invalid:", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(2) from None


def _emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coprod {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Coprod's command line."""


@app.command()
def validate(
    plans: Annotated[list[Path], typer.Argument(help="Plan files to check.", show_default=False)],
    catalogue_folders: CatalogueOption = None,
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.text,
) -> None:
    """Check plan files. Exits 0 when every plan is valid, 1 with the list of problems if not."""
    from coprod.core.problems import FileProblems
    from coprod.formats.plan_file import load_plan

    catalogue = _catalogue(catalogue_folders)
    results: list[dict[str, Any]] = []
    for path in plans:
        try:
            load_plan(path, catalogue)
        except FileProblems as error:
            results.append({"file": str(path), "valid": False, "problems": error.problems})
        else:
            results.append({"file": str(path), "valid": True, "problems": []})
    if output is ListFormat.json:
        _emit_json([{**r, "problems": [p.as_dict() for p in r["problems"]]} for r in results])
    else:
        for result in results:
            if result["valid"]:
                typer.echo(f"{result['file']}: valid")
            else:
                count = len(result["problems"])
                typer.echo(f"{result['file']}: {count} problem{'s' if count != 1 else ''}")
                for problem in result["problems"]:
                    typer.echo(f"  {problem}")
    if not all(r["valid"] for r in results):
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the plan file's JSON Schema."""
    from coprod.formats.plan_schema import plan_schema

    _emit_json(plan_schema())


@app.command()
def assess(
    plan: Annotated[Path, typer.Argument(help="The plan file to assess.", show_default=False)],
    output: Annotated[
        ReportFormat, typer.Option("--format", help="text for a terminal, json, or markdown.")
    ] = ReportFormat.text,
    catalogue_folders: CatalogueOption = None,
) -> None:
    """Run the decision aid on a plan: emphasis, warnings, stage levels with their risks."""
    from coprod.core.assess import assess as run_assessment
    from coprod.core.problems import FileProblems
    from coprod.formats import assessment_report
    from coprod.formats.plan_file import load_plan

    catalogue = _catalogue(catalogue_folders)
    try:
        loaded = load_plan(plan, catalogue)
    except FileProblems as error:
        typer.echo(f"{plan} cannot be assessed until these are fixed:", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    result = run_assessment(loaded.plan, catalogue)
    if output is ReportFormat.json:
        _emit_json(assessment_report.assessment_data(result))
    elif output is ReportFormat.markdown:
        typer.echo(assessment_report.assessment_markdown(result), nl=False)
    else:
        typer.echo(assessment_report.assessment_text(result), nl=False)


@app.command()
def fmt(
    plans: Annotated[list[Path], typer.Argument(help="Plan files to rewrite.", show_default=False)],
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that would change.")
    ] = False,
) -> None:
    """Rewrite plan files in Coprod's layout, keeping comments. Refuses invalid files."""
    from coprod.core.problems import FileProblems
    from coprod.formats.plan_file import load_plan, write_plan

    failed = False
    for path in plans:
        try:
            loaded = load_plan(path)
        except FileProblems as error:
            typer.echo(str(error), err=True)
            failed = True
            continue
        text = write_plan(loaded)
        if text == path.read_text(encoding="utf-8-sig"):
            continue
        if check:
            typer.echo(f"{path}: would be reformatted")
            failed = True
        else:
            path.write_text(text, encoding="utf-8")
            typer.echo(f"{path}: reformatted")
    if failed:
        raise typer.Exit(1)


from coprod.cli import (  # noqa: E402
    catalogue_commands,
    cost_commands,
    new_command,
    participation_commands,
    risk_commands,
    web_commands,
)

catalogue_commands.register(app)
new_command.register(app)
risk_commands.register(app)
cost_commands.register(app)
web_commands.register(app)
participation_commands.register(app)


def main() -> None:
    """Entry point of the ``coprod`` console script."""
    # The command line uses no pydantic plugins; looking them up scans every installed package's
    # metadata, a cost paid at each start. A library user's process is left alone.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except BrokenPipeError:  # e.g. `coprod assess plan.yaml | head`
        sys.stderr.close()
        raise SystemExit(0) from None

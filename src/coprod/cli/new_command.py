"""``coprod new``: write a plan by answering questions, or from options in a script."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated

import typer

from coprod.core.ids import Answer, Criterion, Group, Motivation, choices

HEADER = (
    "# Coprod plan file (format version 1). Check it with `coprod validate {name}` and\n"
    "# assess it with `coprod assess {name}`. Run `coprod schema` for the full format.\n"
)


def _parse_pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise typer.BadParameter(f"'{value}' should look like KEY=VALUE", param_hint=option)
        pairs.append((key.strip(), rest.strip()))
    return pairs


def _aims_from_options(values: list[str]) -> list[dict[str, object]]:
    aims = []
    for key, outcome in _parse_pairs(values, "--aim"):
        if key not in Motivation.__members__.values():
            raise typer.BadParameter(
                f"'{key}' is not one of {choices(Motivation)}", param_hint="--aim"
            )
        aims.append({"motivation": key, "outcome": outcome})
    return aims


def _criteria_from_options(values: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for key, answer in _parse_pairs(values, "--criterion"):
        if key not in Criterion.__members__.values():
            raise typer.BadParameter(
                f"'{key}' is not one of {choices(Criterion)}", param_hint="--criterion"
            )
        if answer not in Answer.__members__.values():
            raise typer.BadParameter(
                f"{key}: '{answer}' is not one of {choices(Answer)}", param_hint="--criterion"
            )
        answers[key] = answer
    return answers


def _say(text: str, indent: str = "  ") -> None:
    typer.echo(
        textwrap.fill(" ".join(text.split()), 88, initial_indent=indent, subsequent_indent=indent)
    )


def _ask_groups() -> list[str]:
    while True:
        raw = typer.prompt(
            f"  For whom? Groups separated by commas ({choices(Group)}), or Enter to skip",
            default="",
            show_default=False,
        )
        groups = [part.strip() for part in raw.split(",") if part.strip()]
        wrong = [g for g in groups if g not in Group.__members__.values()]
        if not wrong:
            return groups
        typer.echo(f"  Not a group: {', '.join(wrong)}. Use the ids listed.")


def _ask_aims() -> list[dict[str, object]]:
    from coprod.core.catalogue import default_catalogue

    catalogue = default_catalogue()
    typer.echo("\nStep 1: why involve people? The paper names four kinds of aim.")
    aims: list[dict[str, object]] = []
    for motivation in Motivation:
        entry = catalogue.motivations[motivation]
        typer.echo(f"\n{entry.label} ({motivation.value})")
        _say(entry.help)
        if typer.confirm(f"  {entry.prompt} Is this one of your aims?", default=False):
            outcome = typer.prompt("  What must change if this aim is met?")
            aims.append(
                {"motivation": motivation.value, "outcome": outcome, "for_whom": _ask_groups()}
            )
    return aims


def _ask_criteria() -> dict[str, str]:
    from coprod.core.catalogue import default_catalogue

    catalogue = default_catalogue()
    typer.echo(
        "\nThe context (Table 2). For each question answer less, lean-less, neutral, lean-more, "
        "more, or press Enter for unknown."
    )
    answers: dict[str, str] = {}
    for criterion in Criterion:
        entry = catalogue.criteria[criterion]
        typer.echo(f"\n{entry.label}: {entry.question}")
        _say(entry.help)
        while True:
            raw = typer.prompt("  Answer", default="unknown").strip()
            if raw in Answer.__members__.values():
                answers[criterion.value] = raw
                break
            typer.echo(f"  Please answer one of {choices(Answer)}.")
    return answers


def new(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the plan.", dir_okay=False)
    ] = Path("plan.yaml"),
    title: Annotated[str | None, typer.Option(help="The project's title.")] = None,
    summary: Annotated[str | None, typer.Option(help="A few sentences on the project.")] = None,
    aim: Annotated[
        list[str] | None,
        typer.Option(
            help="An aim as MOTIVATION=OUTCOME, e.g. 'instrumental=Commissioners use it'."
        ),
    ] = None,
    criterion: Annotated[
        list[str] | None,
        typer.Option(help="A Table 2 answer as ID=ANSWER, e.g. 'resources=lean-less'."),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing; use only the options given.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Overwrite the output file if it exists.")] = False,
) -> None:
    """Write a new plan by answering questions, or from options (with --no-input) in scripts."""
    from coprod.core.plan import Plan
    from coprod.formats.plan_file import plan_to_yaml

    if output.exists() and not force:
        typer.echo(f"{output} already exists. Choose another --output, or add --force.", err=True)
        raise typer.Exit(1)
    aims = _aims_from_options(aim or [])
    answers = _criteria_from_options(criterion or [])
    if title is None and no_input:
        raise typer.BadParameter("a title is needed", param_hint="--title")
    if title is None:
        title = typer.prompt("Project title")
        if summary is None:
            summary = (
                typer.prompt(
                    "A sentence or two on the project (Enter to skip)",
                    default="",
                    show_default=False,
                )
                or None
            )
    if not no_input and not aims:
        aims = _ask_aims()
    if not no_input and not answers:
        answers = _ask_criteria()
    data: dict[str, object] = {"coprod": 1, "project": {"title": title}}
    if summary:
        data["project"] = {"title": title, "summary": summary}
    if aims:
        data["aims"] = aims
    data["criteria"] = answers
    plan = Plan.model_validate(data)
    text = HEADER.format(name=output.name) + plan_to_yaml(plan)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"\nWrote {output}. Next: coprod assess {output}")


def register(app: typer.Typer) -> None:
    app.command()(new)

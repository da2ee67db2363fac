"""``coprod serve`` and ``coprod demo``: the web app on this machine."""

from __future__ import annotations

import os
from typing import Annotated

import typer


def _django(settings: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def _migrate_and_demo(load_demo: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if load_demo:
        call_command("load_demo")


def demo(
    settings: Annotated[
        str, typer.Option(help="Django settings module.")
    ] = "coprod.web.settings.development",
) -> None:
    """Create the database if needed and load the demo organisation, projects and users."""
    _django(settings)
    _migrate_and_demo(load_demo=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    with_demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Load the demo projects and users first.")
    ] = False,
    settings: Annotated[
        str, typer.Option(help="Django settings module.")
    ] = "coprod.web.settings.development",
) -> None:
    """Run the web app on this machine (SQLite unless DATABASE_URL names another database)."""
    _django(settings)
    _migrate_and_demo(load_demo=with_demo)
    from django.core.management import call_command

    typer.echo(f"Coprod is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(demo)

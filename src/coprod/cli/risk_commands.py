"""``coprod risks``: the risk register from a plan file (being built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the risk commands to ``app``."""

"""``coprod costs``: the involvement budget from a plan file (being built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the cost commands to ``app``."""

"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="session")
def catalogue():  # type: ignore[no-untyped-def]
    from coprod.core.catalogue import default_catalogue

    return default_catalogue()

"""Words for the ledger's identifiers: groups and stages from the catalogue, kinds and
dispositions from the model's choices (so they are translated like every other label)."""

from __future__ import annotations

from typing import Any

from coprod.core.catalogue import default_catalogue
from coprod.web.ledger.models import DISPOSITION_CHOICES, ContributionKind

DISPOSITION_LABELS: dict[str, Any] = dict(DISPOSITION_CHOICES)
KIND_LABELS: dict[str, Any] = dict(ContributionKind.choices)


def group_label(group: str) -> str:
    if not group:
        return ""
    entry = default_catalogue().groups.get(group)  # type: ignore[call-overload]
    return str(entry.label) if entry is not None else group


def stage_label(stage: str) -> str:
    if not stage:
        return ""
    entry = default_catalogue().stages.get(stage)  # type: ignore[call-overload]
    return str(entry.label) if entry is not None else stage


def group_choices() -> list[tuple[str, str]]:
    return [(group.value, str(entry.label)) for group, entry in default_catalogue().groups.items()]


def stage_choices() -> list[tuple[str, str]]:
    return [(stage.value, str(entry.label)) for stage, entry in default_catalogue().stages.items()]

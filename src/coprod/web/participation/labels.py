"""Words for the identifiers shown on the participation pages, marked for translation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coprod.core.catalogue import default_catalogue
from coprod.formats.transcripts import TranscriptFormat

FORMAT_LABELS: dict[str, Any] = {
    TranscriptFormat.vtt.value: _("WebVTT with voice tags (<v Name>)"),
    TranscriptFormat.zoom.value: _("Zoom transcript (.vtt)"),
    TranscriptFormat.teams_vtt.value: _("Microsoft Teams transcript (.vtt)"),
    TranscriptFormat.teams_docx.value: _("Microsoft Teams transcript (Word .docx)"),
    TranscriptFormat.otter.value: _("Otter.ai transcript (.txt)"),
    TranscriptFormat.plain.value: _("Plain text, one ‘Name: what they said’ a line"),
    TranscriptFormat.csv.value: _("CSV of turns (speaker, start, end, text)"),
    TranscriptFormat.json.value: _("JSON of turns (speaker, start, end, text)"),
}


def group_label(group: str) -> str:
    """The catalogue's name for a stakeholder group; blank for no group."""
    if not group:
        return ""
    entry = default_catalogue().groups.get(group)  # type: ignore[call-overload]
    return str(entry.label) if entry is not None else group


def group_choices() -> list[tuple[str, str]]:
    return [(group.value, str(entry.label)) for group, entry in default_catalogue().groups.items()]


def format_label(fmt: str) -> str:
    return str(FORMAT_LABELS.get(fmt, fmt))

"""Filters for the participation pages: shares as whole percentages, times as minutes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template

from coprod.web.participation.labels import group_label
from coprod.web.participation.summary import percent

register = template.Library()


@register.filter
def share(value: Fraction | Decimal | None) -> str:
    if value is None:
        return "—"
    return percent(Fraction(value))


@register.filter
def duration(seconds: Decimal | None) -> str:
    """m:ss, or h:mm:ss past an hour."""
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def group_name(group: str) -> Any:
    return group_label(group)


@register.filter
def decimal2(value: Decimal | Fraction | None) -> str:
    return "—" if value is None else f"{float(value):.2f}"

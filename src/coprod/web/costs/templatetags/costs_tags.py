"""Filters that show the core's figures: money with its currency, shares as whole percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from coprod.formats.budget_reports import money_text
from coprod.web.costs.charts import percent as whole_percent
from coprod.web.costs.labels import (
    ATTRIBUTE_LABELS,
    KIND_LABELS,
    OFFER_LABELS,
    UNIT_LABELS,
    group_label,
)

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "GBP") -> str:
    """'£1,234.50'; a dash for no amount."""
    if amount is None:
        return "—"
    return money_text(amount, currency or "GBP")


@register.filter
def percent(share: Any) -> str:
    """A share (a Fraction) as a whole percentage: '34%'."""
    if share is None:
        return "—"
    return f"{whole_percent(share)}%"


@register.filter
def number(value: Decimal | None) -> str:
    """A quantity as a person writes it: 12, 2.5 (never 12.00 or 1E+1)."""
    if value is None:
        return "—"
    return format(Decimal(value).normalize(), "f")


@register.filter
def kind_label(kind: str) -> Any:
    return KIND_LABELS.get(kind, kind)


@register.filter
def unit_label(unit: Any) -> Any:
    value = getattr(unit, "value", unit)
    return UNIT_LABELS.get(value, value)


@register.filter
def offer_label(offer: str) -> Any:
    return OFFER_LABELS.get(offer, offer)


@register.filter
def attribute_label(attribute: str) -> Any:
    return ATTRIBUTE_LABELS.get(attribute, attribute)


@register.filter
def share_label(share: Any) -> Any:
    return group_label(share)

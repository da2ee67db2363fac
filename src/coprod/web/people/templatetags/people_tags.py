"""Words for the catalogue's identifiers on the roster and activity pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from coprod.web.people import selectors

register = template.Library()


@register.filter
def group_label(group: str) -> str:
    return selectors.group_label(group) if group else ""


@register.filter
def stage_label(stage: str) -> str:
    return selectors.stage_label(stage) if stage else ""


@register.filter
def stage_labels(stages: Iterable[str]) -> str:
    return ", ".join(selectors.stage_label(stage) for stage in stages or ())


@register.filter
def method_label(method: str) -> str:
    return selectors.method_label(method) if method else ""

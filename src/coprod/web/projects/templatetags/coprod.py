"""Template tags that show the core's words: labels, sources and emphasis."""

from __future__ import annotations

from django import template

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import Criterion, Emphasis
from coprod.core.sources import Source
from coprod.formats.assessment_report import EMPHASIS_WORDS

register = template.Library()


@register.simple_tag
def source_citation(source: Source) -> str:
    """'Oliver, Kothari & Mays 2019, Table 2'."""
    return default_catalogue().cite(source)


@register.simple_tag
def criterion_label(criterion: str) -> str:
    return default_catalogue().criteria[Criterion(criterion)].label


@register.simple_tag
def emphasis_words(emphasis: str) -> str:
    """The emphasis in words, e.g. 'Leaning towards more emphasis on coproduction'."""
    words = EMPHASIS_WORDS[Emphasis(emphasis)]
    return f"{emphasis}: {words}"

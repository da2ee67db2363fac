"""The catalogue: every entry loads, has a source, and every reference and quote is real."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pydantic import BaseModel

from coprod.core.catalogue import (
    CLOSED_SECTIONS,
    SECTIONS,
    Catalogue,
    CatalogueError,
    load_catalogue,
)
from coprod.core.catalogue.model import CriterionEntry
from coprod.core.ids import Level, Motivation, RelativeCost, Stage, Standard
from coprod.core.sources import Source

PAPER = Path(__file__).resolve().parent.parent / "data" / "oliver-kothari-mays-2019.txt"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    text = text.replace("*", "")  # the paper's text marks quoted words in italics with asterisks
    return re.sub(r"\s+", " ", text).strip().lower()


PAPER_TEXT = _normalise(PAPER.read_text(encoding="utf-8"))


def _sources(value: object) -> list[Source]:
    if isinstance(value, Source):
        return [value]
    if isinstance(value, BaseModel):
        return [s for item in value.__dict__.values() for s in _sources(item)]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _sources(item)]
    return []


def _entries(catalogue: Catalogue) -> list[tuple[str, str, BaseModel]]:
    return [
        (section, str(entry_id), entry)
        for section in SECTIONS
        if section != "documents"
        for entry_id, entry in getattr(catalogue, section).items()
    ]


def test_every_closed_vocabulary_has_one_entry_per_identifier(catalogue: Catalogue) -> None:
    for section, vocabulary in CLOSED_SECTIONS.items():
        assert set(getattr(catalogue, section)) == set(vocabulary), section


def test_issue_minimums(catalogue: Catalogue) -> None:
    assert len(catalogue.methods) >= 20
    required_methods = {
        "advisory_group", "steering_group", "workshop", "delphi", "nominal_group_technique",
        "citizens_jury", "world_cafe", "co_analysis_session", "document_review", "survey",
        "interviews", "focus_group", "photovoice", "peer_research", "embedded_researcher",
        "priority_setting_partnership", "online_community",
    }  # fmt: skip
    assert required_methods <= set(catalogue.methods)
    for motivation in Motivation:
        assert catalogue.alternatives_for(motivation), motivation
    questions = [q for q in catalogue.questions.values() if q.audience == "organisations"]
    assert len(questions) == 5
    assert {q.id for q in catalogue.questions.values() if q.audience == "individuals"} == {
        "brings", "when_needed", "costs", "decisions",
    }  # fmt: skip
    for stage in Stage:
        assert any(c.stage == stage for c in catalogue.challenges.values()), stage


def test_every_entry_has_a_source_naming_a_known_document(catalogue: Catalogue) -> None:
    for section, entry_id, entry in _entries(catalogue):
        sources = _sources(entry)
        assert sources, f"{section}[{entry_id}] has no source"
        for source in sources:
            assert source.document in catalogue.documents, f"{section}[{entry_id}]"
            assert catalogue.cite(source)


def test_every_quote_from_the_paper_is_the_papers_own_words(catalogue: Catalogue) -> None:
    quotes = [
        (f"{section}[{entry_id}]", source.quote)
        for section, entry_id, entry in _entries(catalogue)
        for source in _sources(entry)
        if source.document == "oliver2019" and source.quote
    ]
    quotes += [
        (f"criteria[{c.id}].{pole}", getattr(c, pole))
        for c in catalogue.criteria.values()
        for pole in ("less_pole", "more_pole")
    ]
    quotes += [
        (f"challenges[{c.id}].costs", cost.text)
        for c in catalogue.challenges.values()
        for cost in c.costs
    ]
    assert len(quotes) > 60
    missing = [(where, q) for where, q in quotes if _normalise(q) not in PAPER_TEXT]
    assert not missing, missing


def test_quote_check_would_catch_an_invented_quote() -> None:
    assert _normalise("coproduction always improves research quality") not in PAPER_TEXT


def test_table_2_poles_match_the_paper_row_by_row(catalogue: Catalogue) -> None:
    # Each row's two poles appear in the paper in table order: left pole before right pole,
    # and each row after the one before it.
    entries: list[CriterionEntry] = list(catalogue.criteria.values())
    positions = []
    for entry in entries:
        less_at = PAPER_TEXT.index(_normalise(entry.less_pole))
        more_at = PAPER_TEXT.index(_normalise(entry.more_pole))
        assert less_at < more_at, entry.id
        positions.append(less_at)
    assert positions == sorted(positions)


def test_challenges_at_grows_with_the_level(catalogue: Catalogue) -> None:
    levels = list(Level)
    for stage in Stage:
        found = [len(catalogue.challenges_at(stage, level)) for level in levels]
        assert found == sorted(found), stage
        assert catalogue.challenges_at(stage, Level.NONE) == []
        assert found[-1] == sum(1 for c in catalogue.challenges.values() if c.stage == stage)


def test_method_filters_each_narrow_the_list(catalogue: Catalogue) -> None:
    everything = catalogue.methods_matching()
    assert len(everything) == len(catalogue.methods)
    cheap = catalogue.methods_matching(max_cost=RelativeCost.LOW)
    assert cheap and all(m.relative_cost is RelativeCost.LOW for m in cheap)
    assert len(cheap) < len(everything)
    short = catalogue.methods_matching(max_hours=3)
    assert short and all(m.time_per_person.hours_max <= 3 for m in short)
    both = catalogue.methods_matching(
        aim=Motivation.SUBSTANTIVE, stage=Stage.ANALYSIS, level=Level.INVOLVE
    )
    assert both
    for method in both:
        assert Motivation.SUBSTANTIVE in method.aims
        assert Stage.ANALYSIS in method.stages
        assert Level.INVOLVE in method.levels
    tagged = catalogue.methods_matching(standard=Standard.INCLUSIVE_OPPORTUNITIES)
    assert tagged and all(Standard.INCLUSIVE_OPPORTUNITIES in m.standards for m in tagged)


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_an_organisation_folder_adds_and_overrides_entries(tmp_path: Path) -> None:
    _write(
        tmp_path / "org",
        "methods.yaml",
        """
version: "org-3"
documents:
  - id: org_handbook
    short: Trust handbook 2026
    citation: Our trust's involvement handbook, 2026.
methods:
  - id: survey
    label: Patient panel survey
    relative_cost: medium
  - id: walkabout
    label: Ward walkabout
    help: Patients and staff walk the ward together and note what they see.
    description: A guided walk of a service with patients and staff.
    aims: [substantive]
    stages: [questions]
    levels: [consult]
    time_per_person: {hours_min: 1, hours_max: 2, per: session}
    relative_cost: low
    source: {document: org_handbook, locator: "Section 4"}
""",
    )
    catalogue = load_catalogue([tmp_path / "org"])
    assert catalogue.methods["survey"].label == "Patient panel survey"
    assert catalogue.methods["survey"].relative_cost is RelativeCost.MEDIUM
    # fields the override leaves out keep the shipped values
    assert catalogue.methods["survey"].stages
    assert "walkabout" in catalogue.methods
    assert catalogue.folders == ("org@org-3",)


def test_an_invalid_organisation_folder_lists_every_problem(tmp_path: Path) -> None:
    _write(
        tmp_path / "bad",
        "extra.yaml",
        """
methods:
  - id: walkabout
    label: Ward walkabout
    help: x
    description: y
    aims: [curiosity]
    stages: [questions]
    levels: [consult]
    time_per_person: {hours_min: 3, hours_max: 1, per: session}
    relative_cost: cheap
    source: {document: nowhere, locator: "Section 4"}
gadgets: []
""",
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue([tmp_path / "bad"])
    text = "\n".join(caught.value.problems)
    assert "unknown section 'gadgets'" in text
    assert "methods[walkabout].aims.0" in text
    assert "methods[walkabout].relative_cost" in text
    assert "hours_max must not be below hours_min" in text
    assert "extra.yaml" in text


def test_unknown_document_in_an_organisation_folder_is_refused(tmp_path: Path) -> None:
    _write(
        tmp_path / "org",
        "m.yaml",
        "methods:\n  - id: survey\n    source: {document: nowhere, locator: x}\n",
    )
    with pytest.raises(CatalogueError, match="unknown document 'nowhere'"):
        load_catalogue([tmp_path / "org"])


def test_duplicate_keys_in_a_catalogue_file_are_refused(tmp_path: Path) -> None:
    _write(tmp_path / "org", "m.yaml", "methods:\n  - id: survey\n    id: survey2\n")
    with pytest.raises(CatalogueError, match="duplicate key"):
        load_catalogue([tmp_path / "org"])


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not a folder"):
        load_catalogue([tmp_path / "absent"])

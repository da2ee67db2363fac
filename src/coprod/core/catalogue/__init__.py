"""The catalogue: the paper's frameworks as versioned data files, loaded into typed objects.

The shipped files live in ``data/``. An organisation may add folders of its own: an entry whose id
is new is added, and an entry whose id exists replaces the fields it gives. Every folder is
validated the same way, and every reference between entries is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coprod.core.catalogue.model import (
    AlternativeEntry,
    BearerEntry,
    ChallengeEntry,
    CostRiskEntry,
    CostTypeEntry,
    CriterionEntry,
    GroupEntry,
    LevelEntry,
    MethodEntry,
    MotivationEntry,
    QuestionEntry,
    RateCardEntry,
    RuleEntry,
    StageEntry,
    StandardEntry,
)
from coprod.core.ids import (
    Bearer,
    CostType,
    Criterion,
    Group,
    Level,
    Motivation,
    RelativeCost,
    Stage,
    Standard,
    cost_rank,
    level_rank,
)
from coprod.core.problems import FileProblems
from coprod.core.sources import Document, Source
from coprod.core.yaml_source import read_yaml

DATA_DIR = Path(__file__).parent / "data"

SECTIONS: dict[str, type[BaseModel]] = {
    "documents": Document,
    "motivations": MotivationEntry,
    "stages": StageEntry,
    "cost_types": CostTypeEntry,
    "levels": LevelEntry,
    "groups": GroupEntry,
    "bearers": BearerEntry,
    "challenges": ChallengeEntry,
    "criteria": CriterionEntry,
    "questions": QuestionEntry,
    "alternatives": AlternativeEntry,
    "methods": MethodEntry,
    "standards": StandardEntry,
    "rules": RuleEntry,
    "cost_risks": CostRiskEntry,
    "rate_cards": RateCardEntry,
}

# Sections whose ids are a closed vocabulary (docs/plan-file.md): one entry for each member.
CLOSED_SECTIONS: dict[str, type[Any]] = {
    "motivations": Motivation,
    "stages": Stage,
    "cost_types": CostType,
    "levels": Level,
    "groups": Group,
    "bearers": Bearer,
    "criteria": Criterion,
    "standards": Standard,
}

E = TypeVar("E", bound=BaseModel)


class CatalogueError(Exception):
    """A catalogue folder is invalid. ``problems`` lists every problem found, each with where."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Catalogue:
    version: str
    folders: tuple[str, ...]
    documents: dict[str, Document]
    motivations: dict[Motivation, MotivationEntry]
    stages: dict[Stage, StageEntry]
    cost_types: dict[CostType, CostTypeEntry]
    levels: dict[Level, LevelEntry]
    groups: dict[Group, GroupEntry]
    bearers: dict[Bearer, BearerEntry]
    challenges: dict[str, ChallengeEntry]
    criteria: dict[Criterion, CriterionEntry]
    questions: dict[str, QuestionEntry]
    alternatives: dict[str, AlternativeEntry]
    methods: dict[str, MethodEntry]
    standards: dict[Standard, StandardEntry]
    rules: dict[str, RuleEntry]
    cost_risks: dict[str, CostRiskEntry]
    rate_cards: dict[str, RateCardEntry]

    def cite(self, source: Source) -> str:
        """A short citation a reader can follow, e.g. 'Oliver 2019, Table 2'."""
        document = self.documents[source.document]
        return f"{document.short}, {source.locator}"

    def challenges_at(self, stage: Stage, level: Level) -> list[ChallengeEntry]:
        """Table 1's challenges that involvement at ``level`` can bring at ``stage``."""
        return [
            entry
            for entry in self.challenges.values()
            if entry.stage == stage and level_rank(entry.min_level) <= level_rank(level)
        ]

    def alternatives_for(self, motivation: Motivation) -> list[AlternativeEntry]:
        return [alt for alt in self.alternatives.values() if motivation in alt.motivations]

    def methods_matching(
        self,
        *,
        aim: Motivation | None = None,
        stage: Stage | None = None,
        level: Level | None = None,
        max_cost: RelativeCost | None = None,
        max_hours: float | None = None,
        standard: Standard | None = None,
    ) -> list[MethodEntry]:
        """Involvement methods that fit every filter given (C2's method finder)."""

        def fits(method: MethodEntry) -> bool:
            return (
                (aim is None or aim in method.aims)
                and (stage is None or stage in method.stages)
                and (level is None or level in method.levels)
                and (max_cost is None or cost_rank(method.relative_cost) <= cost_rank(max_cost))
                and (max_hours is None or method.time_per_person.hours_per_person() <= max_hours)
                and (standard is None or standard in method.standards)
            )

        return [method for method in self.methods.values() if fits(method)]


def _read_yaml(path: Path) -> Any:
    """Safe-load one data file; duplicate keys and tags are refused with their line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CatalogueError([f"{path}: not UTF-8 text"]) from None
    try:
        source = read_yaml(text, str(path))
    except FileProblems as error:
        raise CatalogueError([str(problem) for problem in error.problems]) from None
    if source.problems:
        raise CatalogueError([str(problem) for problem in source.problems])
    return source.data


def _merge_folder(
    folder: Path, raw: dict[str, dict[str, dict[str, Any]]], origin: dict[str, str]
) -> tuple[str | None, list[str]]:
    """Fold one folder's entries into ``raw`` (section -> id -> fields). Returns its version."""
    problems: list[str] = []
    version: str | None = None
    files = sorted(folder.glob("*.yaml"))
    if not files:
        return None, [f"{folder}: no .yaml files in this catalogue folder"]
    for path in files:
        content = _read_yaml(path)
        if content is None:
            continue
        if not isinstance(content, dict):
            problems.append(
                f"{path}: expected a mapping of sections, found {type(content).__name__}"
            )
            continue
        for section, entries in content.items():
            if section == "version":
                version = str(entries)
                continue
            if section not in SECTIONS:
                known = ", ".join(["version", *SECTIONS])
                problems.append(f"{path}: unknown section '{section}' (expected one of {known})")
                continue
            if not isinstance(entries, list):
                problems.append(f"{path}: {section}: expected a list of entries")
                continue
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict) or "id" not in entry:
                    problems.append(f"{path}: {section}[{index}]: each entry needs an 'id'")
                    continue
                entry_id = str(entry["id"])
                merged = {**raw[section].get(entry_id, {}), **entry}
                raw[section][entry_id] = merged
                origin[f"{section}:{entry_id}"] = str(path)
    return version, problems


def _validate_section(
    section: str, entries: dict[str, dict[str, Any]], origin: dict[str, str], problems: list[str]
) -> dict[Any, Any]:
    model = SECTIONS[section]
    valid: dict[Any, Any] = {}
    for entry_id, fields in entries.items():
        try:
            entry = model.model_validate(fields)
        except ValidationError as error:
            where = origin.get(f"{section}:{entry_id}", section)
            for item in error.errors():
                path = ".".join(str(part) for part in item["loc"])
                problems.append(f"{where}: {section}[{entry_id}].{path}: {item['msg']}")
            continue
        valid[entry.id] = entry  # type: ignore[attr-defined]
    return valid


def _sources_of(entry: BaseModel) -> Iterable[Source]:
    for value in entry.__dict__.values():
        if isinstance(value, Source):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Source):
                    yield item
                elif isinstance(item, BaseModel):
                    yield from _sources_of(item)


def _check_references(sections: dict[str, dict[Any, Any]], problems: list[str]) -> None:
    for section, vocabulary in CLOSED_SECTIONS.items():
        missing = [m.value for m in vocabulary if m not in sections[section]]
        if missing:
            problems.append(f"{section}: no entry for {', '.join(missing)}")
    documents = sections["documents"]
    for section, entries in sections.items():
        for entry_id, entry in entries.items():
            for source in _sources_of(entry):
                if source.document not in documents:
                    problems.append(
                        f"{section}[{entry_id}]: source names unknown document "
                        f"'{source.document}' (known: {', '.join(sorted(documents))})"
                    )
    staged = {entry.stage for entry in sections["challenges"].values()}
    for stage in Stage:
        if stage not in staged:
            problems.append(f"challenges: Table 1 has no challenge for stage '{stage.value}'")


def load_catalogue(extra_folders: Sequence[Path] = ()) -> Catalogue:
    """Load the shipped catalogue, then each organisation folder in turn, and validate the whole."""
    raw: dict[str, dict[str, dict[str, Any]]] = {section: {} for section in SECTIONS}
    origin: dict[str, str] = {}
    problems: list[str] = []
    version, found = _merge_folder(DATA_DIR, raw, origin)
    problems.extend(found)
    labels: list[str] = []
    for folder in extra_folders:
        if not folder.is_dir():
            problems.append(f"{folder}: not a folder")
            continue
        extra_version, found = _merge_folder(folder, raw, origin)
        problems.extend(found)
        labels.append(f"{folder.name}@{extra_version or 'unversioned'}")
    sections = {
        section: _validate_section(section, entries, origin, problems)
        for section, entries in raw.items()
    }
    _check_references(sections, problems)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        version=version or "unversioned",
        folders=tuple(labels),
        **sections,
    )


@cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return load_catalogue()

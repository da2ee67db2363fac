"""The plan file's published JSON Schema (docs/plan-file.md): well formed, and true to the loader.

``jsonschema`` is not a dependency. When it is installed, the schema is checked against the
draft 2020-12 meta-schema; otherwise (and always) its structure is checked here, and a small
validator for the keywords the schema uses checks real plan files against it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import yaml

from coprod.core import ids
from coprod.core.plan import Plan
from coprod.formats.plan_file import load_plan
from coprod.formats.plan_schema import plan_schema

ROOT = Path(__file__).resolve().parents[2]
FILES = Path(__file__).resolve().parent / "files"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PLAN_FILES = sorted(FILES.glob("*.yaml")) + EXAMPLES

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# Every keyword the small validator below understands, and annotations it may ignore.
CHECKED = {
    "$ref",
    "anyOf",
    "const",
    "enum",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "items",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "format",
}
ANNOTATIONS = {"title", "description", "default", "examples", "$schema", "$id", "$defs"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return plan_schema()


def resolve(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), f"only local references are expected, found {ref}"
    node: Any = schema
    for part in ref[2:].split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def subschemas(node: Any) -> Any:
    """Every schema object inside ``node`` (itself included)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for child in value.values():
                    yield from subschemas(child)
            elif key in ("items", "additionalProperties", "propertyNames"):
                yield from subschemas(value)
            elif key == "anyOf":
                for child in value:
                    yield from subschemas(child)


JSON_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value: Any, node: dict[str, Any], root: dict[str, Any], path: str = "") -> list[str]:
    """Errors of ``value`` against ``node``: a small JSON Schema validator for this schema."""
    errors: list[str] = []
    if "$ref" in node:
        errors += validate(value, resolve(root, node["$ref"]), root, path)
    if "anyOf" in node and not any(not validate(value, s, root, path) for s in node["anyOf"]):
        errors.append(f"{path}: matches none of anyOf")
    if "const" in node and not (value == node["const"] and type(value) is type(node["const"])):
        errors.append(f"{path}: {value!r} is not {node['const']!r}")
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: {value!r} not in enum")
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(JSON_TYPES[t](value) for t in types):
            errors.append(f"{path}: {value!r} is not of type {node['type']}")
            return errors
    if isinstance(value, dict):
        properties = node.get("properties", {})
        for key in node.get("required", []):
            if key not in value:
                errors.append(f"{path}: '{key}' is required")
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if "propertyNames" in node:
                errors += validate(key, node["propertyNames"], root, f"{child}[key]")
            if key in properties:
                errors += validate(item, properties[key], root, child)
            elif node.get("additionalProperties") is False:
                errors.append(f"{child}: unknown key")
            elif isinstance(node.get("additionalProperties"), dict):
                errors += validate(item, node["additionalProperties"], root, child)
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            errors += validate(item, node["items"], root, f"{path}[{index}]")
    if isinstance(value, str):
        if len(value) < node.get("minLength", 0):
            errors.append(f"{path}: too short")
        if "maxLength" in node and len(value) > node["maxLength"]:
            errors.append(f"{path}: too long")
        if "pattern" in node and not re.search(node["pattern"], value):
            errors.append(f"{path}: does not match {node['pattern']}")
        if node.get("format") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            errors.append(f"{path}: not a date")
    if JSON_TYPES["number"](value):
        if "minimum" in node and value < node["minimum"]:
            errors.append(f"{path}: below minimum")
        if "maximum" in node and value > node["maximum"]:
            errors.append(f"{path}: above maximum")
        if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
            errors.append(f"{path}: not above exclusiveMinimum")
        if "exclusiveMaximum" in node and value >= node["exclusiveMaximum"]:
            errors.append(f"{path}: not below exclusiveMaximum")
    return errors


def as_json(value: Any) -> Any:
    """YAML data as JSON would carry it: dates as ISO text, keys as text."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def file_data(path: Path) -> Any:
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    json.dumps(data)  # really JSON-compatible
    return data


# --- The schema itself ---------------------------------------------------------------------------


def test_schema_declares_draft_2020_12_and_an_id(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["$id"].startswith("https://")
    assert schema["$id"].endswith(".json")
    assert schema["type"] == "object"
    assert "1" in schema["title"]


def test_schema_is_json_and_the_same_every_time(schema: dict[str, Any]) -> None:
    text = json.dumps(schema, sort_keys=True)
    assert json.loads(text) == schema
    assert json.dumps(plan_schema(), sort_keys=True) == text


def test_schema_lists_every_top_level_field_and_forbids_others(schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == set(Plan.model_fields)
    assert schema["required"] == ["coprod", "project", "criteria"]
    assert schema["additionalProperties"] is False


def test_schema_version_is_the_constant_1(schema: dict[str, Any]) -> None:
    coprod = schema["properties"]["coprod"]
    assert coprod["const"] == 1
    assert coprod.get("type") == "integer"


def test_schema_description_says_what_is_required(schema: dict[str, Any]) -> None:
    # plan_schema() writes its own description for editors; it must not be replaced by the
    # model's docstring.
    assert "project.title" in schema["description"]
    assert "criteria" in schema["description"]


def test_every_reference_resolves(schema: dict[str, Any]) -> None:
    refs = [node["$ref"] for node in subschemas(schema) if "$ref" in node]
    assert refs
    for ref in refs:
        resolve(schema, ref)


def test_every_keyword_is_one_the_checks_here_understand(schema: dict[str, Any]) -> None:
    # If the schema grows a keyword the small validator ignores, these tests would pass for the
    # wrong reason; fail instead so the validator is extended.
    for node in subschemas(schema):
        unknown = set(node) - CHECKED - ANNOTATIONS
        assert not unknown, f"unhandled keywords {unknown} in {node}"


def test_every_section_forbids_unknown_keys(schema: dict[str, Any]) -> None:
    sections = [
        (name, node) for name, node in schema["$defs"].items() if node.get("type") == "object"
    ]
    assert len(sections) >= 10
    for name, node in sections:
        assert node.get("additionalProperties") is False, name


ENUMS = [
    ("Answer", ids.Answer),
    ("Criterion", ids.Criterion),
    ("Stage", ids.Stage),
    ("Level", ids.Level),
    ("Group", ids.Group),
    ("Motivation", ids.Motivation),
    ("Standard", ids.Standard),
    ("CostType", ids.CostType),
    ("Bearer", ids.Bearer),
    ("DecisionRule", ids.DecisionRule),
]


@pytest.mark.parametrize(("name", "enum"), ENUMS, ids=[name for name, _ in ENUMS])
def test_identifier_sets_are_the_ids_of_spec_4(
    schema: dict[str, Any], name: str, enum: type[StrEnum]
) -> None:
    assert schema["$defs"][name]["enum"] == [member.value for member in enum]


def test_weights_and_stages_keys_are_criteria_and_stages(schema: dict[str, Any]) -> None:
    properties = schema["properties"]
    assert properties["weights"]["propertyNames"] == {"$ref": "#/$defs/Criterion"}
    assert properties["stages"]["propertyNames"] == {"$ref": "#/$defs/Stage"}


def test_project_requires_a_title(schema: dict[str, Any]) -> None:
    project = resolve(schema, schema["properties"]["project"]["$ref"])
    assert project["required"] == ["title"]


def test_schema_is_valid_draft_2020_12_per_jsonschema(schema: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in PLAN_FILES:
        jsonschema.Draft202012Validator(schema).validate(file_data(path))


# --- Real plan files against the schema ----------------------------------------------------------


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_plan_files_have_the_required_keys(schema: dict[str, Any], path: Path) -> None:
    data = file_data(path)
    assert isinstance(data, dict)
    assert set(schema["required"]) <= set(data)
    assert set(data) <= set(schema["properties"])
    project = resolve(schema, "#/$defs/Project")
    assert set(project["required"]) <= set(data["project"])


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_plan_files_satisfy_the_schema(schema: dict[str, Any], path: Path) -> None:
    load_plan(path)  # the loader accepts it ...
    assert validate(file_data(path), schema, schema) == []  # ... and so does the schema


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_a_plan_dumped_as_json_satisfies_the_schema(schema: dict[str, Any], path: Path) -> None:
    plan = load_plan(path).plan
    data = plan.model_dump(mode="json", exclude_none=True)
    assert validate(data, schema, schema) == []


MINIMAL = {"coprod": 1, "project": {"title": "T"}, "criteria": {}}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"coprod": 2}, "coprod"),
        ({"coprod": True}, "coprod"),
        ({"colour": "blue"}, "colour: unknown key"),
        ({"project": {}}, "'title' is required"),
        ({"criteria": {"contestation": "maybe"}}, "criteria.contestation"),
        ({"weights": {"popularity": {"weight": 1, "reason": "r"}}}, "popularity[key]"),
        ({"weights": {"direct_use": {"weight": 0, "reason": "r"}}}, "weights.direct_use.weight"),
        ({"stages": {"teatime": {"level": "consult"}}}, "teatime[key]"),
        ({"stages": {"analysis": {"level": "deep"}}}, "stages.analysis.level"),
        ({"aims": [{"motivation": "greed", "outcome": "o"}]}, "aims[0].motivation"),
        (
            {"costs": [{"kind": "other", "description": "d", "amount": -1}]},
            "costs[0].amount",
        ),
        (
            {"costs": [{"kind": "other", "description": "d", "amount": 1, "currency": "gbp"}]},
            "costs[0].currency",
        ),
        ({"risks": [{"stage": "team", "challenge": "c", "likelihood": 6}]}, "risks[0].likelihood"),
    ],
)
def test_the_small_validator_refuses_what_the_loader_refuses(
    schema: dict[str, Any], change: dict[str, Any], error: str
) -> None:
    assert validate(MINIMAL, schema, schema) == []
    errors = validate({**MINIMAL, **change}, schema, schema)
    assert any(error in message for message in errors), errors


def test_the_minimal_plan_satisfies_the_schema(schema: dict[str, Any]) -> None:
    assert validate(MINIMAL, schema, schema) == []
    for key in schema["required"]:
        missing = {k: v for k, v in MINIMAL.items() if k != key}
        assert f": '{key}' is required" in validate(missing, schema, schema)

"""The plan file's JSON Schema, for editors that check YAML as it is typed."""

from __future__ import annotations

from typing import Any

from coprod.core.plan import Plan

SCHEMA_ID = "https://coprod.invalid/schema/plan-v1.json"


def plan_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Coprod plan file, version 1",
        "description": (
            "A project's coproduction plan. Only 'coprod', 'project.title' and 'criteria' are "
            "required."
        ),
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }

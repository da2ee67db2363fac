"""Read and write plan files (docs/plan-file.md).

Reading is safe: only plain YAML data is accepted, never language-specific tags. Every problem is
reported at once, each with its line and column and what was expected. Writing a loaded plan back
keeps its comments and key order (through ruamel.yaml), so a plan kept in version control diffs
cleanly.
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coprod.core.catalogue import Catalogue
from coprod.core.costs import BudgetError, budget
from coprod.core.plan import Plan
from coprod.core.problems import FileProblems, Problem
from coprod.core.yaml_source import YamlSource, dotted, read_yaml

MAX_BYTES = 1_000_000
"""Plans are small; a larger file is almost certainly not a plan, and parsing it would be slow."""


@dataclass(frozen=True)
class LoadedPlan:
    """A valid plan, the text it came from, and where each of its values stood."""

    plan: Plan
    text: str
    name: str
    source: YamlSource

    @property
    def document(self) -> Any:
        """The file as a ruamel.yaml round-trip document, which keeps comments and order."""
        return _yaml().load(self.text)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    yaml.representer.add_representer(type(None), _represent_null)
    return yaml


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", str(value))


def _represent_null(representer: Any, _value: None) -> Any:
    # ruamel writes a null as an empty value; 'null' says what it means.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _one_problem(name: str, message: str, line: int | None = None) -> FileProblems:
    return FileProblems([Problem(name, line, None, "", message)])


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1_000_000:.1f} MB"
        raise _one_problem(name, f"file is {size}; a plan file is at most 1 MB")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise _one_problem(name, f"binary data at byte {offset}: expected a YAML text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _one_problem(name, "not UTF-8 text: save the file as UTF-8", line) from None
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise _one_problem(
            name,
            "file is empty: a plan needs at least 'coprod: 1', 'project.title' and 'criteria'",
        )
    return text


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return options[0] if len(options) == 1 else annotation
    return annotation


def _model_at(path: Sequence[str | int]) -> type[BaseModel] | None:
    """The plan model class that the mapping at ``path`` must match, to list its keys."""
    annotation: Any = Plan
    for part in path:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = field.annotation
        elif origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _expected_list(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    return expected.replace("' or '", "', '").replace("'", "")


_TYPE_MESSAGES = {
    "list_type": "expected a list",
    "dict_type": "expected a mapping of keys to values",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "decimal_type": "expected a number",
    "decimal_parsing": "expected a number",
    "date_type": "expected a date such as 2026-03-31",
    "date_parsing": "expected a date such as 2026-03-31",
    "date_from_datetime_parsing": "expected a date such as 2026-03-31",
    "date_from_datetime_inexact": "expected a date without a time, such as 2026-03-31",
    "string_too_short": "must not be empty",
}


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _message(error: Any, path: Sequence[str | int]) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind in ("enum", "literal_error"):
        return f"{value!r} is not one of {_expected_list(str(context.get('expected', '')))}"
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        known = f" (expected one of {', '.join(model.model_fields)})" if model else ""
        return f"unknown key '{path[-1]}'{known}"
    if kind == "missing":
        return f"'{path[-1]}' is required"
    if kind in _TYPE_MESSAGES:
        return f"{_TYPE_MESSAGES[kind]}, found {_found(value)}"
    text = str(error["msg"]).replace("Input should be", "should be").replace("Value error, ", "")
    return f"{text}, found {_found(value)}"


def _validation_problems(error: ValidationError, source: YamlSource) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if isinstance(part, int | str))
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc = loc[:-1]
        if any(loc[:end] in source.refused for end in range(len(loc) + 1)):
            continue  # already reported as refused; its stand-in value would only repeat that
        at_key = is_key or item["type"] == "extra_forbidden"
        line, column = source.locate(loc, at_key=at_key)
        problems.append(Problem(source.name, line, column, dotted(loc), _message(item, loc)))
    return problems


def _reference_problems(plan: Plan, source: YamlSource, catalogue: Catalogue) -> list[Problem]:
    """Ids that must name catalogue entries: methods, alternatives and Table 1 challenges."""
    problems = []
    path: tuple[str | int, ...]

    def unknown(path: tuple[str | int, ...], value: str, what: str, hint: str) -> None:
        line, column = source.locate(path)
        message = f"'{value}' is not a known {what} (see {hint})"
        problems.append(Problem(source.name, line, column, dotted(path), message))

    for stage, stage_plan in plan.stages.items():
        for index, method in enumerate(stage_plan.methods):
            if method not in catalogue.methods:
                path = ("stages", stage.value, "methods", index)
                unknown(path, method, "method", "'coprod methods'")
    for index, choice in enumerate(plan.alternatives):
        if choice.catalogue_id and choice.catalogue_id not in catalogue.alternatives:
            path = ("alternatives", index, "catalogue_id")
            unknown(path, choice.catalogue_id, "alternative", "'coprod catalogue alternatives'")
    # Budget lines: the costs core prices them, so `validate` reports what `costs` would.
    try:
        budget(plan, catalogue)
    except BudgetError as error:
        for cost_problem in error.problems:
            line, column = source.locate(cost_problem.path)
            path_text = dotted(cost_problem.path)
            problems.append(Problem(source.name, line, column, path_text, cost_problem.message))
    for index, risk in enumerate(plan.risks):
        known = (
            risk.catalogue_id in catalogue.challenges or risk.catalogue_id in catalogue.cost_risks
        )
        if risk.catalogue_id and not known:
            path = ("risks", index, "catalogue_id")
            hint = "'coprod catalogue challenges' and 'coprod catalogue cost_risks'"
            unknown(path, risk.catalogue_id, "Table 1 challenge or project-wide cost", hint)
    return problems


def parse_plan(
    data: bytes | str, name: str = "plan.yaml", catalogue: Catalogue | None = None
) -> LoadedPlan:
    """Parse and validate a plan. Raises :class:`FileProblems` listing every problem found."""
    text = _decode(data.encode("utf-8") if isinstance(data, str) else data, name)
    source = read_yaml(text, name)
    if not isinstance(source.data, dict):
        found = _found(source.data)
        message = f"expected a mapping with 'coprod: 1' at the top, found {found}"
        raise FileProblems([*source.problems, Problem(name, 1, 1, "", message)])
    try:
        plan = Plan.model_validate(source.data)
    except ValidationError as error:
        raise FileProblems([*source.problems, *_validation_problems(error, source)]) from None
    if source.problems:
        raise FileProblems(source.problems)
    if catalogue is not None:
        problems = _reference_problems(plan, source, catalogue)
        if problems:
            raise FileProblems(problems)
    return LoadedPlan(plan=plan, text=text, name=name, source=source)


def load_plan(path: Path, catalogue: Catalogue | None = None) -> LoadedPlan:
    """Read a plan file from disk; see :func:`parse_plan`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise _one_problem(str(path), f"cannot read the file: {reason}") from None
    return parse_plan(data, str(path), catalogue)


def _dump(document: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    # ruamel leaves a space at the end of a line where it wraps a flow list.
    return "\n".join(line.rstrip(" ") for line in stream.getvalue().split("\n"))


def write_plan(loaded: LoadedPlan) -> str:
    """The loaded plan as YAML text in Coprod's layout, with its comments and key order kept."""
    return _dump(loaded.document)


def _python(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {_python(key): _python(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_python(item) for item in value]
    return value


def _find_key(mapping: dict[Any, Any], wanted: Any) -> Any:
    return next((key for key in mapping if str(key) == str(wanted)), None)


def _merge(base: Any, new: Any) -> Any:
    """Update ``base`` (a ruamel node) to hold ``new``, keeping comments on what stays."""
    if isinstance(base, dict) and isinstance(new, dict):
        for key in [k for k in base if str(k) not in {str(n) for n in new}]:
            del base[key]
        for key, value in new.items():
            existing = _find_key(base, key)
            if existing is None:
                base[key] = value
            else:
                base[existing] = _merge(base[existing], value)
        return base
    if isinstance(base, list) and isinstance(new, list) and len(base) == len(new):
        for index, value in enumerate(new):
            base[index] = _merge(base[index], value)
        return base
    return new


def plan_to_yaml(plan: Plan, base: LoadedPlan | None = None) -> str:
    """A plan as YAML. Given the file it came from, its comments are kept where keys remain."""
    data = _python(plan.model_dump(mode="python", exclude_unset=True))
    if base is None:
        return _dump(data)
    return _dump(_merge(base.document, data))

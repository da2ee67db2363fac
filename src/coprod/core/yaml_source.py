"""Safe YAML reading that remembers where every value and key stood in the file.

PyYAML's safe loader (libyaml, when present) parses the text; Coprod builds plain Python values
from the node tree itself so that it can refuse what a plan or catalogue file must never hold:
duplicate keys, language-specific tags, binary values, and aliases that expand without end.

Values are read by the rules of YAML 1.2, as ruamel.yaml writes them: only ``true`` and ``false``
are booleans (so ``no`` stays the word "no"), numbers are decimal, and a number with a point is
read as an exact ``Decimal``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from coprod.core.problems import FileProblems, Problem

Path = tuple[str | int, ...]
Position = tuple[int, int]

_PREFIX = "tag:yaml.org,2002:"
_BOOL, _INT, _FLOAT = _PREFIX + "bool", _PREFIX + "int", _PREFIX + "float"
_PLAIN_TAGS = frozenset(
    _PREFIX + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
MAX_VALUES = 100_000
"""More values than any plan holds; guards against aliases that expand exponentially."""

_KIND = {_BOOL: "true or false", _INT: "a whole number", _FLOAT: "a number"}
_KIND[_PREFIX + "timestamp"] = "a date"


@dataclass
class YamlSource:
    """Plain data read from YAML, with the 1-based position of each value and each key.

    ``problems`` lists what was refused (a tag, a duplicate key, a value that cannot be read);
    each refused value is left out, so that the rest can still be checked.
    """

    data: Any
    name: str
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)

    def locate(self, path: Path, *, at_key: bool = False) -> Position:
        """Where ``path`` stands; for something missing, where its nearest parent stands."""
        if at_key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def _loader_class() -> Any:
    """PyYAML's safe loader, taught YAML 1.2's booleans and numbers."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

    Loader.add_implicit_resolver(
        _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
    Loader.add_implicit_resolver(
        _FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    )
    Loader.add_constructor(_BOOL, lambda loader, node: node.value.lower() == "true")
    Loader.add_constructor(_INT, lambda loader, node: int(node.value, 10))
    Loader.add_constructor(_FLOAT, lambda loader, node: _decimal(node.value))
    return Loader


def _decimal(text: str) -> Decimal:
    lowered = text.lower().lstrip("+")
    special = {".inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    return Decimal(special.get(lowered, lowered))


_LOADER: Any = None


def _message(problem: str, context: str | None, text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    at = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        return "a tab character: indent YAML with spaces, not tabs"
    if "another document" in problem:
        return "more than one YAML document ('---'): this file must hold one"
    described = f"{context}: {problem}" if context else problem
    return f"not valid YAML ({described})"


class _Builder:
    def __init__(self, loader: Any, source: YamlSource) -> None:
        self.loader = loader
        self.source = source
        self.count = 0

    def refuse(self, node: Any, path: Path, message: str) -> None:
        mark = node.start_mark
        where = (mark.line + 1, mark.column + 1)
        self.source.problems.append(Problem(self.source.name, *where, dotted(path), message))
        self.source.refused.add(path)

    def build(self, node: Any, path: Path) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_VALUES:
            raise _problem(self.source.name, "too many values: aliases expand too far")
        self.source.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            self.refuse(node, path, f"tag '{node.tag}' is not allowed: plain values only")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, KeyError, AttributeError, TypeError, InvalidOperation, yaml.YAMLError):
            kind = _KIND.get(node.tag, "a value")
            self.refuse(node, path, f"'{node.value}' cannot be read as {kind}")
            return None

    def mapping(self, node: Any, path: Path) -> dict[str, Any]:
        import yaml

        self.loader.flatten_mapping(node)  # resolves YAML merge keys ('<<')
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.refuse(key_node, path, "a key must be plain text")
                continue
            # Keys are names in every file Coprod reads, so take their text as written.
            key = str(key_node.value)
            key_path = (*path, key)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                first = first_seen[key]
                message = f"duplicate key '{key}' (first at line {first}): each key may appear once"
                self.refuse(key_node, key_path, message)
                continue
            first_seen[key] = line
            self.source.keys[key_path] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, key_path)
        return result


def dotted(path: Path) -> str:
    """``("aims", 0, "motivation")`` as ``aims[0].motivation``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(name: str, message: str) -> FileProblems:
    return FileProblems([Problem(name, None, None, "", message)])


def read_yaml(text: str, name: str) -> YamlSource:
    """Parse one YAML document safely.

    Raises :class:`FileProblems` when the text is not YAML at all. Values that are refused are
    listed in the result's ``problems`` instead, so that the caller can report them together with
    everything else that is wrong.
    """
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    loader = _LOADER(text)
    source = YamlSource(data=None, name=name)
    try:
        root = loader.get_single_node()
        if root is not None:
            source.data = _Builder(loader, source).build(root, ())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark is None:
            raise _problem(name, _message(str(error.problem), error.context, text, 0, 0)) from None
        line, column = mark.line + 1, mark.column + 1
        message = _message(str(error.problem or ""), error.context, text, line, column)
        raise FileProblems([Problem(name, line, column, "", message)]) from None
    except yaml.YAMLError as error:
        raise _problem(name, f"not valid YAML ({error})") from None
    except RecursionError:
        raise _problem(name, "values are nested too deeply") from None
    finally:
        loader.dispose()
    return source

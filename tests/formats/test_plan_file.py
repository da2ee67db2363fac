"""The plan file: loading, every problem at once, refusing what is not a plan, writing.

Problems are checked by their position and dotted path as well as their words, because a user
fixes a file by going to the line and column the message names.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.core.catalogue import default_catalogue
from coprod.core.ids import (
    Answer,
    Bearer,
    CostType,
    Criterion,
    DecisionRule,
    Group,
    Level,
    Motivation,
    Stage,
    Standard,
)
from coprod.core.plan import Criteria, Plan, Project
from coprod.formats.plan_file import (
    FileProblems,
    LoadedPlan,
    Problem,
    load_plan,
    parse_plan,
    plan_to_yaml,
    write_plan,
)

ROOT = Path(__file__).resolve().parents[2]
FILES = Path(__file__).resolve().parent / "files"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PLAN_FILES = sorted(FILES.glob("*.yaml")) + EXAMPLES

MINIMAL = """\
coprod: 1
project:
  title: "A minimal plan"
criteria:
  contestation: more
"""

ANSWERS = "less, lean-less, neutral, lean-more, more, unknown"


def problems_of(data: str | bytes, **kwargs: Any) -> list[Problem]:
    """The problems ``parse_plan`` reports for ``data``; fails if it accepts the data."""
    with pytest.raises(FileProblems) as caught:
        parse_plan(data, **kwargs)
    problems = caught.value.problems
    assert problems, "FileProblems raised with no problems listed"
    return problems


def only_problem(data: str | bytes, **kwargs: Any) -> Problem:
    problems = problems_of(data, **kwargs)
    assert len(problems) == 1, [str(problem) for problem in problems]
    return problems[0]


def where(problem: Problem) -> tuple[int | None, int | None, str]:
    return (problem.line, problem.column, problem.path)


def position_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column where ``needle`` starts (its n-th occurrence) in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


# --- Valid plans ---------------------------------------------------------------------------------


def test_minimal_plan_loads_and_omitted_criteria_are_unknown() -> None:
    loaded = parse_plan(MINIMAL)

    assert isinstance(loaded, LoadedPlan)
    plan = loaded.plan
    assert plan.coprod == 1
    assert plan.project.title == "A minimal plan"
    answers = plan.criteria.answers()
    assert answers[Criterion.CONTESTATION] is Answer.MORE
    assert {c for c, a in answers.items() if a is Answer.UNKNOWN} == set(Criterion) - {
        Criterion.CONTESTATION
    }
    assert plan.aims == []
    assert plan.weights == {}
    assert plan.stages == {}
    assert plan.risks == []
    assert plan.governance is None


def test_empty_criteria_mapping_leaves_every_criterion_unknown() -> None:
    plan = parse_plan('coprod: 1\nproject: {title: "T"}\ncriteria: {}\n').plan

    assert set(plan.criteria.answers().values()) == {Answer.UNKNOWN}


def test_the_spec_example_loads() -> None:
    text = """\
coprod: 1
project:
  title: "Evaluating a community falls-prevention programme"
  summary: "..."
aims:
  - motivation: instrumental
    outcome: "Commissioners use the findings to decide how to roll the programme out"
    for_whom: [managers, policy_makers]
criteria:
  contestation: lean-more
  conflicts_of_interest: neutral
  direct_use: more
  funder_values: unknown
  definition: lean-more
  purpose: more
  cooperation: more
  relationships: lean-less
  resources: lean-less
weights: {}            # optional: criterion id -> {weight: number, reason: text}
stages:
  questions: {level: collaborate, groups: [managers, patients_public], strategy: "..."}
  analysis: {level: consult, groups: [patients_public]}
alternatives:
  - motivation: substantive
    approach: "Systematic review of published patient experience"
    chosen: false
    reason: "..."
stakeholders: []       # people, each with a group and, optionally, what they bring
governance: {decision_rule: consensus, ground_rules: [], accountability: "..."}
costs: []              # budget lines
risks: []              # register entries; stage and cost_types use the ids of docs/plan-file.md
"""
    plan = parse_plan(text).plan

    assert plan.aims[0].for_whom == [Group.MANAGERS, Group.POLICY_MAKERS]
    assert plan.criteria.resources is Answer.LEAN_LESS
    assert plan.stages[Stage.QUESTIONS].level is Level.COLLABORATE
    assert list(plan.stages) == [Stage.QUESTIONS, Stage.ANALYSIS]
    assert plan.alternatives[0].chosen is False
    assert plan.governance is not None
    assert plan.governance.decision_rule is DecisionRule.CONSENSUS


def test_load_plan_reads_from_disk_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "my-plan.yaml"
    path.write_text(MINIMAL, encoding="utf-8")

    assert load_plan(path).plan.project.title == "A minimal plan"

    path.write_text(MINIMAL.replace("more", "mostly"), encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_plan(path)
    assert str(caught.value) == (
        f"{path}:5:17: criteria.contestation: 'mostly' is not one of {ANSWERS}"
    )


def test_load_plan_reports_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(FileProblems) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert "cannot read" in problem.message


def test_a_byte_order_mark_is_accepted() -> None:
    plan = parse_plan("\ufeff" + MINIMAL).plan
    assert plan.project.title == "A minimal plan"


def test_windows_line_endings_give_the_same_positions() -> None:
    text = 'coprod: 1\r\nproject: {title: "T"}\r\ncriteria:\r\n  purpose: sometimes\r\n'
    problem = only_problem(text)
    assert where(problem) == (4, 12, "criteria.purpose")


# --- Every problem, with its position ------------------------------------------------------------


def test_the_spec_example_problem_reads_exactly_as_specified() -> None:
    text = (
        "coprod: 1\n"
        "project:\n"
        '  title: "Evaluating a community falls-prevention programme"\n'
        "criteria:\n"
        "  contestation: lean-more\n"
        "  conflicts_of_interest: maybe\n"
    )
    assert position_of(text, "maybe") == (6, 26)

    with pytest.raises(FileProblems) as caught:
        parse_plan(text, name="plan.yaml")

    expected = (
        "plan.yaml:6:26: criteria.conflicts_of_interest: 'maybe' is not one of "
        "less, lean-less, neutral, lean-more, more, unknown"
    )
    assert [str(problem) for problem in caught.value.problems] == [expected]
    assert str(caught.value) == expected


SEVERAL_ERRORS = """\
coprod: 1
project:
  title: "Several things wrong"
  colour: blue
aims:
  - motivation: normative
    outcome: "Fine"
  - motivation: greed
    outcome: "Not fine"
    for_whom: [managers, aliens]
criteria:
  contestation: more
  conflicts_of_interest: maybe
  vibes: good
weights:
  popularity: {weight: 1, reason: "Not a criterion"}
  direct_use: {weight: 0, reason: "Weights must be above zero"}
stages:
  teatime: {level: consult}
  analysis: {level: deep}
costs:
  - kind: contributor_payment
    description: "Negative money"
    amount: -5
risks:
  - stage: brewing
    challenge: "Unknown stage"
    likelihood: 9
extra_section: true
"""


def test_a_file_with_several_errors_reports_all_of_them_at_once() -> None:
    text = SEVERAL_ERRORS
    problems = problems_of(text)

    def at(needle: str, occurrence: int = 1) -> tuple[int, int]:
        return position_of(text, needle, occurrence)

    expected = {
        (*at("colour"), "project.colour"),
        (*at("greed"), "aims[1].motivation"),
        (*at("aliens"), "aims[1].for_whom[1]"),
        (*at("maybe"), "criteria.conflicts_of_interest"),
        (*at("vibes"), "criteria.vibes"),
        (*at("popularity"), "weights.popularity"),
        (*at("0, reason"), "weights.direct_use.weight"),
        (*at("teatime"), "stages.teatime"),
        (*at("deep"), "stages.analysis.level"),
        (*at("-5"), "costs[0].amount"),
        (*at("brewing"), "risks[0].stage"),
        (*at("9\n"), "risks[0].likelihood"),
        (*at("extra_section"), "extra_section"),
    }
    assert {where(problem) for problem in problems} == expected
    assert len(problems) == len(expected)
    # In file order, so a user can work down the file.
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)
    # Each says what was expected.
    messages = {problem.path: problem.message for problem in problems}
    assert messages["aims[1].motivation"] == (
        "'greed' is not one of substantive, instrumental, normative, political"
    )
    assert "patients_public" in messages["aims[1].for_whom[1]"]
    assert "aliens" in messages["aims[1].for_whom[1]"]
    assert messages["criteria.conflicts_of_interest"] == f"'maybe' is not one of {ANSWERS}"
    assert "collaborate" in messages["stages.analysis.level"]
    assert "deep" in messages["stages.analysis.level"]


def test_unknown_keys_are_errors_at_the_key_naming_the_expected_keys() -> None:
    text = MINIMAL + "colour: blue\n"
    problem = only_problem(text)
    assert where(problem) == (6, 1, "colour")
    assert problem.message.startswith("unknown key 'colour'")
    for field in Plan.model_fields:
        assert field in problem.message


def test_an_unknown_key_in_a_nested_section_names_that_section_keys() -> None:
    text = MINIMAL + "governance:\n  decision_rule: vote\n  ground_rulez: []\n"
    problem = only_problem(text)
    assert where(problem) == (8, 3, "governance.ground_rulez")
    assert "unknown key 'ground_rulez'" in problem.message
    assert "ground_rules" in problem.message
    assert "decision_rule" in problem.message
    # The top-level keys are not what is expected here.
    assert "stakeholders" not in problem.message


def test_an_unknown_key_in_a_flow_mapping_is_reported_at_the_key() -> None:
    text = 'coprod: 1\nproject: {title: "T", colour: red}\ncriteria: {}\n'
    problem = only_problem(text)
    assert where(problem) == (*position_of(text, "colour"), "project.colour")
    assert "title" in problem.message


def test_an_unknown_key_in_a_list_item_uses_the_index_in_the_path() -> None:
    text = MINIMAL + "aims:\n  - motivation: normative\n    outcome: o\n    colour: red\n"
    problem = only_problem(text)
    assert where(problem) == (9, 5, "aims[0].colour")
    assert "for_whom" in problem.message


def test_missing_required_keys_are_all_reported() -> None:
    problems = problems_of("aims: []\n")
    paths = {problem.path: problem for problem in problems}
    assert set(paths) == {"coprod", "project", "criteria"}
    for path, problem in paths.items():
        assert problem.message == f"'{path}' is required"
        assert problem.line == 1


def test_a_missing_project_title_is_reported_where_the_project_is() -> None:
    text = 'coprod: 1\nproject:\n  summary: "No title"\ncriteria: {}\n'
    problem = only_problem(text)
    assert problem.path == "project.title"
    assert problem.message == "'title' is required"
    assert problem.line in (2, 3)


def test_an_empty_title_is_refused() -> None:
    problem = only_problem('coprod: 1\nproject: {title: "   "}\ncriteria: {}\n')
    assert where(problem) == (2, 18, "project.title")
    assert "empty" in problem.message


@pytest.mark.parametrize("version", ["2", "0", "'1'", "1.5", "null", "[1]"])
def test_a_wrong_version_is_reported(version: str) -> None:
    text = f'coprod: {version}\nproject: {{title: "T"}}\ncriteria: {{}}\n'
    problem = only_problem(text)
    assert where(problem) == (1, 9, "coprod")
    assert "1" in problem.message


def test_version_true_is_not_version_1() -> None:
    # YAML's `true` is not the number 1; a plan must say which format version it is.
    text = 'coprod: true\nproject: {title: "T"}\ncriteria: {}\n'
    problem = only_problem(text)
    assert where(problem) == (1, 9, "coprod")


def test_version_2_message() -> None:
    problem = only_problem('coprod: 2\nproject: {title: "T"}\ncriteria: {}\n')
    assert str(problem) == "plan.yaml:1:9: coprod: 2 is not one of 1"


def test_a_bad_criterion_in_weights_is_reported_at_the_key() -> None:
    text = MINIMAL + "weights:\n  direct_use: {weight: 2, reason: r}\n  popularity: {weight: 2}\n"
    problems = problems_of(text)
    key = [p for p in problems if p.path == "weights.popularity"]
    assert len(key) == 1
    assert (key[0].line, key[0].column) == (8, 3)
    assert "'popularity' is not one of" in key[0].message
    assert "conflicts_of_interest" in key[0].message


def test_a_bad_stage_in_stages_is_reported_at_the_key() -> None:
    text = MINIMAL + "stages:\n  questions: {level: inform}\n  teatime: {level: consult}\n"
    problem = only_problem(text)
    assert where(problem) == (8, 3, "stages.teatime")
    assert problem.message.startswith("'teatime' is not one of team, questions")


def test_list_item_errors_use_indexed_paths() -> None:
    text = MINIMAL + (
        "aims:\n"
        "  - motivation: normative\n"
        "    outcome: fine\n"
        "  - motivation: greed\n"
        "    outcome: fine\n"
        "  - outcome: no motivation\n"
    )
    problems = problems_of(text)
    assert [where(p) for p in problems] == [
        (9, 17, "aims[1].motivation"),
        (11, 5, "aims[2].motivation"),
    ]
    assert problems[1].message == "'motivation' is required"


def test_a_list_where_a_mapping_is_expected_says_so() -> None:
    problem = only_problem("coprod: 1\nproject: [title]\ncriteria: {}\n")
    assert where(problem) == (2, 10, "project")
    assert "mapping" in problem.message


def test_an_invalid_date_is_reported_not_raised() -> None:
    # A plain date that does not exist (a typo in a plan) is a problem with a place, not a crash.
    text = 'coprod: 1\nproject:\n  title: "T"\n  start: 2026-02-30\ncriteria: {}\n'
    problem = only_problem(text)
    assert problem.line == 4
    assert "date" in problem.message.lower() or "day" in problem.message.lower()


def test_problems_serialise_with_their_positions() -> None:
    problem = only_problem(MINIMAL.replace("more", "lots"))
    assert problem.as_dict() == {
        "file": "plan.yaml",
        "line": 5,
        "column": 17,
        "path": "criteria.contestation",
        "message": f"'lots' is not one of {ANSWERS}",
    }


# --- Input that is not a YAML plan: a clear message, never a traceback --------------------------

NOT_A_PLAN: list[Any] = [
    pytest.param(
        'coprod: 1\nproject:\n\ttitle: "T"\ncriteria: {}\n', 3, r"\btabs?\b", id="tab-indent"
    ),
    pytest.param(
        'coprod: 1\nproject: {title: "T"}\ncriteria: {}\ncoprod: 1\n',
        4,
        r"duplicate key 'coprod'.*line 1",
        id="duplicate-key",
    ),
    pytest.param(
        'coprod: 1\nproject:\n  title: "A"\n  title: "B"\ncriteria: {}\n',
        4,
        r"duplicate key 'title'",
        id="duplicate-nested-key",
    ),
    pytest.param(b"coprod: 1\n\x00\x01\x02\xff\xfe", None, r"binary", id="binary-nul"),
    pytest.param(
        b'coprod: 1\nproject: {title: "caf\xe9"}\ncriteria: {}\n', 2, r"UTF-8", id="latin-1"
    ),
    pytest.param(b"", None, r"empty", id="empty"),
    pytest.param("   \n\n  \n", None, r"empty", id="whitespace-only"),
    pytest.param("# just a comment\n  # and another\n", None, r"empty", id="comments-only"),
    pytest.param("x" * 1_200_000, None, r"1 MB", id="megabytes-of-junk"),
    pytest.param(b"\xde\xad\xbe\xef" * 400_000, None, r"1 MB", id="megabytes-of-binary"),
    pytest.param("- coprod: 1\n- project: {}\n", 1, r"mapping.*found a list", id="top-list"),
    pytest.param("just some words\n", 1, r"mapping.*found 'just some words'", id="scalar"),
    pytest.param("42\n", 1, r"mapping.*found 42", id="number"),
    pytest.param(
        'coprod: 1\nproject: {title: "T"}\ncriteria: {}\n---\ncoprod: 1\n',
        4,
        r"more than one YAML document",
        id="several-documents",
    ),
    pytest.param(
        'coprod: 1\nproject: {title: "T"\ncriteria: {}\n', 3, r"not valid YAML", id="unclosed-{"
    ),
    pytest.param(
        "coprod: 1\nproject: {title: x}\ncriteria: {}\naims: [[1, 2]\n",
        None,
        r"not valid YAML",
        id="unclosed-[",
    ),
    pytest.param("coprod: 1\n]\n", 2, r"not valid YAML", id="stray-]"),
    pytest.param("[" * 10_000, None, r"nest|depth|deep", id="10000-nested-["),
    pytest.param(
        'coprod: 1\nproject: {title: "T"}\ncriteria: {}\naims: ' + "[" * 600 + "]" * 600 + "\n",
        None,
        r"nest|depth|deep|mapping",
        id="600-nested-[]",
    ),
    pytest.param(
        'coprod: 1\nproject: {title: "unclosed\ncriteria: {}\n',
        None,
        r"not valid YAML",
        id="unclosed-quote",
    ),
    pytest.param(
        'coprod: 1\nproject: {title: "T"}\ncriteria: {}\naims: *nowhere\n',
        4,
        r"not valid YAML",
        id="undefined-alias",
    ),
    pytest.param(
        'coprod: 1\nproject:\n  title: !foo "T"\ncriteria: {}\n',
        3,
        r"tag '!foo' is not allowed",
        id="custom-tag",
    ),
    pytest.param(
        'coprod: 1\nproject: {title: "T"}\ncriteria: !criteria {}\n',
        3,
        r"tag '!criteria' is not allowed",
        id="custom-tag-on-mapping",
    ),
    pytest.param(
        "coprod: 1\nproject:\n  title: !!binary aGVsbG8=\ncriteria: {}\n",
        3,
        r"binary",
        id="binary-tag",
    ),
    pytest.param(
        'coprod: 1\nproject: {title: "T"}\ncriteria: !!set {a, b}\n',
        3,
        r"tag .*set.* is not allowed",
        id="set-tag",
    ),
    pytest.param(
        "coprod: 1\nproject:\n  title: !!int abc\ncriteria: {}\n", 3, r".", id="bad-int-tag"
    ),
    pytest.param(
        "coprod: 1\nproject:\n  title: !!float abc\ncriteria: {}\n", 3, r".", id="bad-float-tag"
    ),
    pytest.param(
        "coprod: 1\nproject:\n  title: !!bool maybe\ncriteria: {}\n", 3, r".", id="bad-bool-tag"
    ),
    pytest.param(
        "coprod: 1\nproject:\n  title: !!timestamp soon\ncriteria: {}\n",
        3,
        r".",
        id="bad-timestamp-tag",
    ),
]


@pytest.mark.parametrize(("data", "line", "pattern"), NOT_A_PLAN)
def test_input_that_is_not_a_plan_gets_a_clear_message(
    data: str | bytes, line: int | None, pattern: str
) -> None:
    try:
        parse_plan(data, name="bad.yaml")
    except FileProblems as error:
        refused = error
    except Exception as error:  # what a user must never see
        pytest.fail(f"{type(error).__name__} escaped instead of FileProblems: {error}")
    else:
        pytest.fail("the input was accepted")

    problems = refused.problems
    assert problems
    text = str(refused)
    assert re.search(pattern, text, re.IGNORECASE), text
    assert "Traceback" not in text
    assert all(problem.file == "bad.yaml" for problem in problems)
    assert len(problems) < 50, "far too many problems for one broken file"
    if line is not None:
        assert problems[0].line == line, text
    for problem in problems:
        assert problem.message.strip()


def test_a_long_junk_file_is_refused_without_echoing_it() -> None:
    junk = "x" * 1_200_000
    with pytest.raises(FileProblems) as caught:
        parse_plan(junk)
    assert len(str(caught.value)) < 500


PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:builtins.open ['{marker}', 'w']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
@pytest.mark.parametrize("where_", ["top", "nested", "key"])
def test_python_tags_are_refused_and_never_run(tmp_path: Path, tag: str, where_: str) -> None:
    marker = tmp_path / "ran"
    value = tag.format(marker=marker)
    base = 'coprod: 1\nproject:\n  title: "T"\ncriteria: {}\n'
    if where_ == "top":
        text = base + f"payload: {value}\n"
        line = 5
    elif where_ == "nested":
        text = base.replace('"T"', value)
        line = 3
    else:
        text = base + f"? {value}\n: 1\n"
        line = 5
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(FileProblems) as caught:
        load_plan(path)

    assert not marker.exists(), "a python tag ran code"
    problems = caught.value.problems
    assert problems[0].line == line
    message = str(caught.value)
    assert "python" in message or "plain" in message, message


def test_a_python_tag_cannot_run_code_even_in_a_valid_plan(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = MINIMAL.replace(
        '"A minimal plan"', f"!!python/object/apply:os.system ['touch {marker}']"
    )
    with pytest.raises(FileProblems) as caught:
        parse_plan(text)
    assert not marker.exists()
    [problem] = caught.value.problems
    assert where(problem) == (3, 10, "project.title")
    assert "python/object/apply:os.system" in problem.message


def test_an_explicit_standard_tag_is_plain_data() -> None:
    # `!!str` is core YAML, not a language tag: a number written as a title stays text.
    text = "coprod: 1\nproject:\n  title: !!str 2026\ncriteria: {}\n"
    assert parse_plan(text).plan.project.title == "2026"


def test_aliases_that_expand_exponentially_are_refused_quickly() -> None:
    lines = ['coprod: 1\nproject: {title: "T"}\ncriteria: {}\naims:', "  - &a0 [x, x, x, x, x]"]
    for index in range(1, 12):
        previous = f"*a{index - 1}"
        lines.append(f"  - &a{index} [{', '.join([previous] * 5)}]")
    with pytest.raises(FileProblems) as caught:
        parse_plan("\n".join(lines) + "\n")
    assert len(str(caught.value)) < 5000


def test_a_problem_in_an_aliased_value_is_reported() -> None:
    text = MINIMAL + "stages:\n  questions: &shared {level: sometimes}\n  analysis: *shared\n"
    problems = problems_of(text)
    assert {p.path for p in problems} == {"stages.questions.level", "stages.analysis.level"}
    assert all(p.line == 7 for p in problems)


def test_tag_problems_and_schema_problems_are_reported_together() -> None:
    # An invalid file is refused with *every* problem listed. A disallowed tag in one
    # place must not hide a wrong answer elsewhere.
    text = "coprod: 1\nproject:\n  title: !foo T\ncriteria:\n  conflicts_of_interest: maybe\n"
    problems = problems_of(text)
    assert {where(p) for p in problems} == {
        (3, 10, "project.title"),
        (5, 26, "criteria.conflicts_of_interest"),
    }


# --- Catalogue references ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> Any:
    return default_catalogue()


def test_unknown_catalogue_ids_are_reported_with_their_positions(catalogue: Any) -> None:
    method = next(iter(catalogue.methods))
    challenge = next(iter(catalogue.challenges))
    text = MINIMAL + (
        "stages:\n"
        f"  questions: {{level: consult, methods: [{method}, tarot_reading]}}\n"
        "risks:\n"
        "  - stage: questions\n"
        '    challenge: "Something"\n'
        "    catalogue_id: not_a_challenge\n"
        "  - stage: team\n"
        '    challenge: "A known one"\n'
        f"    catalogue_id: {challenge}\n"
    )
    problems = problems_of(text, catalogue=catalogue)

    assert [where(p) for p in problems] == [
        (*position_of(text, "tarot_reading"), "stages.questions.methods[1]"),
        (*position_of(text, "not_a_challenge"), "risks[0].catalogue_id"),
    ]
    assert "'tarot_reading' is not a known method" in problems[0].message
    assert "'not_a_challenge'" in problems[1].message
    assert "challenge" in problems[1].message


def test_unknown_alternative_id_is_reported(catalogue: Any) -> None:
    text = MINIMAL + (
        "alternatives:\n"
        "  - motivation: substantive\n"
        '    approach: "Ask a crystal ball"\n'
        "    catalogue_id: crystal_ball\n"
    )
    problem = only_problem(text, catalogue=catalogue)
    assert where(problem) == (*position_of(text, "crystal_ball"), "alternatives[0].catalogue_id")


def test_without_a_catalogue_ids_are_not_checked() -> None:
    text = MINIMAL + "stages:\n  questions: {level: consult, methods: [tarot_reading]}\n"
    assert parse_plan(text).plan.stages[Stage.QUESTIONS].methods == ["tarot_reading"]


def test_known_catalogue_ids_are_accepted(catalogue: Any) -> None:
    methods = list(catalogue.methods)[:2]
    alternative = next(iter(catalogue.alternatives))
    challenge = next(iter(catalogue.challenges))
    text = MINIMAL + (
        f"stages:\n  analysis: {{level: involve, methods: [{', '.join(methods)}]}}\n"
        f"alternatives:\n  - {{motivation: normative, approach: a, catalogue_id: {alternative}}}\n"
        f"risks:\n  - {{stage: team, challenge: c, catalogue_id: {challenge}}}\n"
    )
    plan = parse_plan(text, catalogue=catalogue).plan
    assert plan.stages[Stage.ANALYSIS].methods == methods


# --- Round trip ----------------------------------------------------------------------------------


def comments_of(text: str) -> list[str]:
    """Every comment in ``text``: whole-line comments, and comments after a value."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if stripped.strip("#").strip():
                found.append(stripped)
            continue
        quote = None
        for index, char in enumerate(line):
            if quote:
                if char == quote:
                    quote = None
            elif char in "\"'" and (index == 0 or line[index - 1] in " [{,:"):
                quote = char
            elif char == "#" and index > 0 and line[index - 1] in " \t":
                found.append(line[index:].strip())
                break
    return found


def events(text: str) -> list[tuple[str, Any]]:
    """The YAML event stream, without style: what the document says, not how it is laid out."""
    out = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        name = type(event).__name__
        if name in ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent"):
            continue
        value = getattr(event, "value", None)
        out.append((name, value))
    return out


def test_the_fixture_has_comments_to_keep() -> None:
    assert len(comments_of((FILES / "commented-plan.yaml").read_text(encoding="utf-8"))) >= 10


def test_comments_of_sees_trailing_comments_but_not_hashes_in_text() -> None:
    text = 'a: "x # y"  # real\nb: c # also\n# whole\nd: e#f\n'
    assert comments_of(text) == ["# real", "# also", "# whole"]


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_write_plan_changes_nothing_but_formatting(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    loaded = load_plan(path)

    written = write_plan(loaded)

    assert parse_plan(written).plan == loaded.plan
    assert events(written) == events(original), "keys, values or their order changed"
    missing = [c for c in comments_of(original) if c not in written]
    assert not missing, f"comments lost: {missing}"


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_write_plan_is_stable(path: Path) -> None:
    once = write_plan(load_plan(path))
    twice = write_plan(parse_plan(once))
    assert twice == once


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_plan_to_yaml_without_a_base_round_trips(path: Path) -> None:
    plan = load_plan(path).plan
    text = plan_to_yaml(plan)
    assert parse_plan(text).plan == plan


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_plan_to_yaml_with_a_base_keeps_comments(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    loaded = load_plan(path)

    text = plan_to_yaml(loaded.plan, base=loaded)

    assert parse_plan(text).plan == loaded.plan
    missing = [c for c in comments_of(original) if c not in text]
    assert not missing, f"comments lost: {missing}"


def test_plan_to_yaml_with_a_base_writes_changes_and_keeps_other_comments() -> None:
    path = FILES / "commented-plan.yaml"
    loaded = load_plan(path)
    before = write_plan(loaded)
    criteria = loaded.plan.criteria.model_copy(update={"contestation": Answer.LESS})
    changed = loaded.plan.model_copy(update={"criteria": criteria})

    text = plan_to_yaml(changed, base=loaded)

    reread = parse_plan(text).plan
    assert reread.criteria.contestation is Answer.LESS
    assert reread == changed
    assert "# few people object to preventing falls" in text
    assert "# the decision date drives everything" in text
    assert "# Step 1: why we involve anyone, and for whom." in text
    # The loaded plan itself is not changed by writing a new version over it.
    assert write_plan(loaded) == before
    assert loaded.plan.criteria.contestation is Answer.LEAN_MORE


def test_plan_to_yaml_with_a_base_drops_removed_sections() -> None:
    loaded = load_plan(FILES / "commented-plan.yaml")
    smaller = Plan(coprod=1, project=loaded.plan.project, criteria=loaded.plan.criteria)

    text = plan_to_yaml(smaller, base=loaded)

    assert parse_plan(text).plan == smaller
    assert "risks" not in text


def test_a_plan_built_in_code_writes_and_reads_back() -> None:
    plan = Plan(
        coprod=1,
        project=Project(title="Built in code", start=dt.date(2026, 1, 31)),
        criteria=Criteria(direct_use=Answer.MORE),
        weights={Criterion.DIRECT_USE: {"weight": Decimal("2.5"), "reason": "Decision due"}},
    )
    text = plan_to_yaml(plan)
    assert "coprod: 1" in text
    assert parse_plan(text).plan == plan


@pytest.mark.parametrize(
    "title",
    ["yes", "no", "on", "off", "true", "null", "~", "1:20", "=", "12", "2026-03-31", "#1", "- a"],
)
def test_text_that_looks_like_another_type_round_trips(title: str) -> None:
    plan = Plan(coprod=1, project=Project(title=title), criteria=Criteria())
    text = plan_to_yaml(plan)
    assert parse_plan(text).plan.project.title == title, text


def test_decimal_amounts_are_read_exactly() -> None:
    # Money and weights are decimals so that no value is rounded on its way through the file.
    text = MINIMAL + (
        "costs:\n"
        "  - kind: other\n"
        '    description: "A very precise sum"\n'
        "    amount: 12345678901234567.89\n"
        "weights:\n"
        "  direct_use: {weight: 1.00000000000000001, reason: r}\n"
    )
    plan = parse_plan(text).plan
    assert plan.costs[0].amount == Decimal("12345678901234567.89")
    assert plan.weights[Criterion.DIRECT_USE].weight == Decimal("1.00000000000000001")


# --- Random valid plans round-trip ---------------------------------------------------------------

TRICKY_TEXT = [
    "yes",
    "No",
    "on",
    "null",
    "~",
    "true",
    "12",
    "1.5",
    "0x1F",
    "1:20",
    "2026-03-31",
    "#hash",
    "a: b",
    "- item",
    "'single'",
    '"double"',
    "{brace}",
    "[bracket]",
    "*star",
    "&amp",
    "!bang",
    "%percent",
    "@at",
    "`tick",
    "|",
    ">",
    "tab\there",
    "two\nlines",
    "trailing\n\nblank",
    "café ☕ — naïve “quotes”",
    "💡",
    "x" * 150,
]

text_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn"))
free_text = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    st.text(text_chars, min_size=1, max_size=40),
    st.lists(st.sampled_from(["word", "other", "and", "\n", " ", ":", "#", "-"]), max_size=30).map(
        "".join
    ),
)
required_text = free_text.map(str.strip).filter(bool)
optional_text = st.none() | required_text
ident = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


def enum_list(enum: Any) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from([member.value for member in enum]), max_size=4)


def section(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional)


answers = st.sampled_from([answer.value for answer in Answer])
criteria = section({}, {criterion.value: answers for criterion in Criterion})
stage_ids = st.sampled_from([stage.value for stage in Stage])

plans = section(
    {
        "coprod": st.just(1),
        "project": section(
            {"title": required_text},
            {
                "summary": optional_text,
                "organisation": optional_text,
                "current_stage": st.none() | stage_ids,
                "start": st.none() | dates,
                "end": st.none() | dates,
            },
        ),
        "criteria": criteria,
    },
    {
        "aims": st.lists(
            section(
                {
                    "motivation": st.sampled_from([m.value for m in Motivation]),
                    "outcome": required_text,
                },
                {"for_whom": enum_list(Group)},
            ),
            max_size=3,
        ),
        "weights": st.dictionaries(
            st.sampled_from([c.value for c in Criterion]),
            section(
                {
                    "weight": st.decimals(
                        min_value=Decimal("0.01"), max_value=Decimal("10"), places=2
                    ),
                    "reason": required_text,
                },
                {},
            ),
            max_size=4,
        ),
        "stages": st.dictionaries(
            stage_ids,
            section(
                {"level": st.sampled_from([level.value for level in Level])},
                {
                    "groups": enum_list(Group),
                    "strategy": optional_text,
                    "methods": st.lists(ident, max_size=3),
                    "standards": enum_list(Standard),
                },
            ),
            max_size=4,
        ),
        "alternatives": st.lists(
            section(
                {
                    "motivation": st.sampled_from([m.value for m in Motivation]),
                    "approach": required_text,
                },
                {
                    "catalogue_id": st.none() | ident,
                    "chosen": st.booleans(),
                    "reason": optional_text,
                },
            ),
            max_size=2,
        ),
        "stakeholders": st.lists(
            section(
                {"name": required_text, "group": st.sampled_from([g.value for g in Group])},
                {
                    "organisation": optional_text,
                    "role": optional_text,
                    "brings": optional_text,
                    "stages": st.lists(stage_ids, max_size=3),
                },
            ),
            max_size=2,
        ),
        "governance": st.none()
        | section(
            {},
            {
                "decision_rule": st.none() | st.sampled_from([r.value for r in DecisionRule]),
                "ground_rules": st.lists(required_text, max_size=2),
                "accountability": optional_text,
                "dissemination": st.none()
                | section(
                    {},
                    {
                        "stakeholders_can_block": st.booleans(),
                        "review_window_days": st.none() | st.integers(0, 365),
                        "embargo_until": st.none() | dates,
                    },
                ),
                "standards": enum_list(Standard),
            },
        ),
        "key_questions": st.none()
        | section({}, {"brings": optional_text, "decisions": optional_text}),
        "ethics": st.none()
        | section({}, {"identifiable_data": st.booleans(), "approval": optional_text}),
        "costs": st.lists(
            section(
                {
                    "kind": st.sampled_from(["contributor_payment", "staff_time", "other"]),
                    "description": required_text,
                    "amount": st.decimals(
                        min_value=Decimal(0), max_value=Decimal("1000000000"), places=2
                    ),
                },
                {
                    "currency": st.from_regex(r"[A-Z]{3}", fullmatch=True),
                    "bearer": optional_text,
                    "stage": st.none() | stage_ids,
                    "standards": enum_list(Standard),
                },
            ),
            max_size=2,
        ),
        "risks": st.lists(
            section(
                {"stage": stage_ids, "challenge": required_text},
                {
                    "cost_types": enum_list(CostType),
                    "bears": enum_list(Bearer),
                    "likelihood": st.none() | st.integers(1, 5),
                    "impact": st.none() | st.integers(1, 5),
                    "mitigation": optional_text,
                    "status": st.sampled_from(["open", "mitigated", "closed", "accepted"]),
                    "review": st.none() | dates,
                    "catalogue_id": st.none() | ident,
                },
            ),
            max_size=2,
        ),
        "assessments": st.lists(
            section(
                {
                    "date": dates,
                    "by": required_text,
                    "criteria": criteria,
                    "emphasis": st.sampled_from(["less", "balanced", "more", "insufficient"]),
                },
                {"stage": st.none() | stage_ids, "note": optional_text},
            ),
            max_size=2,
        ),
    },
).map(Plan.model_validate)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans)
def test_random_valid_plans_round_trip_through_yaml(plan: Plan) -> None:
    text = plan_to_yaml(plan)
    loaded = parse_plan(text)
    assert loaded.plan == plan, text
    # And a write of what was read changes nothing either.
    assert parse_plan(write_plan(loaded)).plan == plan


def test_unknown_rate_cards_and_rates_are_reported_where_they_stand() -> None:
    text = MINIMAL + (
        "costs:\n"
        "  - kind: contributor_payment\n"
        "    description: Panel\n"
        "    quantity: 10\n"
        "    unit: hour\n"
        "    rate_card: no_such_card\n"
        "    rate: hourly\n"
        "    date: 2026-01-10\n"
    )
    [problem] = problems_of(text, catalogue=default_catalogue())
    assert where(problem) == (*position_of(text, "no_such_card"), "costs[0].rate_card")
    card = next(iter(default_catalogue().rate_cards.values()))
    wrong_rate = text.replace("no_such_card", card.id).replace("rate: hourly", "rate: nope")
    [problem] = problems_of(wrong_rate, catalogue=default_catalogue())
    assert where(problem) == (*position_of(wrong_rate, "nope"), "costs[0].rate")

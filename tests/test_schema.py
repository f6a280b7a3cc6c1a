"""JSON Schemas stay in step with the models: documented keys, real documents, real scorecards.

Each schema perfscore writes is checked against its declared draft's metaschema, and real
rubrics, facts documents and scorecards are validated with the `jsonschema` package (a test
dependency only: perfscore itself never validates with these schemas).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from perfscore import FactsError, cli, parse_rubric
from perfscore._load._document import parse_document
from perfscore._load._facts import read_facts_document
from perfscore._rubric import bundled_rubrics, load_facts, load_rubric
from perfscore._tools._schema import DRAFT, facts_schema, rubric_schema, scorecard_schema

ROOT = Path(__file__).resolve().parents[1]

RUBRIC = textwrap.dedent(
    """\
    perfscore: 1
    id: demo
    version: "1"
    title: 演示
    rounding: {step: 0.5, mode: floor}
    facts:
      budget: {type: number, label: 全年预算数, unit: 万元, min: 0}
      spent: {type: number, label: 决算数, min: 0}
      rate_stated: {type: percent, label: 所述支出率}
      cut: {type: boolean, label: 调减}
      problems: {type: integer, label: 问题数, min: 0, default: 0}
      level: {type: enum, label: 达成, values: [achieved, partial, none]}
      level_score: {type: number, label: 评分, required: false}
      approved_on: {type: date, label: 批复日期}
      surveys:
        type: list
        label: 调查
        max_items: 20
        fields:
          n: {type: integer, label: 份数, min: 1}
          rate: {type: percent, label: 满意度}
    derived:
      rate: {formula: spent / budget * 100, label: 支出率}
    groups:
      - id: a
        name: 预算执行
        max: 20
        children:
          - id: spend
            name: 支出率
            max: 6
            basis: 惠湾财绩〔2023〕1号
            per_unit: {measure: 100 - rate_stated, points: 0.1, reason: "支出率{rate_stated}%"}
          - id: comp
            name: 合规
            max: 4
            not_applicable: full
            checklist:
              items:
                - {id: cut, when: cut, points: 0.5, reason: 调减}
                - {id: prob, when: problems > 0, points: 0.5 * problems, reason: "{problems}个问题"}
          - id: sat
            name: 满意度
            max: 4
            bands:
              measure: weighted_mean(surveys, rate, n)
              table:
                - {range: "[90, inf)", score: 4}
                - {range: "[60, 90)", score: "4 * weighted_mean(surveys, rate, n) / 100"}
              otherwise: 0
          - id: eff
            name: 效益
            max: 6
            tiers:
              level: level
              score: level_score
              table:
                - {level: achieved, range: "[80, 100]", default: 100}
                - {level: partial, range: "[60, 80)"}
                - {level: none, range: "[0, 60)", default: 0}
    bonus:
      - {id: extra, name: 加分, min: -2, max: 3, formula: count(surveys)}
    total: {cap: null}
    grades:
      - {grade: 优, min: 90}
      - {grade: 良, min: 80}
      - {grade: 差}
    checks:
      - {id: mismatch, when: "abs(rate - rate_stated) > 0.01", message: "所述{rate_stated}%"}
    """
)

FACTS = textwrap.dedent(
    """\
    rubric: demo@1
    subject: 测试单位
    period: 2022
    facts:
      budget: 3703.85
      spent: 3703.85
      rate_stated: 95.87
      cut: true
      problems: 2
      level: achieved
      approved_on: 2022-01-30
      surveys:
        - {n: 48, rate: 100}
        - {n: 20, rate: 90}
    not_applicable: [comp]
    claimed:
      indicators: {spend: 5.5, comp: 4}
      total: 20
      grade: 优
    """
)


# --- validation ------------------------------------------------------------------------------


def validator(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Validator:
    """A validator for `schema` (a part of `root`, whose $defs it may use), of the draft `root`
    declares, checking formats too."""
    root = schema if root is None else root
    cls = validator_for(root)
    if root is not schema:
        schema = {**schema, "$defs": root.get("$defs", {})}
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The error itself, or for anyOf / oneOf the options' own errors, so a test can name one."""
    if not error.context:
        yield error
    for inner in error.context or ():
        yield from _leaves(inner)


def check(schema: dict[str, Any], data: object) -> list[str]:
    """Every way `data` breaks `schema`, as ``$.path: message`` lines."""
    return [
        f"{leaf.json_path}: {leaf.message}"
        for error in validator(schema).iter_errors(data)
        for leaf in _leaves(error)
    ]


def yaml_data(text: str) -> object:
    return parse_document(text, name="x.yaml").data


# --- the rubric schema -----------------------------------------------------------------------


def test_the_rubric_schema_is_a_draft_2020_12_schema() -> None:
    schema = rubric_schema()
    assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:perfscore:schema:rubric:1"
    assert schema["title"] == "perfscore rubric (format 1)"
    assert schema["properties"]["perfscore"]["const"] == 1
    assert "Interval" not in schema["$defs"]  # ranges are written as text
    json.dumps(schema)  # plain JSON data, no Decimal


def _emitted() -> list[tuple[str, dict[str, Any]]]:
    schemas = [("rubric", rubric_schema()), ("scorecard", scorecard_schema())]
    schemas.append(("facts demo@1", facts_schema(parse_rubric(RUBRIC))))
    schemas += [(f"facts {ref}", facts_schema(load_rubric(ref))) for ref in bundled_rubrics()]
    return schemas


EMITTED = _emitted()


@pytest.mark.parametrize(("name", "schema"), EMITTED, ids=[n for n, _ in EMITTED])
def test_every_schema_perfscore_writes_is_valid_under_the_draft_it_declares(
    name: str, schema: dict[str, Any]
) -> None:
    cls = validator_for(schema, default=None)
    assert cls is Draft202012Validator, name  # the draft DRAFT names, known to jsonschema
    cls.check_schema(schema)


def test_every_key_in_the_format_tables_is_in_the_schema() -> None:
    keys: set[str] = set()
    for line in (ROOT / "docs" / "rubric-format.md").read_text("utf-8").splitlines():
        if line.startswith("| `"):
            keys.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    assert {"type", "max_items", "not_applicable", "monotonic", "basis"} <= keys
    schema = rubric_schema()
    named = {k for node in [schema, *schema["$defs"].values()] for k in node.get("properties", {})}
    assert keys - named == set()


def test_a_rubric_validates_against_the_rubric_schema() -> None:
    assert check(rubric_schema(), yaml_data(RUBRIC)) == []


@pytest.mark.parametrize("ref", bundled_rubrics())
def test_the_bundled_rubrics_validate(ref: str) -> None:
    rubric = load_rubric(ref)
    assert check(rubric_schema(), rubric.document.data) == []


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ("max: 6", "maxx: 6"),
            "$.groups[0].children[0]: Additional properties are not allowed ('maxx' was",
        ),
        (('version: "1"', "version: 1"), "$.version: 1 is not of type 'string'"),
        (
            ('"[60, 90)"', '"60 to 90"'),
            "$.groups[0].children[2].bands.table[1].range: '60 to 90' does not match",
        ),
        (("mode: floor", "mode: nearest"), "$.rounding.mode: 'nearest' is not one of"),
        (("perfscore: 1", "perfscore: 2"), "$.perfscore: 1 was expected"),
    ],
)
def test_the_rubric_schema_rejects_what_the_loader_rejects(
    edit: tuple[str, str], problem: str
) -> None:
    found = check(rubric_schema(), yaml_data(RUBRIC.replace(*edit, 1)))
    assert any(p.startswith(problem) for p in found), found


# --- the facts schema ------------------------------------------------------------------------


def test_a_facts_document_validates_against_its_rubrics_facts_schema() -> None:
    schema = facts_schema(parse_rubric(RUBRIC))
    assert schema["$id"] == "urn:perfscore:schema:facts:demo@1"
    assert schema["properties"]["facts"]["required"] == [
        "budget",
        "spent",
        "rate_stated",
        "cut",
        "level",
        "approved_on",
        "surveys",
    ]
    assert schema["properties"]["not_applicable"]["items"] == {"enum": ["comp"]}
    assert check(schema, yaml_data(FACTS)) == []


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_the_example_documents_validate_against_their_rubrics_facts_schema(path: Path) -> None:
    document = load_facts(path)
    rubric = load_rubric(f"{document.rubric_id}@{document.rubric_version}")
    rubric.evaluate(document)  # perfscore accepts it ...
    assert document.document is not None
    assert check(facts_schema(rubric), document.document.data) == []  # ... and so does the schema


def test_the_facts_schema_describes_each_fact() -> None:
    facts = facts_schema(parse_rubric(RUBRIC))["properties"]["facts"]["properties"]
    # a value's own schema is under "else": an object is a marker (unknown or doubtful)
    budget = facts["budget"]
    assert (budget["title"], budget["description"]) == ("全年预算数", "unit: 万元")
    assert budget["if"] == {"type": "object"}
    assert budget["else"] == {"type": "number", "minimum": 0, "maximum": 10**15}
    assert budget["then"]["oneOf"][1]["properties"]["value"] == budget["else"]
    assert facts["rate_stated"]["else"]["minimum"] == 0
    assert facts["rate_stated"]["else"]["maximum"] == 100
    assert facts["problems"]["else"]["type"] == "integer"
    assert facts["problems"]["default"] == 0
    assert facts["level"]["else"]["enum"] == ["achieved", "partial", "none"]
    assert facts["approved_on"]["else"]["format"] == "date"
    assert facts["surveys"]["else"]["maxItems"] == 20
    assert facts["surveys"]["else"]["items"]["required"] == ["n", "rate"]
    assert facts["surveys"]["else"]["items"]["additionalProperties"] is False
    assert facts["surveys"]["then"]["required"] == ["unknown"]


def test_the_facts_schema_takes_markers_where_perfscore_does() -> None:
    schema = facts_schema(parse_rubric(RUBRIC))
    for edit in (
        ("budget: 3703.85", "budget: {unknown: true}"),
        ("budget: 3703.85", "budget: {unknown: 原表截断}"),
        ("budget: 3703.85", "budget: {value: 3703.85, doubtful: OCR}"),
        ("{n: 48, rate: 100}", "{n: 48, rate: {unknown: true}}"),
    ):
        assert check(schema, yaml_data(FACTS.replace(*edit, 1))) == [], edit
    for edit in (
        ("budget: 3703.85", "budget: {unknown: false}"),
        ("budget: 3703.85", "budget: {value: -1, doubtful: OCR}"),
        ("budget: 3703.85", "budget: {value: 1}"),
    ):
        assert check(schema, yaml_data(FACTS.replace(*edit, 1))) != [], edit


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("budget: 3703.85", "budget: -1"), "$.facts.budget: -1 is less than the minimum of 0"),
        (
            ("rate_stated: 95.87", "rate_stated: 195.87"),
            "$.facts.rate_stated: Decimal('195.87') is greater than the maximum of 100",
        ),
        (
            ("problems: 2", "problems: 2.5"),
            "$.facts.problems: Decimal('2.5') is not of type 'integer'",
        ),
        (("cut: true", "cut: yes"), "$.facts.cut: 'yes' is not of type 'boolean'"),
        (("level: achieved", "level: done"), "$.facts.level: 'done' is not one of"),
        (
            ("approved_on: 2022-01-30", "approved_on: 2022/01/30"),
            "$.facts.approved_on: '2022/01/30' does not match",
        ),
        (("  spent: 3703.85\n", ""), "$.facts: 'spent' is a required property"),
        (
            ("  cut: true\n", "  cut: true\n  typo: 1\n"),
            "$.facts: Additional properties are not allowed ('typo' was unexpected)",
        ),
        (
            ("{n: 48, rate: 100}", "{n: 0, rate: 100}"),
            "$.facts.surveys[0].n: 0 is less than the minimum of 1",
        ),
        (("{n: 20, rate: 90}", "{n: 20}"), "$.facts.surveys[1]: 'rate' is a required property"),
        (
            ("not_applicable: [comp]", "not_applicable: [spend]"),
            "$.not_applicable[0]: 'spend' is not one of ['comp']",
        ),
        (
            ("spend: 5.5", "nope: 5.5"),
            "$.claimed.indicators: Additional properties are not allowed ('nope' was unexpected)",
        ),
        (("rubric: demo@1", "rubric: demo@2"), "$.rubric: 'demo@1' was expected"),
    ],
)
def test_the_facts_schema_rejects_what_scoring_rejects(edit: tuple[str, str], problem: str) -> None:
    text = FACTS.replace(*edit, 1)
    found = check(facts_schema(parse_rubric(RUBRIC)), yaml_data(text))
    assert any(p.startswith(problem) for p in found), found


def test_what_the_facts_schema_rejects_perfscore_rejects_too() -> None:
    rubric = parse_rubric(RUBRIC)
    bad = FACTS.replace("budget: 3703.85", "budget: -1").replace("cut: true", "cut: yes")
    document = read_facts_document(parse_document(bad, name="f.yaml"))
    with pytest.raises(FactsError) as caught:
        rubric.evaluate(document)
    assert {p.code for p in caught.value.problems} == {"out-of-bounds", "fact-type"}


# --- the scorecard schema --------------------------------------------------------------------


def _resolve(schema: dict[str, Any], data: object, root: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(root["$defs"][schema["$ref"].removeprefix("#/$defs/")], data, root)
    for option in schema.get("anyOf", []):
        if validator(option, root).is_valid(data):
            return _resolve(option, data, root)
    return schema


def exact_keys(schema: dict[str, Any], data: object, root: dict[str, Any], at: str = "$") -> None:
    """Every object in `data` has exactly the properties its schema requires, and no others
    than it names (the range keys are written only where a score is a range)."""
    schema = _resolve(schema, data, root)
    if isinstance(data, dict) and "properties" in schema:
        assert set(schema.get("required", schema["properties"])) <= set(data), at
        assert set(data) <= set(schema["properties"]), at
        for key, value in data.items():
            exact_keys(schema["properties"][key], value, root, f"{at}.{key}")
    elif isinstance(data, list) and "items" in schema:
        for i, item in enumerate(data):
            exact_keys(schema["items"], item, root, f"{at}[{i}]")


def test_a_scorecard_has_exactly_the_schemas_properties() -> None:
    rubric = parse_rubric(RUBRIC)
    card = rubric.evaluate(read_facts_document(parse_document(FACTS, name="f.yaml")))
    data = json.loads(card.to_json(), parse_float=Decimal)
    schema = scorecard_schema()
    assert schema["$id"] == "urn:perfscore:schema:scorecard:2"
    assert check(schema, data) == []
    exact_keys(schema, data, schema)
    assert schema["properties"]["total"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}
    optional = set(schema["properties"]) - set(schema["required"])
    assert optional == {"total_range", "grades_possible", "sheet"}  # sheet: rubrics declaring it
    assert "total_range" not in data
    assert "range" not in data["indicators"][0]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests" / "golden").glob("*.json")), ids=lambda p: p.stem
)
def test_the_golden_scorecards_validate_and_have_exactly_the_schemas_properties(
    path: Path,
) -> None:
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    schema = scorecard_schema()
    assert check(schema, data) == []
    exact_keys(schema, data, schema)


def test_a_scorecard_without_traces_or_claims_fits_too() -> None:
    rubric = parse_rubric(RUBRIC)
    document = read_facts_document(parse_document(FACTS, name="f.yaml"))
    card = rubric.evaluate(document.facts, trace=False)
    data = json.loads(card.to_json(), parse_float=Decimal)
    assert check(scorecard_schema(), data) == []


# --- the command -----------------------------------------------------------------------------


def test_schema_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "en", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == rubric_schema()
    assert cli.main(["--lang", "en", "schema", "scorecard"]) == 0
    assert json.loads(capsys.readouterr().out) == scorecard_schema()
    path = tmp_path / "demo.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    assert cli.main(["--lang", "en", "schema", "facts", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "urn:perfscore:schema:facts:demo@1"
    assert cli.main(["--lang", "en", "schema", "facts"]) == 2
    assert "'schema facts' needs the rubric [bad-argument]" in capsys.readouterr().err
    assert cli.main(["--lang", "en", "schema", "rubric", str(path)]) == 2
    assert "'schema rubric' takes no rubric [bad-argument]" in capsys.readouterr().err

"""JSON Schemas stay in step with the models: documented keys, real documents, real scorecards.

The validator below is deliberately tiny (perfscore does not depend on jsonschema); it covers
the keywords the generated schemas use and fails on any keyword it does not know.
"""

from __future__ import annotations

import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

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


# --- a tiny validator ------------------------------------------------------------------------

_KNOWN = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "default", "examples", "format",
    "type", "const", "enum", "anyOf", "oneOf", "properties", "required", "additionalProperties",
    "propertyNames", "items", "minItems", "maxItems", "pattern", "maxLength", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "discriminator", "minProperties",
}  # fmt: skip


def _is(kind: str, value: object) -> bool:
    number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    return {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "number": number,
        "integer": number and Decimal(str(value)) == Decimal(str(value)).to_integral_value(),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }[kind]


def problems(
    schema: dict[str, Any], data: object, root: dict[str, Any], at: str = "$"
) -> list[str]:
    """Every way `data` breaks `schema`, as ``$.path: reason`` lines."""
    unknown = set(schema) - _KNOWN
    assert not unknown, f"the test validator does not know {unknown}"
    out: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        out += problems(root["$defs"][name], data, root, at)
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(k, data) for k in kinds):
            return [*out, f"{at}: {data!r} is not of type {kinds}"]
    if "const" in schema and data != schema["const"]:
        out.append(f"{at}: {data!r} is not {schema['const']!r}")
    if "enum" in schema and data not in schema["enum"]:
        out.append(f"{at}: {data!r} is not one of {schema['enum']}")
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            found = [problems(s, data, root, at) for s in schema[keyword]]
            matching = sum(not f for f in found)
            if matching == 0 or (keyword == "oneOf" and matching > 1):
                # the options' own problems too, so a test can name the real one
                out += [f"{at}: matches {matching} of {keyword}", *(p for f in found for p in f)]
    if isinstance(data, dict):
        properties = schema.get("properties", {})
        out += [f"{at}: missing {k!r}" for k in schema.get("required", []) if k not in data]
        if len(data) < schema.get("minProperties", 0):
            out.append(f"{at}: fewer than {schema['minProperties']} keys")
        for key, value in data.items():
            if key in properties:
                out += problems(properties[key], value, root, f"{at}.{key}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{at}: unexpected {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += problems(schema["additionalProperties"], value, root, f"{at}.{key}")
            if "propertyNames" in schema:
                out += problems(schema["propertyNames"], key, root, f"{at}.{key} (name)")
    if isinstance(data, list):
        if len(data) < schema.get("minItems", 0):
            out.append(f"{at}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(data) > schema["maxItems"]:
            out.append(f"{at}: more than {schema['maxItems']} items")
        for i, item in enumerate(data):
            if "items" in schema:
                out += problems(schema["items"], item, root, f"{at}[{i}]")
    if isinstance(data, str):
        if "pattern" in schema and not re.search(schema["pattern"], data):
            out.append(f"{at}: {data!r} does not match {schema['pattern']}")
        if "maxLength" in schema and len(data) > schema["maxLength"]:
            out.append(f"{at}: longer than {schema['maxLength']}")
    if _is("number", data):
        value = Decimal(str(data))
        for key, ok in (
            ("minimum", lambda b: value >= b),
            ("maximum", lambda b: value <= b),
            ("exclusiveMinimum", lambda b: value > b),
            ("exclusiveMaximum", lambda b: value < b),
        ):
            if key in schema and not ok(Decimal(str(schema[key]))):
                out.append(f"{at}: {data} breaks {key} {schema[key]}")
    return out


def check(schema: dict[str, Any], data: object) -> list[str]:
    return problems(schema, data, schema)


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
        (("max: 6", "maxx: 6"), "unexpected 'maxx'"),
        (('version: "1"', "version: 1"), "$.version: 1 is not of type"),
        (('"[60, 90)"', '"60 to 90"'), "does not match"),
        (("mode: floor", "mode: nearest"), "is not one of"),
        (("perfscore: 1", "perfscore: 2"), "$.perfscore: 2 is not 1"),
    ],
)
def test_the_rubric_schema_rejects_what_the_loader_rejects(
    edit: tuple[str, str], problem: str
) -> None:
    found = check(rubric_schema(), yaml_data(RUBRIC.replace(*edit, 1)))
    assert any(problem in p for p in found), found


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
    assert facts["budget"] == {
        "title": "全年预算数",
        "description": "unit: 万元",
        "type": "number",
        "minimum": 0,
        "maximum": 10**15,
    }
    assert facts["rate_stated"]["minimum"] == 0
    assert facts["rate_stated"]["maximum"] == 100
    assert facts["problems"]["type"] == "integer"
    assert facts["problems"]["default"] == 0
    assert facts["level"]["enum"] == ["achieved", "partial", "none"]
    assert facts["approved_on"]["format"] == "date"
    assert facts["surveys"]["maxItems"] == 20
    assert facts["surveys"]["items"]["required"] == ["n", "rate"]
    assert facts["surveys"]["items"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("budget: 3703.85", "budget: -1"), "$.facts.budget: -1 breaks minimum 0"),
        (("rate_stated: 95.87", "rate_stated: 195.87"), "breaks maximum 100"),
        (("problems: 2", "problems: 2.5"), "is not of type ['integer']"),
        (("cut: true", "cut: yes"), "$.facts.cut: 'yes' is not of type"),
        (("level: achieved", "level: done"), "is not one of"),
        (("approved_on: 2022-01-30", "approved_on: 2022/01/30"), "does not match"),
        (("  spent: 3703.85\n", ""), "$.facts: missing 'spent'"),
        (("  cut: true\n", "  cut: true\n  typo: 1\n"), "$.facts: unexpected 'typo'"),
        (("{n: 48, rate: 100}", "{n: 0, rate: 100}"), "$.facts.surveys[0].n: 0 breaks minimum 1"),
        (("{n: 20, rate: 90}", "{n: 20}"), "$.facts.surveys[1]: missing 'rate'"),
        (("not_applicable: [comp]", "not_applicable: [spend]"), "is not one of ['comp']"),
        (("spend: 5.5", "nope: 5.5"), "$.claimed.indicators: unexpected 'nope'"),
        (("rubric: demo@1", "rubric: demo@2"), "$.rubric: 'demo@2' is not 'demo@1'"),
    ],
)
def test_the_facts_schema_rejects_what_scoring_rejects(edit: tuple[str, str], problem: str) -> None:
    text = FACTS.replace(*edit, 1)
    found = check(facts_schema(parse_rubric(RUBRIC)), yaml_data(text))
    assert any(problem in p for p in found), found


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
        if not problems(option, data, root):
            return _resolve(option, data, root)
    return schema


def exact_keys(schema: dict[str, Any], data: object, root: dict[str, Any], at: str = "$") -> None:
    """Every object in `data` has exactly the properties its schema names."""
    schema = _resolve(schema, data, root)
    if isinstance(data, dict) and "properties" in schema:
        assert set(data) == set(schema["properties"]), at
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
    assert schema["properties"]["total"] == {"type": "number"}
    assert set(schema["required"]) == set(schema["properties"])


def test_a_scorecard_without_traces_or_claims_fits_too() -> None:
    rubric = parse_rubric(RUBRIC)
    document = read_facts_document(parse_document(FACTS, name="f.yaml"))
    card = rubric.evaluate(document.facts, trace=False)
    data = json.loads(card.to_json(), parse_float=Decimal)
    assert check(scorecard_schema(), data) == []


# --- the command -----------------------------------------------------------------------------


def test_schema_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == rubric_schema()
    assert cli.main(["schema", "scorecard"]) == 0
    assert json.loads(capsys.readouterr().out) == scorecard_schema()
    path = tmp_path / "demo.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    assert cli.main(["schema", "facts", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "urn:perfscore:schema:facts:demo@1"
    assert cli.main(["schema", "facts"]) == 2
    assert "'schema facts' needs the rubric [bad-argument]" in capsys.readouterr().err
    assert cli.main(["schema", "rubric", str(path)]) == 2
    assert "'schema rubric' takes no rubric [bad-argument]" in capsys.readouterr().err

"""The scorecard: its JSON layout and numbers, hashes, round trip, and text/Markdown renderings."""

from __future__ import annotations

import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import make_rubric
from perfscore import Claims, FactsDocument, Rubric, Scorecard, cli, load_facts
from perfscore._output._scorecard import dump_json

TEXT = textwrap.dedent(
    """\
    perfscore: 1
    id: sc
    version: "1"
    title: 评分卡测试
    facts:
      x: {type: number, label: X}
      y: {type: number, label: Y}
      n: {type: integer, label: N, min: 0}
    derived:
      big: {formula: x / 0.1, label: 放大}
    groups:
      - id: g
        name: 预算执行
        max: 20
        children:
          - {id: a, name: 支出率, max: 10, formula: big}
          - id: r
            name: 完成率
            max: 10
            ratio: {actual: n, target: y}
    bonus:
      - {id: k, name: 加分, min: -2, max: 2, formula: 0 * -1}
    total: {cap: null}
    grades:
      - {grade: 优, min: 90}
      - {grade: 差}
    checks:
      - {id: low, when: x < 50, message: "x 只有 {x}"}
    """
)
RUBRIC = make_rubric(TEXT)
# x = 40: big = 40 / 0.1 = 400 (Decimal writes it 4E+2), a = 400 clamped to 10.
# n = 0, y = -5: r = 10 x 0 / -5, a negative zero before it is finished; k = 0 x -1, another.
FACTS: dict[str, object] = {"x": 40, "y": -5, "n": 0}
CLAIMS = Claims({"a": Decimal(5)})


def card(rubric: Rubric = RUBRIC, **kwargs: object) -> Scorecard:
    return rubric.evaluate(FACTS, **kwargs)  # type: ignore[arg-type]


def raw_numbers(text: str) -> list[str]:
    """Every number of a JSON text exactly as written."""
    found: list[str] = []

    def keep(token: str) -> str:
        found.append(token)
        return token

    json.loads(text, parse_int=keep, parse_float=keep)
    return found


# JSON ------------------------------------------------------------------------------------------


def test_json_has_the_keys_other_tools_rely_on() -> None:
    data = json.loads(card(claims=CLAIMS).to_json())
    assert data["format"] == 2
    assert {
        "format",
        "rubric",
        "subject",
        "period",
        "base_total",
        "bonus_total",
        "total",
        "grade",
        "groups",
        "indicators",
        "discrepancies",
        "warnings",
    } <= set(data)
    assert {"id", "version", "sha256"} <= set(data["rubric"])
    assert (data["rubric"]["id"], data["rubric"]["version"]) == ("sc", "1")
    assert re.fullmatch(r"[0-9a-f]{64}", data["rubric"]["sha256"])
    assert [{k: g[k] for k in ("id", "name", "max", "score")} for g in data["groups"]] == [
        {"id": "g", "name": "预算执行", "max": 20, "score": 10}
    ]
    first = data["indicators"][0]
    assert {"id", "name", "group", "min", "max", "score", "claimed", "trace"} <= set(first)
    assert {k: first[k] for k in ("id", "name", "group", "min", "max", "score", "claimed")} == {
        "id": "a",
        "name": "支出率",
        "group": "g",
        "min": 0,
        "max": 10,
        "score": 10,
        "claimed": 5,
    }
    assert [i["id"] for i in data["indicators"]] == ["a", "r", "k"]
    # a: claimed 5, computed 10, difference 5 - 10 = -5
    assert [
        (d["indicator"], d["claimed"], d["computed"], d["difference"])
        for d in data["discrepancies"]
    ] == [("a", 5, 10, -5)]
    assert data["warnings"] == [{"check": "low", "message": "x 只有 40"}]
    # base 10 + 0; bonus 0; total 10 < 90
    assert (data["base_total"], data["bonus_total"], data["total"], data["grade"]) == (
        10,
        0,
        10,
        "差",
    )


def test_json_numbers_have_no_exponent_and_no_negative_zero() -> None:
    text = card().to_json()
    numbers = raw_numbers(text)
    assert numbers  # the check below must look at something
    assert [n for n in numbers if "e" in n.lower() or re.fullmatch(r"-0(\.0*)?", n)] == []
    data = json.loads(text)
    a, r, k = data["indicators"]
    # the exponent candidate: big = 400 is read by a and written in full
    assert a["trace"]["inputs"] == {"big": 400}
    assert a["trace"]["steps"][0]["value"] == 400
    # the negative zero candidates are written 0
    assert '"value": -0' not in text
    assert (r["score"], k["score"], r["trace"]["steps"][0]["value"]) == (0, 0, 0)


def test_trace_is_null_when_off() -> None:
    data = json.loads(card(trace=False).to_json())
    assert [i["trace"] for i in data["indicators"]] == [None, None, None]
    assert data["total_trace"] is None


def test_identical_inputs_give_identical_json() -> None:
    assert card().to_json() == card().to_json()


def test_fact_key_order_changes_nothing() -> None:
    reordered = RUBRIC.evaluate(dict(reversed(list(FACTS.items()))))
    assert reordered.to_json() == card().to_json()
    assert reordered.facts_sha256 == card().facts_sha256


def test_facts_sha256_follows_the_values() -> None:
    other = RUBRIC.evaluate({**FACTS, "x": 41})
    assert other.facts_sha256 != card().facts_sha256


def test_fact_files_in_a_different_key_order_give_identical_json(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    two = tmp_path / "two.yaml"
    one.write_text("subject: 单位\nfacts: {x: 40, y: -5, n: 0}\n", encoding="utf-8")
    two.write_text("facts:\n  n: 0\n  y: -5\n  x: 40\nsubject: 单位\n", encoding="utf-8")
    assert RUBRIC.evaluate(load_facts(one)).to_json() == RUBRIC.evaluate(load_facts(two)).to_json()


def test_rubric_sha256_ignores_layout_and_comments() -> None:
    relaid = "# 注释\n" + TEXT.replace(
        "total: {cap: null}", "total:\n  cap: null   # no cap\n"
    ).replace("facts:\n", "\nfacts:\n").replace('version: "1"', "version: '1'")
    assert make_rubric(relaid).sha256 == RUBRIC.sha256


def test_rubric_sha256_changes_with_a_threshold() -> None:
    changed = make_rubric(TEXT.replace("{grade: 优, min: 90}", "{grade: 优, min: 85}"))
    assert changed.sha256 != RUBRIC.sha256
    assert card().rubric.sha256 == RUBRIC.sha256


def test_round_trip_without_trace() -> None:
    original = card(claims=CLAIMS, trace=False)
    assert Scorecard.model_validate_json(original.to_json()) == original


def test_round_trip_json_is_stable() -> None:
    original = card(claims=CLAIMS)
    assert Scorecard.model_validate_json(original.to_json()).to_json() == original.to_json()


def test_round_trip_with_fractional_trace_inputs() -> None:
    original = RUBRIC.evaluate({**FACTS, "x": Decimal("95.87")})
    again = Scorecard.model_validate_json(original.to_json())
    assert again == original


def test_a_scorecard_no_run_could_give_is_not_read_back() -> None:
    # a score past its indicator's max, and a format this perfscore does not know, were read
    # and rendered (999 / 5)
    import pydantic

    data = json.loads(card().to_json())
    data["indicators"][0]["score"] = 999
    with pytest.raises(pydantic.ValidationError, match=r"score 999 is outside its bounds \[0, "):
        Scorecard.model_validate_json(json.dumps(data))
    data = json.loads(card().to_json())
    data["format"] = 999
    with pytest.raises(pydantic.ValidationError, match="scorecard format 999 is not one"):
        Scorecard.model_validate_json(json.dumps(data))


# format 2: coded findings and a basis with its kind; format 1 read back ------------------------

D = Decimal
BASED = make_rubric(
    TEXT.replace("formula: big}", "formula: big, basis: {kind: inferred, text: 由 S1 推得}}")
)
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: claims that give each review finding and discrepancy (computed: a 10, r 0, k 0; total 10)
REVIEWS = {
    "claims-do-not-add-up": Claims({"a": D(10), "r": D(0), "k": D(0)}, D(15)),
    "implied-score": Claims({"a": D(10), "r": D(0)}, D(10)),
    "implied-score-out-of-range": Claims({"a": D(10), "r": D(0)}, D(15)),
    "missing-claims-sum": Claims({"a": D(5)}, D(20), "优"),
    "unclaimed-indicators": Claims({"a": D(5)}),
}


def test_json_findings_have_codes_and_a_basis_has_its_kind() -> None:
    data = json.loads(card(BASED, claims=Claims({"a": D(5)}, D(20), "优")).to_json())
    assert [i["basis"] for i in data["indicators"]] == [
        {"kind": "inferred", "text": "由 S1 推得"},
        None,
        None,
    ]
    # a: claimed 5, computed 10; total: claimed 20, computed 10
    assert [(d["code"], d["indicator"]) for d in data["discrepancies"]] == [
        ("claimed-score-differs", "a"),
        ("claimed-total-differs", "total"),
    ]
    # r and the bonus k have no claim: they must carry 20 - 5 = 15, more than r's 10 and k's
    # [-2, 2] allow together; 20 < 90 is 差, not 优
    assert data["review"]["findings"] == [
        {
            "code": "missing-claims-sum",
            "message": "2 个指标没有自评得分：按自评总分，它们合计应为 15，"
            "超出其分值合计范围 [-2, 12]",
            "indicator": None,
        },
        {
            "code": "claimed-grade-differs",
            "message": "自评等级“优”与自评总分 20 不符，按评分规则应为“差”",
            "indicator": None,
        },
    ]


def test_a_plain_text_basis_is_sourced() -> None:
    rubric = make_rubric(TEXT.replace("formula: big}", "formula: big, basis: 财预〔2020〕10号}"))
    assert json.loads(card(rubric).to_json())["indicators"][0]["basis"] == {
        "kind": "sourced",
        "text": "财预〔2020〕10号",
    }


def format_1(card: Scorecard) -> str:
    """The JSON format 1 wrote for `card`: findings as sentences, a basis as "[kind] text"."""
    data: dict[str, Any] = json.loads(card.to_json(), parse_float=D, parse_int=D)
    data["format"] = 1
    for item in data["indicators"]:
        if item["basis"] is not None:
            item["basis"] = f"[{item['basis']['kind']}] {item['basis']['text']}"
    for d in data["discrepancies"]:
        del d["code"]
    if data["review"] is not None:
        data["review"]["findings"] = [f["message"] for f in data["review"]["findings"]]
    return dump_json(data)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("code", sorted(REVIEWS))
def test_a_format_1_scorecard_reads_as_the_format_2_one(code: str, language: str) -> None:
    rubric = make_rubric(
        TEXT.replace("title: 评分卡测试", f"title: T\nlanguage: {language}").replace(
            "formula: big}", "formula: big, basis: {kind: assumption, text: 假定}}"
        )
    )
    now = card(rubric, claims=REVIEWS[code])
    assert now.review is not None
    assert code in [f.code for f in now.review.findings]
    old = format_1(now)
    assert '"format": 1' in old
    assert Scorecard.model_validate_json(old) == now


def test_the_stored_format_1_examples_read_as_todays_scorecards() -> None:
    # copied from tests/golden/ as format 1 wrote them, before findings had codes
    for old, new in [
        ("scorecard-format1.json", "huizhou-dayawan-zuzhibu-2022.json"),
        ("scorecard-format1-lijiang.json", "project-sheet-lijiang-2020.json"),
    ]:
        read = Scorecard.model_validate_json((DATA / old).read_text(encoding="utf-8"))
        assert read.format == 2
        # format 1 had no criterion (评分标准) nor labels: they read as null and empty;
        # and it was written before a records rule's basis reached its leaves
        expected = json.loads((GOLDEN / new).read_text(encoding="utf-8"), parse_float=D)
        expected["labels"] = {}
        for item in expected["indicators"]:
            item["criterion"] = None
            if "." in item["id"]:
                item["basis"] = None
        assert json.loads(read.to_json(), parse_float=D) == expected


def test_a_format_1_finding_no_review_writes_is_refused() -> None:
    text = format_1(card(claims=Claims({"a": D(5)}))).replace("个指标没有自评得分", "个指标缺")
    with pytest.raises(ValueError, match="format-1 finding that no review phrase writes"):
        Scorecard.model_validate_json(text)


def test_a_format_1_basis_without_its_kind_is_refused() -> None:
    text = format_1(card(BASED)).replace("[inferred] 由 S1 推得", "由 S1 推得")
    with pytest.raises(ValueError, match=r"format-1 basis without its \[kind\]"):
        Scorecard.model_validate_json(text)


def test_the_scorecard_schema_validates_every_golden_scorecard(
    capsys: pytest.CaptureFixture[str],
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert cli.main(["schema", "scorecard"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$id"] == "urn:perfscore:schema:scorecard:2"
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(GOLDEN.glob("*.json")):
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert errors == [], path.name
    old = json.loads((DATA / "scorecard-format1.json").read_text(encoding="utf-8"))
    assert not validator.is_valid(old)  # the schema describes format 2 only


# renderings ------------------------------------------------------------------------------------


def positions(text: str, *parts: str) -> list[int]:
    """Where each part first appears; -1 for a part that is missing."""
    return [text.find(p) for p in parts]


def test_explain_puts_findings_before_the_breakdown() -> None:
    text = card(claims=CLAIMS).explain()
    where = positions(
        text,
        "总分: 10（基础分 10 / 20，加减分 0）",
        "自评得分与规则不符 (1)",
        "支出率 [a]: 自评 5，计算 10（自评低 5 分）",
        "数据一致性警告 (1)",
        "[low] x 只有 40",
        "得分明细",
        "预算执行",
    )
    assert -1 not in where
    assert where == sorted(where)


def test_markdown_puts_findings_before_the_breakdown() -> None:
    text = card(claims=CLAIMS).to_markdown()
    assert text.startswith("# 评分卡测试  [sc@1]\n")
    where = positions(
        text,
        "## 自评得分与规则不符 (1)",
        # Markdown's characters in the texts are escaped: a renderer shows [a] as it is
        "- 支出率 \\[a\\]: 自评 5，计算 10（自评低 5 分）",
        "## 数据一致性警告 (1)",
        "- \\[low\\] x 只有 40",
        "## 得分明细",
        "| 一级指标 | 指标 | 分值 | 得分 | 自评 | 扣分原因/依据 |",
        "| 预算执行 | 支出率 | 10 | 10 | 5 |",
    )
    assert -1 not in where
    assert where == sorted(where)


def test_markdown_writes_the_facts_texts_as_text_never_as_markup() -> None:
    hostile = "<script>alert(1)</script> [a](javascript:alert(1)) *b* `c` # d | e"
    document = FactsDocument("sc", "1", hostile, "2024", dict(FACTS))
    text = RUBRIC.evaluate(document).to_markdown()
    line = next(line for line in text.splitlines() if line.startswith("- 被评价单位"))
    assert line == (
        "- 被评价单位: \\<script\\>alert(1)\\</script\\> \\[a\\](javascript:alert(1)) "
        "\\*b\\* \\`c\\` \\# d \\| e"
    )
    assert "<script>" not in text
    assert "[a](" not in text  # the brackets escaped: no link


def test_english_labels_for_an_english_rubric() -> None:
    rubric = make_rubric(TEXT.replace("title: 评分卡测试", "title: Scorecard test\nlanguage: en"))
    english = rubric.evaluate(FACTS, claims=CLAIMS)
    text = english.explain()
    where = positions(
        text,
        "Total: 10 (base 10 / 20, bonus 0)",
        "Claimed scores that differ from the rules (1)",
        "claimed 5, computed 10 (claimed 5 less)",
        "Consistency warnings (1)",
        "Breakdown",
    )
    assert -1 not in where
    assert where == sorted(where)
    assert "得分明细" not in text
    assert "## Breakdown" in english.to_markdown()
    assert english.rubric.language == "en"


def test_no_findings_means_no_findings_sections() -> None:
    quiet = RUBRIC.evaluate({**FACTS, "x": 60})
    assert not quiet.has_findings
    text = quiet.explain()
    assert "自评得分与规则不符" not in text
    assert "数据一致性警告" not in text
    assert "得分明细" in text


# plausible ranges --------------------------------------------------------------------------

PLAUSIBLE = textwrap.dedent(
    """\
    perfscore: 1
    id: p
    version: "1"
    title: 合理范围
    facts:
      rate: {type: percent, label: 支出率, unit: "%", plausible: "[50, 100]"}
      count: {type: integer, label: 场次, min: 0, plausible: "[1, 20]"}
      surveys:
        type: list
        label: 满意度调查
        fields:
          name: {type: text, label: 名称}
          pct: {type: percent, label: 满意度, plausible: "[50, 100]"}
    groups:
      - id: g
        name: G
        max: 10
        children:
          - {id: a, name: A, max: 10, formula: "rate / 10"}
    grades:
      - {grade: 合格}
    """
)
SURVEYS = [{"name": "甲", "pct": Decimal(95)}, {"name": "乙", "pct": Decimal("0.9")}]


def test_a_value_outside_its_plausible_range_warns_and_is_scored_as_given(
    make_rubric: Any,
) -> None:
    card = make_rubric(PLAUSIBLE).evaluate(
        {"rate": Decimal("0.9587"), "count": 40, "surveys": SURVEYS}
    )
    # 0.9587 / 10 = 0.09587: the fraction is scored, never read as 95.87
    assert card.indicators[0].score == Decimal("0.09587")
    assert [(w.check, w.message) for w in card.warnings] == [
        (
            "plausible:rate",
            "支出率为 0.9587，不在合理范围 [50, 100] 内，请核对：是否应为 95.87%？",
        ),
        # 40 × 100 would not be plausible either, and an integer is no percent: no guess
        ("plausible:count", "场次为 40，不在合理范围 [1, 20] 内，请核对"),
        (
            "plausible:surveys.pct",
            "满意度调查第 2 条的满意度为 0.9，不在合理范围 [50, 100] 内，请核对：是否应为 90%？",
        ),
    ]
    data = json.loads(card.to_json())
    assert data["warnings"][0] == {
        "check": "plausible:rate",
        "message": "支出率为 0.9587，不在合理范围 [50, 100] 内，请核对：是否应为 95.87%？",
    }


def test_plausible_warnings_in_english(make_rubric: Any) -> None:
    card = make_rubric(PLAUSIBLE.replace("title: 合理范围", "title: P\nlanguage: en")).evaluate(
        {"rate": Decimal(30), "count": 0, "surveys": SURVEYS}
    )
    assert [(w.check, w.message) for w in card.warnings] == [
        # 30 × 100 is not plausible: no "did you mean"
        ("plausible:rate", "支出率 is 30, outside its plausible range [50, 100]; please check it"),
        ("plausible:count", "场次 is 0, outside its plausible range [1, 20]; please check it"),
        (
            "plausible:surveys.pct",
            "满意度 in row 2 of 满意度调查 is 0.9, outside its plausible range [50, 100]; "
            "did you mean 90%?",
        ),
    ]
    assert "[plausible:rate] 支出率 is 30, outside its plausible range" in card.explain()


def test_values_inside_their_plausible_ranges_and_edges_give_no_warning(
    make_rubric: Any,
) -> None:
    card = make_rubric(PLAUSIBLE).evaluate(
        {"rate": Decimal(50), "count": 20, "surveys": [{"name": "甲", "pct": Decimal(100)}]}
    )
    assert card.warnings == ()


def test_a_plausible_warning_is_in_the_text_report_and_fails_on_discrepancy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(PLAUSIBLE, encoding="utf-8")
    facts = "facts:\n  rate: {rate}\n  count: 3\n  surveys: []\n"
    (tmp_path / "bad.yaml").write_text(facts.format(rate="0.9587"), encoding="utf-8")
    (tmp_path / "ok.yaml").write_text(facts.format(rate="95.87"), encoding="utf-8")
    code, out, _ = run("score", "bad.yaml", "--rubric", "r.yaml")
    assert code == 0
    assert (
        "  - [plausible:rate] 支出率为 0.9587，不在合理范围 [50, 100] 内，请核对：是否应为 95.87%？"
        in (out.splitlines())
    )
    # no claims, so the warning is the only thing --fail-on-discrepancy can fail on
    assert run("score", "bad.yaml", "--rubric", "r.yaml", "--fail-on-discrepancy")[0] == 1
    assert run("score", "ok.yaml", "--rubric", "r.yaml", "--fail-on-discrepancy")[0] == 0


# words of a Chinese report: no ids where the report has names ----------------------------------

BANDS = textwrap.dedent(
    """\
    perfscore: 1
    id: bandy
    version: "1"
    title: 区间
    facts:
      rate: {type: percent, label: 支出率}
      spent: {type: number, label: 支出}
      budget: {type: number, label: 预算}
    groups:
      - id: g
        name: 预算执行
        max: 10
        children:
          - id: spend
            name: 支出率指标
            max: 5
            bands:
              measure: rate
              table:
                - {range: "[90, 100]", score: 5}
                - {range: "[0, 90)", score: 2}
          - id: ratio
            name: 比率
            max: 5
            bands:
              measure: spent / budget * 100
              table:
                - {range: "[90, 100]", score: 5}
              otherwise: 1
    grades:
      - {grade: 优, min: 9}
      - {grade: 差}
    """
)


def _steps(rubric: Rubric, facts: dict[str, object], indicator: str) -> list[str]:
    trace = rubric.evaluate(facts).indicator(indicator).trace
    assert trace is not None
    return [step.detail for step in trace.steps]


def test_a_band_in_a_chinese_report_names_facts_by_their_labels() -> None:
    rubric = make_rubric(BANDS)
    facts = {"rate": Decimal("95"), "spent": Decimal("80"), "budget": Decimal("100")}
    assert _steps(rubric, facts, "spend")[0] == "支出率 = 95%，落在 [90, 100] → 5"
    assert _steps(rubric, facts, "ratio")[0] == "支出 / 预算 * 100 = 80.0 不在任何区间 → 其他情形 1"


def test_a_band_in_an_english_report_keeps_the_ids() -> None:
    rubric = make_rubric(BANDS.replace("title: 区间", "title: Bands\nlanguage: en"))
    facts = {"rate": Decimal("95"), "spent": Decimal("80"), "budget": Decimal("100")}
    assert _steps(rubric, facts, "spend")[0] == "rate = 95 in [90, 100] → 5"
    assert _steps(rubric, facts, "ratio")[0].startswith("spent / budget * 100 = 80.0 matches no")


@pytest.mark.parametrize(
    ("language", "expected"), [("zh", "  - 总分: 自评 9"), ("en", "  - Total: claimed 9")]
)
def test_a_claimed_total_that_differs_is_called_the_total_not_by_an_id(
    language: str, expected: str
) -> None:
    text = BANDS if language == "zh" else BANDS.replace("title: 区间", "title: B\nlanguage: en")
    rubric = make_rubric(text)
    facts = {"rate": Decimal("95"), "spent": Decimal("95"), "budget": Decimal("100")}
    card = rubric.evaluate(facts, claims=Claims(total=Decimal("9")))
    line = next(x for x in card.explain().splitlines() if x.startswith("  - ") and " 9" in x)
    assert line.startswith(expected)
    assert "[total]" not in card.explain()
    assert "[total]" not in card.to_markdown()


def test_text_breakdown_keeps_the_declared_order_of_leaves_and_subgroups() -> None:
    # A leaf written after a subgroup is printed after it, at its parent's depth; the
    # subgroup's leaf is indented one level further.
    rubric = make_rubric(
        """
        perfscore: 1
        id: t
        version: "1"
        title: t
        facts: {}
        groups:
          - id: top
            name: Top
            max: 6
            children:
              - {id: first, name: First, max: 1, formula: "1"}
              - id: sub
                name: Sub
                max: 2
                children:
                  - {id: inner, name: Inner, max: 2, formula: "2"}
              - {id: last, name: Last, max: 3, formula: "3"}
        grades: [{grade: x}]
        """
    )
    text = rubric.evaluate({}).explain()
    body = text.split("\n")
    wanted = ("Top", "First", "Sub", "Inner", "Last")
    names = [line.split()[0] for line in body if line.strip().startswith(wanted)]
    assert names == ["Top", "First", "Sub", "Inner", "Last"]
    assert any(line.startswith("  Last ") for line in body)
    assert any(line.startswith("    Inner ") for line in body)

"""Errors and hints said in Chinese: each area's messages rendered in full, as a reader sees them.

The expected texts are written by hand from what a finance-bureau reader should read; the
English of the same errors is pinned by the tests of each area (and must not change).
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from perfscore import DocumentError, FactsError, Rubric, RubricError, load_facts, parse_rubric
from perfscore._load._document import parse_document


def test_a_duplicate_key_is_said_in_chinese_with_its_hint() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(b"a: 1\na: 2\n", name="r.yaml")
    assert caught.value.render("zh") == (
        "r.yaml:2:1: 重复的键 'a'（首次出现在第 1 行） [duplicate-key]\n    提示：请只保留其中一项"
    )
    assert str(caught.value) == (
        "r.yaml:2:1: duplicate key 'a' (first at line 1) [duplicate-key]\n"
        "    hint: keep one of the two entries"
    )


def test_a_misindented_line_is_said_in_chinese() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(b"a:\n  b: 1\n c: 2\n", name="r.yaml")
    assert caught.value.render("zh") == (
        "r.yaml:3:2: 第 3 行缩进了 1 个空格，与上面任何一层都对不上 [yaml-syntax]\n"
        "    提示：请缩进 2 或 0 个空格，与它所属的键对齐"
    )


def test_a_gbk_file_is_said_in_chinese_with_the_command_to_convert_it() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("名称: 值\n".encode("gbk"), name="f.yaml")
    assert caught.value.render("zh") == (
        "f.yaml:1:1: 无效的 UTF-8 字节 0xC3；文件看起来是 GB18030/GBK 编码 [encoding]\n"
        "    提示：请用 `iconv -f GB18030 -t UTF-8 f.yaml > f.yaml.utf8` 转换，"
        '或传入 encoding="gb18030"（命令行：--encoding gb18030）'
    )


def test_a_parser_message_keeps_its_words_under_a_chinese_lead() -> None:
    # the json module's reason, said in the catalogue's words after the Chinese lead
    with pytest.raises(DocumentError) as caught:
        parse_document(b'{"a": }', name="f.json")
    assert caught.value.render("zh") == (
        'f.json:1:7: JSON 格式有误：这里应是一个值：数、"文本"、true、false、null、[列表] 或 '
        "{映射} [json-syntax]"
    )


RUBRIC = """\
perfscore: 1
id: t
version: "1"
title: T
{language}facts:
  x: {{type: number, labl: X}}
groups:
  - id: g
    name: G
    max: 10
    children:
      - {{id: a, name: A, max: 10, formula: x}}
grades:
  - {{grade: 优, min: 90}}
  - {{grade: 差}}
"""


def rubric_error(language: str = "") -> RubricError:
    with pytest.raises(RubricError) as caught:
        parse_rubric(RUBRIC.format(language=language), name="r.yaml")
    return caught.value


def test_a_malformed_rubric_is_said_in_chinese() -> None:
    error = rubric_error()
    assert error.render("zh") == (
        "r.yaml：评分规则中有 2 个问题\n"
        "  r.yaml:6:6: 事实 'x': 缺少键 'label' [missing-key]\n"
        "  r.yaml:6:21: 事实 'x': 未知的键 'labl' [unknown-key]\n"
        "      提示：是不是要写 'label'？"
    )


@pytest.mark.parametrize(
    ("declared", "language"),
    [("", "zh"), ("language: zh\n", "zh"), ("language: en\n", "en"), ("language: fr\n", None)],
)
def test_a_rubric_error_carries_the_language_the_rubric_declares(
    declared: str, language: str | None
) -> None:
    assert rubric_error(declared).language == language


def test_a_value_of_the_wrong_type_is_described_in_chinese() -> None:
    text = RUBRIC.format(language="").replace("type: number, labl: X", "type: number, label: 5")
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, name="r.yaml")
    assert caught.value.render("zh") == (
        "r.yaml：评分规则中有 1 个问题\n"
        "  r.yaml:6:28: 事实 'x': 应为文本，实际是数字 5 [invalid-type]"
    )


def scored_rubric(language: str) -> Rubric:
    text = RUBRIC.format(language=f"language: {language}\n").replace("labl: X", "label: X")
    return parse_rubric(text, name="r.yaml")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_facts_error_carries_the_language_of_the_rubric_it_is_for(language: str) -> None:
    with pytest.raises(FactsError) as caught:
        scored_rubric(language).evaluate({"x": 1}, not_applicable=["zz"])
    assert caught.value.language == language
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes
    assert again.language == language


def test_an_unknown_not_applicable_indicator_is_said_in_chinese() -> None:
    with pytest.raises(FactsError) as caught:
        scored_rubric("zh").evaluate({"x": 1}, not_applicable=["zz"])
    assert caught.value.render("zh") == (
        "facts：事实中有 1 个问题\n  <not_applicable>: 未知的指标 'zz' [unknown-indicator]"
    )


def test_facts_for_another_rubric_are_said_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("rubric: other@2\nfacts: {x: 1}\n", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path, rubric=scored_rubric("zh"))
    assert caught.value.language == "zh"
    assert caught.value.render("zh") == (
        f"{path}:1:9: 这些事实对应评分规则 other@2，而不是 t@1 [rubric-mismatch]\n"
        "    提示：请用评分规则 other@2 计分；如果文档也适用于 t@1，可以把文档的 'rubric' 改为它"
    )


def facts_error(tmp_path: Path, language: str, facts: str) -> FactsError:
    path = tmp_path / "facts.yaml"
    path.write_text(f"rubric: t@1\nfacts:\n{facts}", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path, rubric=scored_rubric(language))
    return caught.value


def test_a_fact_of_the_wrong_type_is_said_in_the_language_of_its_rubric(tmp_path: Path) -> None:
    name = tmp_path / "facts.yaml"
    zh = facts_error(tmp_path, "zh", '  x: "95%"\n')
    assert zh.language == "zh"
    assert zh.render(zh.language) == (
        f"{name}：事实中有 1 个问题\n"
        f"  {name}:3:6: 事实 'x': 应为数字，实际是文本 '95%' [fact-type]\n"
        "      提示：请写成 95，不带 '%'：百分比事实以百分数为单位"
    )
    en = facts_error(tmp_path, "en", '  x: "95%"\n')
    assert en.language == "en"
    assert (
        en.render(en.language)
        == str(en)
        == (
            f"{name}: 1 problem(s) in the facts\n"
            f"  {name}:3:6: fact 'x': expected a number, got text '95%' [fact-type]\n"
            "      hint: write 95 without '%': percent facts are in percent units"
        )
    )


def test_a_missing_fact_and_an_unknown_one_are_said_in_chinese(tmp_path: Path) -> None:
    name = tmp_path / "facts.yaml"
    error = facts_error(tmp_path, "zh", "  xx: 1\n")
    assert error.render("zh") == (
        f"{name}：事实中有 2 个问题\n"
        f"  {name}:2:1: 缺少事实 'x'（X） [missing-fact]\n"
        "      提示：请在 facts 下添加 'x: <number>'\n"
        f"  {name}:3:3: 未知的事实 'xx' [unknown-fact]\n"
        "      提示：是不是要写 'x'？"
    )


def test_a_marked_value_written_wrongly_is_said_in_chinese(tmp_path: Path) -> None:
    name = tmp_path / "facts.yaml"
    error = facts_error(tmp_path, "zh", "  x: {amount: 93}\n")
    assert error.render("zh") == (
        f"{name}：事实中有 1 个问题\n"
        f"  {name}:3:6: 事实 'x': 应为数字，实际是映射 [fact-type]\n"
        "      提示：映射用来标记值：未知的值写 {unknown: true}，存疑的值写 "
        "{value: ..., doubtful: <原因>}"
    )
    # a doubtful value whose reason was left out is a marker written wrongly
    error = facts_error(tmp_path, "zh", "  x: {value: 93}\n")
    assert error.render("zh") == (
        f"{name}：事实中有 1 个问题\n"
        f"  {name}:3:6: 事实 'x': 写成 {{value: ...}} 的是存疑值，须在 'doubtful' 下写明原因 "
        "[invalid-marker]\n"
        "      提示：给出但不确定的值写作 {value: ..., doubtful: <原因>}"
    )


def test_a_group_whose_points_do_not_add_up_is_said_in_chinese() -> None:
    text = (
        RUBRIC.format(language="").replace("labl: X", "label: X").replace("max: 10, f", "max: 4, f")
    )
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, name="r.yaml")
    assert caught.value.language == "zh"
    assert caught.value.render("zh") == (
        "r.yaml：评分规则中有 1 个问题\n"
        "  r.yaml:10:10: 指标组 'g': 满分 10 不等于下级指标满分之和（4 = 4） [group-sum]"
    )


def test_a_literal_and_a_facts_list_are_said_wholly_in_chinese(tmp_path: Path) -> None:
    # pydantic's "'zh' or 'en'" and the repr "<list of 1 items>" were English inside Chinese
    rubric = RUBRIC.format(language="language: fr\n").replace("labl", "label")
    with pytest.raises(RubricError) as caught:
        parse_rubric(rubric, name="r.yaml")
    assert "language 须为 'zh' 或 'en'，实际是 'fr' [invalid-value]" in caught.value.render("zh")
    assert "language must be 'zh' or 'en', got 'fr'" in caught.value.render("en")
    path = tmp_path / "f.yaml"
    path.write_text("facts:\n  - a: 1\n", encoding="utf-8")
    with pytest.raises(FactsError) as facts:
        load_facts(path)
    assert (
        facts.value.problems[0]
        .render("zh")
        .endswith(":2:3: 'facts' 须为映射，实际是 列表 [invalid-type]")
    )


def test_a_derived_values_formula_error_names_it_in_chinese() -> None:
    text = RUBRIC.format(language="").replace("labl: X", "label: X")
    text = text.replace("groups:\n", "derived:\n  d: {label: D, formula: x + y}\ngroups:\n")
    text = text.replace("formula: x}", "formula: d}")
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, name="r.yaml")
    said = caught.value.render("zh")
    assert "派生值 'd': 未知的名称 'y'" in said, said
    assert "derived value" not in said
    assert "derived value 'd': unknown name 'y'" in str(caught.value)


def test_a_date_where_a_number_belongs_is_said_as_a_date() -> None:
    import datetime as dt

    with pytest.raises(FactsError) as caught:
        scored_rubric("zh").evaluate({"x": dt.date(2022, 1, 1)})
    said = caught.value.render("zh")
    assert "应为数字，实际是日期 2022-01-01" in said, said
    assert "datetime" not in said


def test_a_required_fact_left_empty_is_asked_for_before_unknown_is_offered() -> None:
    # the skeleton from `perfscore template` leaves every value empty: the hint offered only
    # {unknown: true}, nudging a person to mark values unknown instead of filling them in
    with pytest.raises(FactsError) as caught:
        scored_rubric("zh").evaluate({"x": None})
    (problem,) = caught.value.problems
    assert problem.hint is not None
    assert problem.hint.render("zh") == (  # type: ignore[attr-defined]
        "请填写这个值；只有表上确实没有的值才写 {unknown: true}"
    )

"""`perfscore template`: a facts skeleton that loads, and whose gaps scoring names line by line."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import FactsError, cli, load_facts, parse_rubric
from perfscore._tools._template import facts_template

RUBRIC = textwrap.dedent(
    """\
    perfscore: 1
    id: demo
    version: "2022.1"
    title: 演示
    language: en
    facts:
      budget: {type: number, label: 全年预算数, unit: 万元, min: 0}
      rate: {type: percent, label: 支出率}
      cut: {type: boolean, label: 调减}
      problems: {type: integer, label: 问题数, min: 0, default: 0}
      level: {type: enum, label: 达成, values: [achieved, partial]}
      level_score: {type: number, label: 评分, required: false}
      approved_on: {type: date, label: 批复日期}
      note: {type: text, label: 说明, default: "无"}
      surveys:
        type: list
        label: 调查
        max_items: 50
        fields:
          n: {type: integer, label: 份数, min: 1}
          rate: {type: percent, label: 满意度}
    groups:
      - id: g
        name: 组
        max: 20
        children:
          - id: spend
            name: 支出率
            max: 6
            per_unit: {measure: 100 - rate, points: 0.1}
          - id: comp
            name: 合规
            max: 4
            not_applicable: full
            checklist:
              items:
                - {id: cut, when: cut, points: 0.5, reason: 调减}
                - {id: prob, when: problems > 0, points: 0.5 * problems, reason: 问题}
          - id: sat
            name: 满意度
            max: 4
            not_applicable: redistribute
            formula: "4 * weighted_mean(surveys, rate, n) / 100 if count(surveys) > 0 else 4"
          - id: eff
            name: 效益
            max: 6
            tiers:
              level: level
              score: level_score
              table:
                - {level: achieved, range: "[80, 100]", default: 100}
                - {level: partial, range: "[0, 80)", default: 50}
    bonus:
      - {id: extra, name: 加分, min: -2, max: 3, formula: "0 if budget > 0 else 0"}
    total: {cap: null}
    grades:
      - {grade: 优, min: 18}
      - {grade: 良, min: 15}
      - {grade: 差}
    checks:
      - {id: late, when: "days(approved_on, approved_on) > 0", message: "{note}"}
    """
)

EXPECTED = """\
# Facts for 演示 (demo@2022.1).
# Fill in every empty value. Commented-out facts are optional: leave them out to use
# their default. Score the finished document with: perfscore score FILE
rubric: demo@2022.1
subject:  # the department or unit reported on
period:   # the year or period reported on, e.g. 2022
facts:
  # 全年预算数 [万元]; number, min 0; required
  budget:
  # 支出率; percent (95.87 means 95.87%), 0 to 100; required
  rate:
  # 调减; true or false; required
  cut:
  # 问题数; integer, min 0; optional, default 0
  # problems: 0
  # 达成; one of: achieved, partial; required
  level:
  # 评分; number; optional, may be left out
  # level_score:
  # 批复日期; date YYYY-MM-DD; required
  approved_on:
  # 说明; text; optional, default "无"
  # note: "无"
  # 调查; list of records, at most 50; required
  surveys:
    # 份数; integer, min 1; required
    - n:
      # 满意度; percent (95.87 means 95.87%), 0 to 100; required
      rate:
# not_applicable:  # indicators this rubric lets a report mark 不涉及
#   - comp         # 合规 (full marks)
#   - sat          # 满意度 (its points go to the rest of its group)
# claimed:         # the scores the report claims; perfscore score compares them
#   indicators:
#     spend:       # 支出率, max 6
#     comp:        # 合规, max 4
#     sat:         # 满意度, max 4
#     eff:         # 效益, max 6
#     extra:       # 加分, -2 to 3
#   total:
#   grade:         # 优, 良 or 差
"""


def test_the_skeleton_lists_every_fact_in_rubric_order() -> None:
    assert facts_template(parse_rubric(RUBRIC)) == EXPECTED


def test_the_skeleton_loads_and_scoring_names_exactly_the_empty_facts(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(facts_template(parse_rubric(RUBRIC)), encoding="utf-8")
    document = load_facts(path)
    assert (document.rubric_id, document.rubric_version) == ("demo", "2022.1")
    assert (document.subject, document.period) == (None, None)
    with pytest.raises(FactsError) as caught:
        parse_rubric(RUBRIC).evaluate(document)
    found = [(p.location.line, p.code, p.subject) for p in caught.value.problems if p.location]
    assert found == [
        (9, "fact-type", "fact 'budget'"),
        (11, "fact-type", "fact 'rate'"),
        (13, "fact-type", "fact 'cut'"),
        (17, "fact-type", "fact 'level'"),
        (21, "fact-type", "fact 'approved_on'"),
        (27, "fact-type", "fact 'surveys[0].n'"),
        (29, "fact-type", "fact 'surveys[0].rate'"),
    ]
    assert all(p.message.endswith("got nothing (null)") for p in caught.value.problems)


def test_the_filled_in_skeleton_scores(tmp_path: Path) -> None:
    text = facts_template(parse_rubric(RUBRIC))
    for empty, value in [
        ("  budget:\n", "  budget: 100\n"),
        ("      rate:\n", "      rate: 90\n"),  # the record's field, before the fact
        ("  rate:\n", "  rate: 96\n"),
        ("  cut:\n", "  cut: false\n"),
        ("  level:\n", "  level: achieved\n"),
        ("  approved_on:\n", "  approved_on: 2022-01-30\n"),
        ("    - n:\n", "    - n: 10\n"),
    ]:
        assert empty in text
        text = text.replace(empty, value, 1)
    path = tmp_path / "filled.yaml"
    path.write_text(text, encoding="utf-8")
    card = parse_rubric(RUBRIC).evaluate(load_facts(path))
    # spend 6 - 4 x 0.1 = 5.6; comp 4; sat 4 x 90 / 100 = 3.6; eff 6; bonus 0
    assert card.total == Decimal("19.2")
    assert card.grade == "优"


def test_a_rubric_without_required_facts_gives_an_empty_facts_mapping() -> None:
    rubric = parse_rubric(
        textwrap.dedent(
            """\
            perfscore: 1
            id: tiny
            version: "1"
            title: t
            language: en
            facts:
              "null": {type: integer, label: 空, default: 1}
            groups:
              - {id: g, name: g, max: 1, children: [{id: x, name: x, max: 1, formula: "1"}]}
            grades:
              - {grade: 合格}
            """
        )
    )
    text = facts_template(rubric)
    assert 'facts: {}\n  # 空; integer; optional, default 1\n  # "null": 1\n' in text
    assert "# not_applicable: none of this rubric's indicators may be marked 不涉及" in text


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rubric = tmp_path / "demo.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    assert cli.main(["template", str(rubric)]) == 0
    assert capsys.readouterr().out == EXPECTED
    target = tmp_path / "facts.yaml"
    assert cli.main(["template", str(rubric), "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == EXPECTED
    assert cli.main(["template", str(rubric), "-o", str(target)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_the_template_files_suffix_chooses_its_format_and_a_contradicting_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric = tmp_path / "demo.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    book = tmp_path / "t.xlsx"
    assert cli.main(["template", str(rubric), "-o", str(book)]) == 0
    assert book.read_bytes()[:2] == b"PK"  # a workbook, as its name says (it was YAML text)
    capsys.readouterr()
    for fmt, name in (("xlsx", "t.yaml"), ("yaml", "u.xlsx")):
        target = str(tmp_path / name)
        argv = ["--lang", "en", "template", str(rubric), "--format", fmt, "-o", target]
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        suffix = Path(name).suffix
        implied = "yaml" if fmt == "xlsx" else "xlsx"
        assert err.splitlines()[0] == (
            f"UsageError: -o {tmp_path / name} ends in {suffix}, a {implied} file, but --format "
            f"is {fmt} [bad-argument]"
        )
        assert not (tmp_path / name).exists()
    # no suffix that names a format: YAML, as before
    plain = tmp_path / "facts.txt"
    assert cli.main(["template", str(rubric), "-o", str(plain)]) == 0
    assert plain.read_text(encoding="utf-8") == EXPECTED


def test_a_chinese_rubric_gets_a_chinese_skeleton() -> None:
    text = facts_template(parse_rubric(RUBRIC.replace("language: en", "language: zh")))
    lines = text.splitlines()
    assert lines[:3] == [
        "# 演示（demo@2022.1）的事实数据",
        "# 请填写每个空值。注释掉的事实可不填，不填即取默认值。",
        "# 填好后评分：perfscore score 文件名",
    ]
    assert "  # 全年预算数 [万元]；数值，最小 0；必填" in lines
    assert "  # 支出率；百分数（95.87 表示 95.87%），0 至 100；必填" in lines
    assert "  # 问题数；整数，最小 0；可不填，默认 0" in lines
    assert lines[-1].endswith("# 优、良或差")

"""Facts validation: through `Rubric.evaluate` on mappings and on files read by `load_facts`."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import (
    Claims,
    FactsError,
    Location,
    Problem,
    ScoringError,
    UsageError,
    load_facts,
    load_rubric,
    parse_rubric,
)

RUBRIC = parse_rubric(
    textwrap.dedent(
        """\
        perfscore: 1
        id: t
        version: "1"
        title: T
        facts:
          amount: {type: number, label: 金额, min: 0, max: 1000}
          count: {type: integer, label: 个数, min: 0, default: 3}
          rate: {type: percent, label: 比率}
          ok: {type: boolean, label: 合规}
          day: {type: date, label: 日期}
          lv: {type: enum, label: 档次, values: [achieved, partial, none]}
          lv_score: {type: number, label: 评分, required: false}
          note: {type: text, label: 说明, required: false}
          rows:
            type: list
            label: 记录
            max_items: 2
            fields:
              n: {type: integer, label: 份数, min: 1}
              r: {type: percent, label: 满意度}
        groups:
          - id: g
            name: G
            max: 20
            children:
              - {id: a, name: A, max: 10, formula: "min(amount, 4) + count", not_applicable: full}
              - id: e
                name: E
                max: 10
                tiers:
                  level: lv
                  score: lv_score
                  table:
                    - {level: achieved, range: "[80, 100]", default: 100}
                    - {level: partial, range: "[50, 80)", default: 60}
                    - {level: none, range: "[0, 50)"}
        grades:
          - {grade: A}
        """
    ),
    name="r.yaml",
)

GOOD: dict[str, object] = {
    "amount": Decimal("1.5"),
    "count": 0,
    "rate": 50,
    "ok": True,
    "day": "2022-01-30",
    "lv": "achieved",
    "rows": [{"n": 1, "r": 50}],
}


def problems(**changes: object) -> tuple[Problem, ...]:
    """Evaluate GOOD with `changes` (None drops a fact) expecting a FactsError."""
    facts = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(facts)
    return info.value.problems


def one(**changes: object) -> Problem:
    """The single problem of GOOD with `changes`."""
    (problem,) = problems(**changes)
    return problem


def scores(facts: dict[str, object], **kwargs: object) -> tuple[Decimal, Decimal]:
    card = RUBRIC.evaluate(facts, **kwargs)  # type: ignore[arg-type]
    return card.indicator("a").score, card.indicator("e").score


def write(tmp_path: Path, text: str, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def at(path: Path, needle: str) -> Location:
    """Where `needle` first stands in the file, by plain string search."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return Location(str(path), number, line.index(needle) + 1)
    raise AssertionError(f"{needle!r} not in {path}")


def test_good_facts_score() -> None:
    # a = min(1.5, 4) + 0 = 1.5; e: level achieved, no assessed score -> default 100% of 10
    assert scores(GOOD) == (Decimal("1.5"), Decimal(10))


# presence --------------------------------------------------------------------------------------


def test_missing_fact() -> None:
    problem = one(amount=None)
    assert (problem.code, problem.message, problem.hint) == (
        "missing-fact",
        "missing fact 'amount' (金额)",
        "add 'amount: <number>' under facts",
    )


def test_unknown_fact_with_did_you_mean() -> None:
    problem = one(amout=1)
    assert (problem.code, problem.message, problem.hint) == (
        "unknown-fact",
        "unknown fact 'amout'",
        "did you mean 'amount'?",
    )


def test_default_is_used_when_the_fact_is_omitted() -> None:
    # count defaults to 3: a = min(1.5, 4) + 3 = 4.5
    assert scores({k: v for k, v in GOOD.items() if k != "count"})[0] == Decimal("4.5")


def test_optional_fact_absent_lets_the_tier_use_its_default() -> None:
    # partial tier of max 10 with default 60% -> 6
    assert scores({**GOOD, "lv": "partial"})[1] == Decimal(6)


def test_optional_text_may_be_absent_or_text() -> None:
    assert scores({**GOOD, "note": "说明"}) == scores(GOOD)
    assert one(note=5).render() == (
        "facts:facts.note: fact 'note': expected text, got number 5 [fact-type]\n"
        "    hint: quote the value to make it text"
    )


# numbers given as text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "value", "message", "hint"),
    [
        (
            "rate",
            "95.87%",
            "expected a percent number, got text '95.87%'",
            "write 95.87 without '%': percent facts are in percent units",
        ),
        (
            "amount",
            "3,703.85",
            "expected a number, got text '3,703.85'",
            "write 3703.85 without thousands separators",
        ),
        (
            "count",
            "1_000",
            "expected an integer, got text '1_000'",
            "write 1000 without underscores",
        ),
        (
            "amount",
            "1e3",
            "expected a number, got text '1e3'",
            "write the number in full, without an exponent",
        ),
        (
            "amount",
            "１２",
            "expected a number, got text '１２'",
            "use ASCII digits 0-9 (full-width or other scripts' digits are not accepted)",
        ),
        (
            "amount",
            "12 万元",
            "expected a number, got text '12 万元'",
            "write the bare number; the unit is declared in the rubric",
        ),
        (
            "amount",
            "12",
            "expected a number, got text '12'",
            "remove the quotes: numbers are written bare",
        ),
        ("amount", True, "expected a number, got boolean true", None),
    ],
)
def test_number_as_text_is_a_type_error_with_a_hint(
    fact: str, value: object, message: str, hint: str | None
) -> None:
    problem = one(**{fact: value})
    assert (problem.code, problem.subject, problem.message, problem.hint) == (
        "fact-type",
        f"fact {fact!r}",
        message,
        hint,
    )


def test_fractional_integer() -> None:
    problem = one(count=Decimal("1.5"))
    assert (problem.code, problem.message) == ("fact-type", "expected an integer, got 1.5")


def test_integer_accepts_a_whole_decimal() -> None:
    # count 2.0 is the integer 2: a = 1.5 + 2 = 3.5
    assert scores({**GOOD, "count": Decimal("2.0")})[0] == Decimal("3.5")


# bounds ----------------------------------------------------------------------------------------


def test_percent_above_100_hints_at_percent_units() -> None:
    problem = one(rate=101)
    assert problem.render() == (
        "facts:facts.rate: fact 'rate': 101 is greater than the maximum of 100 [out-of-bounds]\n"
        "    hint: percent facts are written in percent units: 95.87 means 95.87%"
    )


def test_declared_bounds() -> None:
    assert [(p.code, p.message) for p in problems(amount=-1, count=-2)] == [
        ("out-of-bounds", "-1 is less than the minimum of 0"),
        ("out-of-bounds", "-2 is less than the minimum of 0"),
    ]
    assert one(amount=Decimal("1000.01")).message == ("1000.01 is greater than the maximum of 1000")


def test_bounds_are_inclusive() -> None:
    # amount 1000 is allowed; a = min(1000, 4) + 0 = 4
    assert scores({**GOOD, "amount": 1000, "rate": 100})[0] == Decimal(4)


def test_plausibility_limit_applies_without_bounds() -> None:
    problem = one(lv_score=10**16)
    assert (problem.code, problem.message) == (
        "out-of-bounds",
        "10000000000000000 is beyond any plausible value (limit 1000000000000000)",
    )


def test_list_field_bounds() -> None:
    found = problems(rows=[{"n": 0, "r": 50}, {"n": 1, "r": 190}])
    assert [(p.code, p.subject, p.message) for p in found] == [
        ("out-of-bounds", "fact 'rows[0].n'", "0 is less than the minimum of 1"),
        ("out-of-bounds", "fact 'rows[1].r'", "190 is greater than the maximum of 100"),
    ]


def test_max_items() -> None:
    problem = one(rows=[{"n": 1, "r": 1}] * 3)
    assert (problem.code, problem.message) == (
        "out-of-bounds",
        "list of 3 records is longer than 2",
    )


def test_unknown_and_missing_record_fields() -> None:
    found = problems(rows=[{"n": 1, "r": 1, "rr": 2}, {"n": 1}])
    assert [(p.code, p.message, p.hint) for p in found] == [
        # records counted from 1, as a reviewer counts the rows of a sheet
        ("unknown-fact", "unknown field 'rr' in record 1", "did you mean 'r'?"),
        ("missing-fact", "record 2 has no field 'r' (满意度)", None),
    ]
    assert [p.message.render("zh") for p in found] == [
        "未知的字段 'rr'（第 1 条记录）",
        "第 2 条记录缺少字段 'r'（满意度）",
    ]


# booleans, dates, enums ------------------------------------------------------------------------


def test_yaml_no_is_text_with_a_hint() -> None:
    problem = one(ok="no")
    assert (problem.code, problem.message, problem.hint) == (
        "fact-type",
        "expected true or false, got text 'no'",
        "write true or false; YAML 1.1 readings such as 'yes' or 'no' are not booleans in "
        "perfscore",
    )


def test_chinese_yes_hints_true() -> None:
    assert one(ok="是").hint == "write true for '是'"


@pytest.mark.parametrize("text", ["2022/01/30", "2022-1-30", "2022-01-30T00:00:00Z"])
def test_bad_dates(text: str) -> None:
    problem = one(day=text)
    assert (problem.code, problem.message, problem.hint) == (
        "fact-type",
        f"expected a date YYYY-MM-DD, got text {text!r}",
        "write dates as 2022-01-30 (ISO 8601, no time or zone)",
    )


def test_a_date_the_calendar_does_not_have_says_so() -> None:
    # it is written YYYY-MM-DD, so "expected YYYY-MM-DD" would only confuse
    problem = one(day="2022-02-30")
    assert (problem.code, problem.message, problem.hint) == (
        "fact-type",
        "'2022-02-30' is written as a date, but the calendar has no such day",
        "write dates as 2022-01-30 (ISO 8601, no time or zone)",
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [("2022-02-18 13:05:00", "2022-02-18"), ("2022-02-18T13:05", "2022-02-18")],
)
def test_a_date_with_a_time_is_told_to_drop_the_time(text: str, day: str) -> None:
    problem = one(day=text)
    assert (problem.code, problem.message, problem.hint) == (
        "fact-type",
        f"expected a date YYYY-MM-DD, got a date and time {text!r}",
        f"write the date alone: {day}",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('subject: "某部门\\n总分: 100"', "000A"),
        ('period: "2022\\t"', "0009"),
        ('claimed: {grade: "优\\r"}', "000D"),
    ],
)
def test_a_name_printed_on_one_line_may_not_break_it(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(f"facts: {{}}\n{text}\n", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    (problem,) = caught.value.problems
    assert problem.code == "forbidden-character"
    assert problem.message.endswith(f"invisible character (U+{code})")
    long = tmp_path / "long.yaml"
    long.write_text("facts: {}\nsubject: " + "部" * 501 + "\n", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(long)
    assert caught.value.problems[0].code == "out-of-bounds"


def test_iso_date_and_python_date_are_accepted() -> None:
    assert scores({**GOOD, "day": dt.date(2022, 1, 30)}) == scores(GOOD)


def test_python_datetime_is_not_a_date() -> None:
    assert one(day=dt.datetime(2022, 1, 30)).code == "fact-type"


def test_enum_with_did_you_mean() -> None:
    problem = one(lv="achieve")
    assert (problem.code, problem.message, problem.hint) == (
        "fact-type",
        "expected one of 'achieved', 'partial', 'none', got text 'achieve'",
        "did you mean 'achieved'?",
    )


def test_a_yaml_number_for_an_enum_value_is_refused_with_a_hint_to_quote_it(
    tmp_path: Path,
) -> None:
    enum_rubric = parse_rubric(
        textwrap.dedent(
            """\
            perfscore: 1
            id: t
            version: "1"
            title: T
            facts:
              lv: {type: enum, label: 档次, values: ["1", "2"]}
            groups:
              - id: g
                name: G
                max: 10
                children:
                  - {id: a, name: A, max: 10, formula: "10 if lv == '1' else 0"}
            grades:
              - {grade: A}
            """
        ),
        name="r.yaml",
    )
    path = write(tmp_path, "facts:\n  lv: 1\n")
    with pytest.raises(FactsError) as info:
        enum_rubric.evaluate(load_facts(path))
    (problem,) = info.value.problems
    assert (problem.code, problem.subject, problem.location) == (
        "fact-type",
        "fact 'lv'",
        Location(str(path), 2, 7),
    )
    assert problem.message == "expected one of '1', '2', got number 1"
    assert problem.hint == "quote it: '1' (enum values are text; a bare 1 is a number)"
    assert enum_rubric.evaluate({"lv": "1"}).total == 10  # the quoted value scores


# Python values ---------------------------------------------------------------------------------


def test_float_is_rejected_with_a_hint() -> None:
    problem = one(amount=1.5)
    assert (problem.code, problem.message, problem.hint) == (
        "fact-type",
        "expected a number, got float 1.5",
        "floats are inexact: pass Decimal('...') or an int (perfscore.load_facts reads a "
        "file's numbers exactly; yaml.safe_load and json.load make them floats)",
    )


def test_a_whole_document_given_as_the_facts_is_one_problem_that_says_so(
    tmp_path: Path,
) -> None:
    # yaml.safe_load of a facts file gives the document, not its facts: one problem naming
    # what the mapping is, instead of one per section key and one per missing fact
    document = {"rubric": "t@1", "subject": "某部门", "facts": dict(GOOD)}
    with pytest.raises(FactsError) as caught:
        RUBRIC.evaluate(document)
    (problem,) = caught.value.problems
    assert problem.code == "invalid-type"
    assert problem.message == (
        "this mapping is a whole facts document (it has 'rubric', 'subject', 'facts'), not "
        "the facts themselves"
    )
    assert problem.hint == (
        "pass the mapping under its 'facts', or the FactsDocument perfscore.load_facts gives"
    )
    assert "这个映射是整份事实文档（含 'rubric', 'subject', 'facts'），不是其中的事实" in (
        problem.render("zh")
    )
    assert RUBRIC.evaluate(document["facts"]).total == RUBRIC.evaluate(GOOD).total
    # a file whose facts nest a second 'facts' section is not this case: its keys are located
    path = tmp_path / "nested.yaml"
    path.write_text("facts:\n  facts: {}\n", "utf-8")
    with pytest.raises(FactsError) as caught:
        RUBRIC.evaluate(load_facts(path))
    assert {p.code for p in caught.value.problems} == {"unknown-fact", "missing-fact"}


def test_a_fact_named_facts_is_a_fact_not_a_document() -> None:
    rubric = parse_rubric(
        textwrap.dedent(
            """\
            perfscore: 1
            id: t
            version: "1"
            title: T
            facts:
              facts: {type: number, label: 事实, min: 0}
            groups:
              - id: g
                name: G
                max: 10
                children:
                  - {id: a, name: A, max: 10, formula: "min(facts, 10)"}
            grades:
              - {grade: A}
            """
        ),
        name="r.yaml",
    )
    assert rubric.evaluate({"facts": 4}).total == 4
    with pytest.raises(FactsError) as caught:
        rubric.evaluate({"facts": {"x": 1}})
    assert [p.code for p in caught.value.problems] == ["fact-type"]


def test_int_and_decimal_are_accepted() -> None:
    # a = min(2, 4) + 1 = 3 with ints; the same with Decimals
    assert scores({**GOOD, "amount": 2, "count": 1})[0] == Decimal(3)
    assert scores({**GOOD, "amount": Decimal(2), "count": Decimal(1)})[0] == Decimal(3)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimal_is_rejected(value: Decimal) -> None:
    assert one(amount=value).code == "not-finite"


def test_non_finite_message_says_finite() -> None:
    assert "finite" in one(amount=Decimal("NaN")).message


def test_negative_zero_becomes_zero() -> None:
    card = RUBRIC.evaluate({**GOOD, "amount": Decimal("-0")})
    assert str(card.indicator("a").score) == "0"


# collecting with locations ---------------------------------------------------------------------

GOOD_FILE = textwrap.dedent(
    """\
    rubric: t@1
    subject: 测试单位
    period: 2022
    facts:
      amount: 1.5
      count: 0
      rate: 50
      ok: true
      day: 2022-01-30
      lv: achieved
      rows:
        - {n: 1, r: 50}
    """
)


BAD_FILE = textwrap.dedent(
    """\
    rubric: t@1
    facts:
      amount: "3,703.85"
      count: 1.5
      rate: 95.87%
      ok: no
      day: 2022/01/30
      lv: achieve
      problem: 2
      rows:
        - {n: 0, r: 50, x: 1}
    """
)


def test_every_problem_of_a_file_is_collected_with_its_location(tmp_path: Path) -> None:
    path = write(tmp_path, BAD_FILE)
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(load_facts(path))
    found = {(p.code, p.location) for p in info.value.problems}
    assert found == {
        ("unknown-fact", at(path, "problem:")),
        ("fact-type", at(path, '"3,703.85"')),
        ("fact-type", at(path, "1.5")),
        ("fact-type", at(path, "95.87%")),
        ("fact-type", at(path, "no")),
        ("fact-type", at(path, "2022/01/30")),
        ("fact-type", at(path, "achieve")),
        ("unknown-fact", at(path, "x: 1")),
        ("out-of-bounds", at(path, "0, r")),
    }
    assert len(info.value.problems) == 9
    assert str(info.value).splitlines()[0] == f"{path}: 9 problem(s) in the facts"
    # spot-check the hand-counted columns: '  rate: ' is 8 characters, '  amount: ' is 10
    assert at(path, "95.87%") == Location(str(path), 5, 9)
    assert at(path, '"3,703.85"') == Location(str(path), 3, 11)


def test_yaml_nan_text_is_a_type_error(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE.replace("amount: 1.5", "amount: .nan"))
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(load_facts(path))
    (problem,) = info.value.problems
    assert (problem.code, problem.message, problem.location) == (
        "fact-type",
        "expected a number, got text '.nan'",
        at(path, ".nan"),
    )


def test_yaml_nan_text_gets_no_unit_hint() -> None:
    assert "unit" not in (one(amount=".nan").hint or "")


def test_yaml_numbers_that_are_not_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_FILE.replace("amount: 1.5", "amount: 1e3").replace("count: 0", "count: 1_000"),
    )
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(load_facts(path))
    assert sorted((p.code, p.subject) for p in info.value.problems) == [
        ("fact-type", "fact 'amount'"),
        ("fact-type", "fact 'count'"),
    ]


def test_a_good_file_scores_like_the_mapping(tmp_path: Path) -> None:
    document = load_facts(write(tmp_path, GOOD_FILE))
    card = RUBRIC.evaluate(document)
    assert (card.subject, card.period) == ("测试单位", "2022")
    assert (card.indicator("a").score, card.indicator("e").score) == scores(GOOD)


def test_rubric_mismatch_names_both_refs(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE.replace("rubric: t@1", "rubric: other@2"))
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(load_facts(path))
    (problem,) = info.value.problems
    assert (problem.code, problem.message, problem.location) == (
        "rubric-mismatch",
        "facts are for rubric other@2, not t@1",
        at(path, "other@2"),
    )


def test_bad_rubric_reference(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE.replace("rubric: t@1", "rubric: t"))
    with pytest.raises(FactsError) as info:
        load_facts(path)
    assert (info.value.code, info.value.hint) == (
        "invalid-value",
        "for example 'dept-overall-huizhou@2022.1'",
    )
    assert info.value.problems[0].message == "rubric must be 'id@version', got text 't'"
    # a reference of another shape is said as what it is, in the message's language
    path = write(tmp_path, GOOD_FILE.replace("rubric: t@1", "rubric: {id: t, version: 1}"))
    with pytest.raises(FactsError) as info:
        load_facts(path)
    (problem,) = info.value.problems
    assert problem.message == "rubric must be 'id@version', got a mapping"
    assert problem.message.render("zh") == "rubric 须为 'id@version'，实际是映射"


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE.replace("subject:", "subjet:"))
    with pytest.raises(FactsError) as info:
        load_facts(path)
    (problem,) = info.value.problems
    assert (problem.code, problem.hint, problem.location) == (
        "unknown-key",
        "did you mean 'subject'?",
        at(path, "subjet"),
    )


def test_unknown_top_level_key_without_a_close_match_lists_the_keys(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + "zzz: 1\n")
    with pytest.raises(FactsError) as info:
        load_facts(path)
    (problem,) = info.value.problems
    assert (problem.message, problem.hint, problem.location) == (
        "unknown key 'zzz'",
        "the keys are rubric, subject, period, facts, not_applicable, claimed",
        at(path, "zzz"),
    )


def test_unknown_key_in_the_claims(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + "claimed:\n  totl: 3\n")
    with pytest.raises(FactsError) as info:
        load_facts(path)
    (problem,) = info.value.problems
    assert (problem.code, problem.message, problem.hint, problem.location) == (
        "unknown-key",
        "unknown key 'totl'",
        "did you mean 'total'?",
        at(path, "totl"),
    )


# not applicable and claims ---------------------------------------------------------------------


def test_not_applicable_unknown_and_forbidden(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + "not_applicable: [e, aa]\n")
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(load_facts(path))
    assert [(p.code, p.message, p.hint) for p in info.value.problems] == [
        (
            "not-applicable-forbidden",
            "indicator 'e' (E) may not be marked not applicable",
            "the rubric declares no not_applicable rule for it",
        ),
        ("unknown-indicator", "unknown indicator 'aa'", "did you mean 'a'?"),
    ]
    assert info.value.problems[0].location == Location(str(path), 13, 18)


def test_not_applicable_allowed_indicator_scores_full() -> None:
    card = RUBRIC.evaluate(GOOD, not_applicable=["a"])
    assert card.indicator("a").score == Decimal(10)


def test_claimed_score_for_unknown_indicator(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + "claimed:\n  indicators: {a: 1, zz: 2}\n")
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(load_facts(path))
    (problem,) = info.value.problems
    assert (problem.code, problem.message, problem.location) == (
        "unknown-indicator",
        "claimed score for unknown indicator 'zz'",
        at(path, "zz"),
    )


def test_claimed_score_given_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + 'claimed:\n  indicators: {a: "1"}\n')
    with pytest.raises(FactsError) as info:
        load_facts(path)
    assert (info.value.code, info.value.hint) == (
        "fact-type",
        "remove the quotes: numbers are written bare",
    )


def test_claims_argument_overrides_the_document(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + "claimed:\n  indicators: {a: 1}\n")
    card = RUBRIC.evaluate(load_facts(path), claims=Claims({"a": Decimal("1.5")}))
    assert card.indicator("a").claimed == Decimal("1.5")
    assert card.discrepancies == ()


def test_a_boolean_claimed_score_is_refused_in_a_document_and_in_python(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FILE + "claimed:\n  indicators: {a: true}\n  total: true\n")
    with pytest.raises(FactsError) as info:
        load_facts(path)
    assert [(p.code, p.message) for p in info.value.problems] == [
        ("fact-type", "claimed score of 'a' must be a number, got boolean true"),
        ("fact-type", "claimed total must be a number, got boolean true"),
    ]
    # Claims built in Python are refused as they are made: True is not the score 1, 1.5 is an
    # inexact float, and a batch must not fail on them later
    for kwargs, said in (
        (
            {"indicators": {"a": True}},
            "indicators['a'] must be a finite int or Decimal of at most 1E+15 in size, got "
            "boolean true",
        ),
        (
            {"indicators": {"e": 1.5}},
            "indicators['e'] must be a finite int or Decimal of at most 1E+15 in size, got "
            "float 1.5",
        ),
        (
            {"total": True},
            "total must be a finite int or Decimal of at most 1E+15 in size, got boolean true",
        ),
        (
            {"total": Decimal("NaN")},
            "total must be a finite int or Decimal of at most 1E+15 in size, got number NaN",
        ),
        (
            {"indicators": None},
            "indicators must be a mapping of indicator ids (text) to scores, got nothing (null)",
        ),
        (
            {"indicators": {1: Decimal(1)}},
            "indicators must be a mapping of indicator ids (text) to scores, got number 1",
        ),
        ({"grade": 3}, "grade must be text or None, got number 3"),
    ):
        with pytest.raises(UsageError) as refused:
            Claims(**kwargs)  # type: ignore[arg-type]
        assert str(refused.value) == f"Claims: {said} [bad-argument]"
    card = RUBRIC.evaluate(GOOD, claims=Claims({"a": 1}, total=Decimal(2)))
    assert card.indicator("a").claimed == 1


def test_claims_and_ids_given_to_evaluate_are_located_at_the_call_not_in_the_document(
    tmp_path: Path,
) -> None:
    # a document with claims and a not-applicable list of its own: what the call adds is no part
    # of the file, so it is not said to stand at one of the file's lines
    path = write(tmp_path, GOOD_FILE + "not_applicable: [zz]\nclaimed:\n  indicators: {qq: 1}\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    zz = lines.index("not_applicable: [zz]") + 1  # zz at column 18, qq at 16
    qq = lines.index("  indicators: {qq: 1}") + 1
    document = load_facts(path)
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(document, not_applicable=["yy"])
    assert [str(p.location) for p in info.value.problems] == [
        f"{path}:{zz}:18",  # zz, in the file
        "<not_applicable>",  # yy, given to evaluate
        f"{path}:{qq}:16",  # qq, the file's claim
    ]
    with pytest.raises(FactsError) as info:
        RUBRIC.evaluate(document, claims=Claims({"nope": 1}))
    assert [str(p.location) for p in info.value.problems] == [f"{path}:{zz}:18", "<claims>"]


# tiers -----------------------------------------------------------------------------------------


def test_assessed_score_outside_its_tier() -> None:
    with pytest.raises(ScoringError) as info:
        RUBRIC.evaluate({**GOOD, "lv": "partial", "lv_score": 8})
    # partial is [50, 80) percent of max 10 = [5, 8) points; 8 is outside
    assert (info.value.code, info.value.problems[0].message) == (
        "tier-mismatch",
        "assessed score 8 is outside tier 'partial', which allows [5, 8)",
    )


def test_a_rubric_given_as_facts_is_one_problem_that_says_so(tmp_path: Path) -> None:
    # every key of the rubric was its own "unknown key" problem (14 for a bundled rubric)
    rubric = Path(__file__).resolve().parents[1] / "rubric" / "dept-overall-huizhou" / "2022.1.yaml"
    path = tmp_path / "r.yaml"
    path.write_bytes(rubric.read_bytes())
    with pytest.raises(FactsError) as info:
        load_facts(path)
    (problem,) = info.value.problems
    assert problem.render("zh") == (
        f"{path}:14:1: 这是评分规则（其中声明了 'perfscore:' 和指标），不是事实文档 "
        "[invalid-type]\n"
        f"    提示：请用它为事实文档评分：perfscore score 事实.yaml --rubric {path}；检查它："
        f"perfscore check {path}"
    )


@pytest.mark.parametrize("text", ["", "\n# nothing but a comment\n"])
def test_an_empty_facts_file_is_said_to_be_empty(tmp_path: Path, text: str) -> None:
    # it was told "a facts document must be a mapping with a 'facts' key"
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as info:
        load_facts(path)
    assert info.value.render("zh") == (
        f"{path}:1:1: 文件是空的：其中没有任何事实 [invalid-type]\n"
        "    提示：perfscore template 评分规则 -o 文件 可生成一份待填写的事实文档"
    )
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(FactsError) as info:
        load_facts(path)
    assert info.value.problems[0].message == (
        "a facts document must be a mapping with a 'facts' key, got a list"
    )


def test_an_indicator_named_by_its_name_gets_its_id_as_the_hint(tmp_path: Path) -> None:
    # a sheet names indicators (财政拨款收入预决算差异率); the rubric's claims use ids
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    example = Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    text = example.read_text(encoding="utf-8").replace(
        "    revenue_variance: 5", "    财政拨款收入预决算差异率: 5"
    )
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as info:
        rubric.evaluate(load_facts(path))
    (problem,) = info.value.problems
    assert problem.code == "unknown-indicator"
    assert problem.render("zh").splitlines()[1] == (
        "    提示：'财政拨款收入预决算差异率' 是指标 'revenue_variance' 的名称：请写它的 id，"
        "revenue_variance"
    )
    # and so for an indicator marked not applicable by its name
    with pytest.raises(FactsError) as info:
        rubric.evaluate(load_facts(example), not_applicable=["群众信访办理情况"])
    assert info.value.problems[0].hint == (
        "'群众信访办理情况' is the name of indicator 'petition_handling': write its id, "
        "petition_handling"
    )


def test_a_tiers_label_typed_for_its_level_gets_the_level_as_the_hint() -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    example = Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    facts = dict(load_facts(example).facts)
    facts["benefit_level"] = "达成年度目标"  # the tier's label, as the sheet prints it
    with pytest.raises(FactsError) as info:
        rubric.evaluate(facts)
    (problem,) = info.value.problems
    assert problem.render("zh").splitlines()[1] == (
        "    提示：'达成年度目标' 是 'achieved' 的名称：请填 'achieved'"
    )
    facts["benefit_level"] = "achievd"  # a typo of the value itself: the closest value
    with pytest.raises(FactsError) as info:
        rubric.evaluate(facts)
    assert info.value.problems[0].hint == "did you mean 'achieved'?"


def test_a_number_too_long_to_print_is_shortened_in_every_message() -> None:
    # 1e-999999999 below a minimum of 0.01 was written out: a message of a billion characters
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    example = Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    facts = dict(load_facts(example).facts)
    for value, said in (
        (Decimal("1e-999999999"), "1.000E-999999999 is less than the minimum of 0.01"),
        (Decimal("1e-20000000000"), "1.000E-20000000000 is less than the minimum of 0.01"),
    ):
        with pytest.raises(FactsError) as info:
            rubric.evaluate({**facts, "total_full": value})
        assert info.value.problems[0].message == said
        assert len(str(info.value)) < 300


def test_a_claimed_score_beyond_any_score_is_refused_where_it_is_written(tmp_path: Path) -> None:
    # Claims took 1E+400; the xlsx report then failed with OverflowError
    with pytest.raises(UsageError) as raised:
        Claims({}, total=Decimal("1E+400"))
    assert raised.value.problems[0].message == (
        "Claims: total must be a finite int or Decimal of at most 1E+15 in size, got number "
        "1.000E+400"
    )
    example = Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    path = tmp_path / "f.yaml"
    path.write_text(
        example.read_text(encoding="utf-8").replace(
            "    revenue_variance: 5", "    revenue_variance: 10000000000000000000000"
        ),
        encoding="utf-8",
    )
    with pytest.raises(FactsError) as info:
        load_facts(path)
    (problem,) = info.value.problems
    assert (problem.code, problem.location.line if problem.location else None) == (
        "out-of-bounds",
        151,
    )
    assert problem.render("zh").split(": ", 1)[1] == (
        "'revenue_variance' 的自评分 10000000000000000000000 超出了任何分数的范围（绝对值至多 "
        "1000000000000000） [out-of-bounds]"
    )


def test_a_scorecard_given_back_as_facts_or_rubric_is_said_to_be_one(tmp_path: Path) -> None:
    from perfscore import RubricError, load_rubric

    root = Path(__file__).resolve().parents[1]
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    card = rubric.evaluate(load_facts(root / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"))
    path = tmp_path / "card.json"
    path.write_text(card.to_json(), encoding="utf-8")
    with pytest.raises(FactsError) as as_facts:
        load_facts(path)
    (problem,) = as_facts.value.problems
    assert problem.message == (
        "this is a scorecard (perfscore's result for dept-overall-huizhou@2022.1), "
        "not a facts document"
    )
    with pytest.raises(RubricError) as as_rubric:
        load_rubric(path)
    (problem,) = as_rubric.value.problems
    assert problem.message.render("zh") == (
        "这是评分卡（perfscore 按 dept-overall-huizhou@2022.1 评出的结果），不是评分规则"
    )


def test_a_number_made_text_by_an_invisible_space_or_by_its_length_gets_its_own_hint() -> None:
    key = next(
        k for k, v in GOOD.items() if isinstance(v, (int, Decimal)) and not isinstance(v, bool)
    )
    spaced = one(**{key: "\u00a086.00"})
    assert spaced.code == "fact-type"
    assert spaced.hint == (
        "remove the invisible space around the number (U+00A0): it makes the number text"
    )
    assert one(**{key: "86.00"}).hint == "remove the quotes: numbers are written bare"
    long = one(**{key: "9" * 44})
    assert long.hint == (
        "a number of 44 characters is beyond any value a fact takes (at most 1E+15 in size)"
    )

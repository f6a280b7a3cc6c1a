"""Where a formula that does not parse, or uses forbidden syntax, is reported, and in what words.

A formula problem is located at the formula's value in the rubric (``file:line:col`` of its
first character, or of the quote or block indicator that opens it), as every formula problem
is; the caret line under the formula marks the character inside it. Every column below is
counted by hand from the YAML text written here.
"""

from __future__ import annotations

import pytest

import perfscore
from perfscore import RubricError
from perfscore._errors import Problem

RUBRIC = """\
perfscore: 1
id: f
version: "1"
title: 公式
language: zh
facts:
  spent: {type: number, label: 执行数}
  budget: {type: number, label: 预算数}
  done: {type: boolean, label: 完成}
groups:
  - id: g
    name: 组
    max: 10
    children:
      - id: rate
        name: 执行率
        max: 10
        formula: FORMULA
grades:
  - {grade: 优}
"""
# 'formula:' is on line 18 after 8 spaces: '        formula: ' is 17 characters, so the value
# starts at column 18
WHERE = "f.yaml:18:18: 指标 'rate'"


def problem(formula: str) -> Problem:
    """The one problem of the rubric whose indicator's formula is `formula` (YAML text)."""
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(RUBRIC.replace("FORMULA", formula), name="f.yaml")
    (found,) = caught.value.problems
    return found


def caret(found: Problem) -> int:
    """The index in the formula under which the caret stands."""
    line = dict(found.details)["here"]
    assert line.endswith("^")
    assert line.strip() == "^"
    return len(line) - 1


def zh(found: Problem) -> list[str]:
    return found.render("zh").splitlines()


# --------------------------------------------------------------------------- brackets


def test_an_unclosed_bracket_at_the_start_is_under_it() -> None:
    found = problem("(spent / budget * 100")
    assert zh(found) == [
        f"{WHERE}: 括号 '(' 未闭合 [formula-syntax]",
        "    公式: (spent / budget * 100",
        "    位置: ^",
        "    提示：请在括号内容结束处补上 ')'",
    ]
    assert found.message == "a '(' is never closed"
    assert found.hint == "add ')' where the part it opens ends"


def test_an_unclosed_bracket_inside_is_under_it() -> None:
    # 'spent * ' is 8 characters: the '(' is at 8
    found = problem("spent * (budget + 1")
    assert str(found.location) == "f.yaml:18:18"
    assert caret(found) == 8
    assert found.message == "a '(' is never closed"
    assert zh(found)[0] == f"{WHERE}: 括号 '(' 未闭合 [formula-syntax]"


def test_a_closing_bracket_never_opened() -> None:
    # 'spent / budget' is 14 characters: the ')' is at 14
    found = problem("spent / budget) * 100")
    assert caret(found) == 14
    assert found.message == "')' closes a bracket that was never opened"
    assert found.hint == "remove it, or add the matching '(' where the part it closes starts"
    assert zh(found)[0] == f"{WHERE}: ')' 没有对应的左括号 [formula-syntax]"
    assert zh(found)[-1] == "    提示：请删去它，或在括号内容开始处补上对应的 '('"


def test_a_closing_bracket_of_the_wrong_kind() -> None:
    # 'min(spent, 2' is 12 characters: the ']' is at 12
    found = problem("min(spent, 2]")
    assert caret(found) == 12
    assert found.message == "']' does not match the '(' it closes"
    assert found.hint == "close '(' with ')'"
    assert zh(found)[0] == f"{WHERE}: ']' 与它闭合的 '(' 不匹配 [formula-syntax]"


# --------------------------------------------------------------------------- if / else


def test_an_if_without_else_is_under_its_if() -> None:
    # '6 ' is 2 characters: the 'if' is at 2
    found = problem("6 if done")
    assert caret(found) == 2
    assert found.message == (
        "'if' without 'else': the formula must say what it gives when the condition fails"
    )
    assert found.hint == "write 'x if c else y': 'full if rate >= 90 else 0'"
    assert zh(found) == [
        f"{WHERE}: 'if' 缺少 'else'：公式须写明条件不成立时的值 [formula-syntax]",
        "    公式: 6 if done",
        "    位置:   ^",
        "    提示：请写 'x if c else y'：'full if rate >= 90 else 0'",
    ]


def test_the_if_without_else_is_the_one_no_else_answers() -> None:
    # '6 if done else 0 ' is 17 characters: the second 'if' is at 17
    assert caret(problem("6 if done else 0 if spent > 0")) == 17
    # '(6 if done else 0) ' is 19 characters; Python points inside the brackets
    assert caret(problem('"(6 if done else 0) if spent > 0"')) == 19


# --------------------------------------------------------------------------- values missing


def test_a_formula_that_ends_after_an_operator_points_past_its_end() -> None:
    # '6 if done else 0 +' is 18 characters: the caret stands after the '+'
    found = problem("6 if done else 0 +")
    assert caret(found) == 18
    assert found.message == "the formula ends after '+', where a value is expected"
    assert found.hint == "add the missing value after '+', or remove '+'"
    assert zh(found) == [
        f"{WHERE}: 公式在 '+' 之后就结束了，这里还缺少一个值 [formula-syntax]",
        "    公式: 6 if done else 0 +",
        "    位置:                   ^",
        "    提示：请在 '+' 之后补上缺少的值，或删去 '+'",
    ]


def test_a_value_missing_between_two_operators() -> None:
    # 'spent +' is 7 characters: the '*' is at 7
    found = problem("spent +* 2")
    assert caret(found) == 7
    assert found.message == "a value is missing between '+' and '*'"
    assert zh(found)[0] == f"{WHERE}: '+' 与 '*' 之间缺少一个值 [formula-syntax]"
    assert zh(found)[-1] == "    提示：请在这里写上事实、数字或函数调用"
    # 'min(spent,' is 10 characters: the second ',' is at 10
    assert caret(problem("min(spent,, 2)")) == 10


def test_two_values_with_nothing_between_them() -> None:
    # 'max(spent ' is 10 characters: 'budget' is at 10
    found = problem("max(spent budget)")
    assert caret(found) == 10
    assert found.message == "'budget' follows 'spent' with no operator between them"
    assert found.hint == (
        "put an operator (+ - * / == != < > and or) between two values, and a comma between "
        "the arguments of a function"
    )
    assert zh(found)[0] == f"{WHERE}: 'spent' 与 'budget' 之间缺少运算符 [formula-syntax]"
    # 'spent ' is 6 characters
    assert caret(problem("spent budget")) == 6


def test_an_unterminated_text_is_under_its_quote() -> None:
    # '6 if done == ' is 13 characters: the quote is at 13 (YAML double quotes around the formula)
    found = problem('"6 if done == \'abc else 0"')
    assert str(found.location) == "f.yaml:18:18"
    assert caret(found) == 13
    assert found.message == 'the text begun with "\'" is never closed'
    assert zh(found)[0] == f'{WHERE}: 以 "\'" 开头的文字没有结束的引号 [formula-syntax]'


# --------------------------------------------------------------------------- operators from habit


@pytest.mark.parametrize(
    ("formula", "at", "zh_message", "zh_hint"),
    [
        # 'spent ' is 6 characters
        ("6 if spent = budget else 0", 11, "'=' 是赋值，公式不能赋值", "比较请写 '=='"),
        ("spent => budget", 6, "公式语言中没有 '=>'", "请写 '>='：'rate >= 90'"),
        ("spent =< budget", 6, "公式语言中没有 '=<'", "请写 '<='：'rate <= 10'"),
        # '6 if done ' is 10 characters
        ('"6 if done && spent > 0 else 0"', 10, "公式语言中没有 '&&'（并且）", "请写 'and'"),
        ('"6 if done || spent > 0 else 0"', 10, "公式语言中没有 '||'（或者）", "请写 'or'"),
        # '6 if ' is 5 characters
        ('"6 if !done else 0"', 5, "公式语言中没有 '!'（非）", "请写 'not'"),
        ("spent $ budget", 6, "公式语言中没有 '$'", "可用的运算符：数字用 + - * /"),
    ],
)
def test_an_operator_from_elsewhere_is_named_with_what_to_write(
    formula: str, at: int, zh_message: str, zh_hint: str
) -> None:
    found = problem(formula)
    assert found.code == "formula-syntax"
    assert caret(found) == at
    lines = zh(found)
    assert lines[0] == f"{WHERE}: {zh_message} [formula-syntax]"
    assert lines[-1].startswith(f"    提示：{zh_hint}")


def test_the_english_of_an_unknown_operator() -> None:
    found = problem("spent $ budget")
    assert found.message == "'$' is not part of the formula language"
    assert found.hint == (
        "the operators are + - * / for numbers, == != < <= > >= to compare, and, or, not for "
        "conditions"
    )
    assert problem('"done && done"').hint == "write 'and': 'a > 0 and b > 0'"


def test_anything_else_is_said_with_its_column() -> None:
    # 'spent not ' is 10 characters: 'budget' is at 10, column 11 of the formula
    found = problem("spent not budget")
    assert caret(found) == 10
    assert found.message == "the formula cannot be read from column 11 ('budget')"
    assert zh(found)[0] == f"{WHERE}: 公式从第 11 列（'budget'）起无法解析 [formula-syntax]"


@pytest.mark.parametrize(
    "formula",
    [
        "(spent",
        "spent)",
        "[spent)",
        "6 if done",
        "spent +",
        "spent budget",
        "spent += 1",
        "import os",
        "'abc",
        "spent not budget",
        "print 1",
        "2x",
        "not",
        "f'{spent budget}'",
    ],
)
def test_no_syntax_error_is_said_in_pythons_words(formula: str) -> None:
    found = problem(f'"{formula}"')
    said = found.render("zh")
    for python in ("invalid syntax", "never closed", "unmatched", "expected", "literal"):
        assert python not in said, said
    assert "公式" in said or "括号" in said or "缺少" in said or "之间" in said


# --------------------------------------------------------------------------- forbidden syntax


@pytest.mark.parametrize(
    ("formula", "at", "zh_message"),
    [
        # 'spent ' is 6 characters
        ("spent // budget", 6, "公式中不能使用'//'（整除）"),
        ("spent ** 2", 6, "公式中不能使用'**'（乘方）"),
        ("spent % 2", 6, "公式中不能使用'%'（取余和文本格式化）"),
        # '(spent) ' is 8 characters: the operator, past the bracket
        ("(spent) // (budget)", 8, "公式中不能使用'//'（整除）"),
        # "__import__('os')" is 16 characters: the '.' is at 16
        ("__import__('os').system('id')", 16, "公式中不能使用属性访问（'.system'）"),
        # 'spent' is 5 characters
        ("spent.real", 5, "公式中不能使用属性访问（'.real'）"),
        ("spent[0]", 5, "公式中不能使用下标（'x[...]'）"),
        ("spent is budget", 6, "公式中不能使用'is'"),
        # 'spent < budget ' is 15 characters: the second comparison's 'is'
        ("spent < budget is budget", 15, "公式中不能使用'is'"),
        # 'round(spent, ' is 13 characters: 'step=' is at 13
        ("round(spent, step=0.5)", 13, "公式中不能使用关键字参数（'step='）"),
        ("~spent", 0, "公式中不能使用按位运算符 '~'"),
    ],
)
def test_forbidden_syntax_is_marked_where_it_stands(formula: str, at: int, zh_message: str) -> None:
    found = problem(f'"{formula}"')
    assert found.code == "formula-forbidden"
    assert str(found.location) == "f.yaml:18:18"
    assert caret(found) == at
    assert zh(found)[0] == f"{WHERE}: {zh_message} [formula-forbidden]"


def test_a_forbidden_operator_after_chinese_text_counts_characters() -> None:
    # "0 if '达成' == '达成' else spent " is 29 characters (each '达成' in quotes is 4)
    found = problem("\"0 if '达成' == '达成' else spent // 2\"")
    assert caret(found) == 29
    assert found.message == "'//' (floor division) cannot be used in a formula"


def test_the_import_example_in_full() -> None:
    found = problem("__import__('os').system('id')")
    assert zh(found) == [
        f"{WHERE}: 公式中不能使用属性访问（'.system'） [formula-forbidden]",
        "    公式: __import__('os').system('id')",
        "    位置:                 ^",
        "    提示：请直接用名称读取事实，列表字段请用 sum()、mean() 或 count() 读取",
    ]


# --------------------------------------------------------------------------- the location itself


def test_the_location_is_the_formulas_value_for_every_scalar_style() -> None:
    # plain, double-quoted and single-quoted values start at column 18 (a quoted one at its
    # quote); a block scalar's location is its indicator '>-' on the 'formula:' line, also 18
    for formula in ("spent * (budget + 1", '"spent * (budget + 1"', "'spent * (budget + 1'"):
        found = problem(formula)
        assert (str(found.location), caret(found)) == ("f.yaml:18:18", 8), formula
    found = problem(">-\n          spent * (budget + 1")
    assert (str(found.location), caret(found)) == ("f.yaml:18:18", 8)


def test_an_unknown_name_is_located_the_same_way() -> None:
    # the convention the syntax errors follow: the value's location, the caret on the name
    found = problem("spent / budgt * 100")
    assert str(found.location) == "f.yaml:18:18"
    assert caret(found) == 8

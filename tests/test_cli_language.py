"""The command in the user's language: --lang, PERFSCORE_LANG, the rubric's language, zh.

Every expected text here is written by hand from the catalogue's intent, not copied from it.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]

CASES = textwrap.dedent(
    """\
    cases:
      - name: 满分
        facts: {rate: 100}
        expect: {total: 10}
      - name: 待定
        todo: 斜率未定
        facts: {rate: 100}
        expect: {total: 0}
    """
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_rubric: str) -> Path:
    """The demo rubric (language zh by default) and a case file; the working directory."""
    (tmp_path / "r.yaml").write_text(demo_rubric, encoding="utf-8")
    (tmp_path / "r.cases.yaml").write_text(CASES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFSCORE_LANG", raising=False)
    return tmp_path


def english_rubric(work: Path, demo_rubric: str) -> Path:
    path = work / "en.yaml"
    path.write_text(demo_rubric.replace("perfscore: 1\n", "perfscore: 1\nlanguage: en\n", 1))
    return path


# help ------------------------------------------------------------------------------------------


def test_help_is_chinese_by_default_argparse_words_too(work: Path, run: Run) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert out.startswith("用法：perfscore [-h]")
    assert "\n位置参数：\n" in out
    assert "\n选项：\n" in out
    assert "显示本帮助并退出" in out
    assert "score         为事实文档评分，并复核其自评分" in out


def test_a_commands_help_ends_with_its_example_and_exit_codes_in_chinese(
    work: Path, run: Run
) -> None:
    code, out, _ = run("score", "--help")
    assert code == 0
    assert "\n示例：\n  perfscore score report.yaml\n" in out
    assert "退出码：0 已评分；1 有达到 --fail-on 级别的发现（任一文档）；" in out
    assert "用 N 个工作进程评分（默认 1）" in out


@pytest.mark.parametrize(
    "command", ["score", "test", "check", "diff", "schema", "template", "compile", "rubrics"]
)
def test_chinese_help_fits_the_terminal_a_character_two_columns(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # argparse wraps at COLUMNS - 2 characters; a Chinese character takes two columns, so the
    # options' text is wrapped by columns, and no line starts with a closing mark
    import unicodedata

    def columns(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(command, "--help")
    assert code == 0
    options = out.split("\n选项：\n", 1)[1].split("\n示例：\n", 1)[0]
    for line in options.splitlines():
        assert columns(line) <= 80, line
        assert line.strip()[:1] not in set("，。、；：）」』》"), line
    assert any(line.startswith(" " * 12) for line in options.splitlines())  # one did wrap


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    "command", ["", "score", "test", "check", "diff", "schema", "template", "compile", "rubrics"]
)
def test_every_line_of_every_help_fits_80_columns(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch, language: str, command: str
) -> None:
    # the examples and exit codes are printed as written, so they are written to fit too
    from perfscore._output._text import width

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("--lang", language, *([command] if command else []), "--help")
    assert code == 0
    assert "\n\n" in out  # a whole help, epilog and all
    wide = [line for line in out.splitlines() if width(line) > 80]
    assert wide == []


@pytest.mark.parametrize(
    "argv",
    [
        ("--lang", "en", "score", "--help"),
        ("score", "--help", "--lang", "en"),
        ("score", "--help", "--lang=en"),
    ],
)
def test_lang_anywhere_on_the_line_chooses_the_help(
    work: Path, run: Run, argv: tuple[str, ...]
) -> None:
    code, out, _ = run(*argv)
    assert code == 0
    assert out.startswith("usage: perfscore score")
    assert "score in N worker processes (default 1)" in out
    assert "示例" not in out


def test_perfscore_lang_chooses_where_no_lang_is_given(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFSCORE_LANG", "en")
    assert run("--help")[1].startswith("usage: perfscore")
    assert run("--lang", "zh", "--help")[1].startswith("用法：perfscore")  # --lang wins


def test_an_unknown_perfscore_lang_is_refused_not_ignored(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFSCORE_LANG", "fr")
    code, out, err = run("rubrics")
    assert (code, out) == (2, "")
    assert err == (
        "UsageError: PERFSCORE_LANG 为 'fr'，应为 zh 或 en [bad-argument]\n"
        "    提示：设为 PERFSCORE_LANG=zh 或 PERFSCORE_LANG=en，或者删除这个变量\n"
    )
    assert run("--lang", "en", "rubrics")[0] == 0  # an explicit --lang does not need it


# usage errors ----------------------------------------------------------------------------------


def test_argparse_errors_are_said_in_chinese(work: Path, run: Run) -> None:
    code, out, err = run("score")
    assert (code, out) == (2, "")
    assert err == (
        "UsageError: 缺少必需的参数：PATH [bad-argument]\n    提示：参见 'perfscore score --help'\n"
    )
    assert run("score", "x.yaml", "--jobs", "0")[2].startswith(
        "UsageError: 参数 --jobs：应为不小于 1 的整数，实际为 '0' [bad-argument]"
    )
    assert run("check", "r.yaml", "--format", "pdf")[2].startswith(
        "UsageError: 参数 --format：无效的选项 'pdf'（可选：'text', 'json'）"
    )


def test_argparse_errors_stay_english_under_lang_en(work: Path, run: Run) -> None:
    err = run("--lang", "en", "score")[2]
    assert err == (
        "UsageError: the following arguments are required: PATH [bad-argument]\n"
        "    hint: see 'perfscore score --help'\n"
    )


def test_an_error_under_format_json_is_said_in_chinese(work: Path, run: Run) -> None:
    code, out, err = run("test", "nope", "--format", "json")
    assert (code, out) == (2, "")
    [problem] = json.loads(err)["problems"]
    assert (problem["code"], problem["message"]) == ("file-not-found", "没有这个文件或文件夹：nope")
    [problem] = json.loads(run("--lang", "en", "test", "nope", "--format", "json")[2])["problems"]
    assert problem["message"] == "no such file or folder: nope"


# the rubric's language -------------------------------------------------------------------------


def test_check_speaks_the_rubrics_language(work: Path, run: Run, demo_rubric: str) -> None:
    code, out, _ = run("check", "r.yaml")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "r.yaml:20:9: 提示: 指标 'comp': 各扣分项合计可扣不设上限的分数，超过满分 4 与保底 0 "
        "之间的 4 分；扣完为止 [checklist-exceeds-max]"
    )
    assert lines[-1] == "共检查 1 份评分规则：0 个错误，0 个警告，1 个提示"
    english_rubric(work, demo_rubric)
    assert run("check", "en.yaml")[1].splitlines()[-1] == "0 errors, 0 warnings, 1 note in 1 rubric"


def test_lang_en_on_a_chinese_rubric(work: Path, run: Run) -> None:
    out = run("--lang", "en", "check", "r.yaml")[1]
    assert out.splitlines()[0].startswith("r.yaml:20:9: note: indicator 'comp': ")
    assert out.splitlines()[-1] == "0 errors, 0 warnings, 1 note in 1 rubric"
    out = run("test", "r.cases.yaml", "--lang", "en")[1]
    assert out.splitlines()[-1] == "1 passed, 0 failed, 1 todo"


def test_lang_zh_on_an_english_rubric(work: Path, run: Run, demo_rubric: str) -> None:
    english_rubric(work, demo_rubric)
    out = run("--lang", "zh", "check", "en.yaml")[1]
    assert out.splitlines()[-1] == "共检查 1 份评分规则：0 个错误，0 个警告，1 个提示"


def test_test_output_in_chinese(work: Path, run: Run) -> None:
    code, out, _ = run("test", "r.cases.yaml", "--coverage", "--threshold", "99")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "通过：r.cases.yaml：满分"
    assert lines[1] == "待办：r.cases.yaml：待定（斜率未定）"
    assert "覆盖率：demo@1：5 条规则中有 0 条被用例走到（0.0%）" in lines
    assert "    未走到：spend：deduction, floor" in lines
    assert "规则覆盖率 0.0% 低于阈值 99.0%" in lines
    assert lines[-1] == "通过 1 个，未通过 0 个，待办 1 个"


def test_template_says_what_it_wrote_in_the_rubrics_language(
    work: Path, run: Run, demo_rubric: str
) -> None:
    assert run("template", "r.yaml", "-o", "t.yaml") == (0, "已写出 t.yaml\n", "")
    english_rubric(work, demo_rubric)
    assert run("template", "en.yaml", "-o", "t2.yaml") == (0, "wrote t2.yaml\n", "")
    code, _, err = run("template", "r.yaml", "-o", "t.yaml")
    assert code == 2
    assert err == (
        "UsageError: t.yaml 已存在，模板会覆盖它 [bad-argument]\n"
        "    提示：请先删除它，或换一个文件名\n"
    )


def test_a_failing_case_says_what_it_expected_in_chinese(work: Path, run: Run) -> None:
    (work / "r.cases.yaml").write_text(
        "cases:\n  - name: 写错\n    facts: {rate: 100}\n    expect: {total: 9, grade: 差}\n",
        encoding="utf-8",
    )
    code, out, _ = run("test", "r.cases.yaml")
    assert code == 1
    assert out.splitlines() == [
        "未通过：r.cases.yaml：写错",
        "    total：应为 9，实际为 10",
        "    grade：应为 '差'，实际为 '优'",
        "通过 0 个，未通过 1 个",
    ]
    english = run("--lang", "en", "test", "r.cases.yaml")[1]
    assert "    total: expected 9, got 10" in english.splitlines()

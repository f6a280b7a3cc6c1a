"""The `perfscore` command: output formats, exit codes 0/1/2/3, `test`, `rubrics`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from perfscore import _rubric, cli
from perfscore._tools import _batch

#: the `run` fixture (conftest.py): the command in-process -> (exit code, stdout, stderr)
Run = Callable[..., tuple[int, str, str]]

# The rubric is tests/data/demo.yaml (the `demo_rubric` fixture).
# rate 95: spend = 6 - 5 x 0.1 = 5.5; problems 2: comp = 4 - 0.5 x 2 = 3; total 8.5 -> 差
FACTS = textwrap.dedent(
    """\
    rubric: demo@1
    subject: 测试单位
    facts: {rate: 95, problems: 2}
    claimed:
      indicators: {spend: 6, comp: 4}
      total: 10
    """
)
# rate 100, no problems: every claim holds
FACTS_OK = textwrap.dedent(
    """\
    rubric: demo@1
    facts: {rate: 100}
    claimed:
      indicators: {spend: 6, comp: 4}
      total: 10
      grade: 优
    """
)
CASES = textwrap.dedent(
    """\
    cases:
      - name: 满分
        facts: {rate: 100}
        expect: {indicators: {spend: 6, comp: 4}, total: 10, grade: 优}
      - name: 故意写错
        facts: {rate: 90, problems: 1}
        expect: {indicators: {spend: 6}}
      - name: 待定
        todo: 斜率未定
        facts: {rate: 100}
        expect: {total: 0}
    """
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_rubric: str) -> Path:
    """A folder with the rubric, two facts documents and a case file; the working directory."""
    (tmp_path / "r.yaml").write_text(demo_rubric, encoding="utf-8")
    (tmp_path / "f.yaml").write_text(FACTS, encoding="utf-8")
    (tmp_path / "ok.yaml").write_text(FACTS_OK, encoding="utf-8")
    (tmp_path / "r.cases.yaml").write_text(CASES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFSCORE_DEBUG", raising=False)
    return tmp_path


# score -----------------------------------------------------------------------------------------


def test_score_text(work: Path, run: Run) -> None:
    code, out, err = run("score", "f.yaml", "--rubric", "r.yaml")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "演示  [demo@1]"
    assert "总分: 8.5（基础分 8.5 / 10）  等级: 差  ［3 处自评不符，0 条警告，见下］" in lines
    assert out.index("自评得分与规则不符") < out.index("得分明细")


def test_score_json(work: Path, run: Run) -> None:
    code, out, _ = run("score", "f.yaml", "--rubric", "r.yaml", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["total"], data["grade"], data["subject"]) == (8.5, "差", "测试单位")
    assert [(i["id"], i["score"]) for i in data["indicators"]] == [("spend", 5.5), ("comp", 3)]
    assert all(i["trace"] is not None for i in data["indicators"])


def test_score_markdown(work: Path, run: Run) -> None:
    code, out, _ = run("score", "f.yaml", "--rubric", "r.yaml", "--format", "markdown")
    assert code == 0
    assert out.startswith("# 演示  [demo@1]\n")
    assert "## 得分明细" in out


def test_score_no_trace(work: Path, run: Run) -> None:
    _, out, _ = run("score", "f.yaml", "--rubric", "r.yaml", "--format", "json", "--no-trace")
    data = json.loads(out)
    assert [i["trace"] for i in data["indicators"]] == [None, None]
    assert data["total"] == 8.5


def test_fail_on_discrepancy(work: Path, run: Run) -> None:
    assert run("score", "f.yaml", "--rubric", "r.yaml", "--fail-on-discrepancy")[0] == 1
    assert run("score", "ok.yaml", "--rubric", "r.yaml", "--fail-on-discrepancy")[0] == 0
    # without the flag, discrepancies are reported and the exit code stays 0
    assert run("score", "f.yaml", "--rubric", "r.yaml")[0] == 0


def test_bundled_rubric_from_the_document(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch, demo_rubric: str
) -> None:
    (work / "bundled" / "demo").mkdir(parents=True)
    (work / "bundled" / "demo" / "1.yaml").write_text(demo_rubric, encoding="utf-8")
    monkeypatch.setattr(_rubric, "_bundled_roots", lambda: [work / "bundled"])
    code, out, _ = run("score", "ok.yaml", "--format", "json")
    assert (code, json.loads(out)["total"]) == (0, 10)


# input errors: exit 2 with a located message and no traceback ----------------------------------


def assert_input_error(result: tuple[int, str, str], *lines: str) -> None:
    """Exit 2, nothing on stdout, stderr starting with `lines` (stripped), no traceback."""
    code, out, err = result
    assert (code, out) == (2, "")
    assert [line.strip() for line in err.splitlines()[: len(lines)]] == list(lines)
    assert "Traceback" not in err


def test_bad_rubric(work: Path, run: Run, demo_rubric: str) -> None:
    (work / "r.yaml").write_text(demo_rubric.replace("max: 10", "max: 11"), encoding="utf-8")
    assert_input_error(
        run("--lang", "en", "score", "f.yaml", "--rubric", "r.yaml"),
        "RubricError: r.yaml: 1 problem(s) in the rubric",
        "r.yaml:11:10: group 'g': max 11 is not the sum of its children's max (6 + 4 = 10) "
        "[group-sum]",
    )


def test_a_bad_chinese_rubric_is_reported_in_chinese(
    work: Path, run: Run, demo_rubric: str
) -> None:
    (work / "r.yaml").write_text(demo_rubric.replace("max: 10", "max: 11"), encoding="utf-8")
    code, out, err = run("score", "f.yaml", "--rubric", "r.yaml")
    assert (code, out) == (2, "")
    head, problem = err.splitlines()[:2]
    assert head == "RubricError: r.yaml：评分规则中有 1 个问题"
    assert problem.startswith("  r.yaml:11:10: ")
    assert problem.endswith(" [group-sum]")
    assert "max" not in problem.split(": ", 2)[-1].replace("[group-sum]", "")  # said in Chinese


def test_bad_facts(work: Path, run: Run) -> None:
    (work / "f.yaml").write_text(FACTS.replace("rate: 95", "rate: 95%"), encoding="utf-8")
    assert_input_error(
        run("--lang", "en", "score", "f.yaml", "--rubric", "r.yaml"),
        "FactsError: f.yaml: 1 problem(s) in the facts",
        # 'facts: {rate: ' is 14 characters: the value starts at column 15
        "f.yaml:3:15: fact 'rate': expected a percent number, got text '95%' [fact-type]",
        "hint: write 95 without '%': percent facts are in percent units",
    )


def test_missing_file(work: Path, run: Run) -> None:
    code, _, err = run("--lang", "en", "score", "nope.yaml", "--rubric", "r.yaml")
    assert (code, "Traceback" in err) == (2, False)
    assert err.startswith("DocumentError: nope.yaml: cannot open 'nope.yaml': ")
    assert err.rstrip().endswith("[file-not-found]")


@pytest.mark.parametrize(
    "argv",
    [
        (),
        ("score",),
        ("score", "f.yaml", "--format", "xml"),
        ("frobnicate",),
        ("test",),
    ],
)
def test_bad_arguments(work: Path, run: Run, argv: tuple[str, ...]) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("UsageError: ")
    assert "[bad-argument]" in err
    assert "Traceback" not in err


def test_unknown_bundled_rubric(work: Path, run: Run) -> None:
    code, _, err = run("--lang", "en", "score", "f.yaml", "--rubric", "nope@9")
    assert code == 2
    assert err.startswith("UsageError: no bundled rubric 'nope@9' [rubric-not-found]")


def test_document_without_a_rubric_reference(work: Path, run: Run) -> None:
    (work / "f.yaml").write_text(FACTS.replace("rubric: demo@1\n", ""), encoding="utf-8")
    assert_input_error(
        run("--lang", "en", "score", "f.yaml"),
        # the document named: in a batch of many, the one to fix
        "UsageError: f.yaml:1:1: the facts document names no rubric [bad-argument]",
    )


def test_rubric_mismatch(work: Path, run: Run) -> None:
    (work / "f.yaml").write_text(FACTS.replace("demo@1", "demo@2"), encoding="utf-8")
    assert_input_error(
        run("--lang", "en", "score", "f.yaml", "--rubric", "r.yaml"),
        "FactsError: f.yaml:1:9: facts are for rubric demo@2, not demo@1 [rubric-mismatch]",
    )


# internal errors -------------------------------------------------------------------------------


def boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("boom")


def test_internal_error_exits_3_without_traceback(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_batch, "load_facts", boom)
    code, out, err = run("--lang", "en", "score", "f.yaml", "--rubric", "r.yaml")
    assert (code, out) == (3, "")
    assert err.splitlines()[0] == "perfscore: internal error: RuntimeError: boom"
    assert "Traceback" not in err


def test_internal_error_traceback_with_debug(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_batch, "load_facts", boom)
    monkeypatch.setenv("PERFSCORE_DEBUG", "1")
    code, _, err = run("score", "f.yaml", "--rubric", "r.yaml")
    assert code == 3
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: boom" in err


# test ------------------------------------------------------------------------------------------


def test_test_command_reports_each_case_and_a_summary(work: Path, run: Run) -> None:
    code, out, _ = run("--lang", "en", "test", "r.cases.yaml")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == "PASS: r.cases.yaml: 满分"
    assert lines[1] == "FAIL: r.cases.yaml: 故意写错"
    # rate 90: 10 points short x 0.1 = 1; 6 - 1 = 5
    assert lines[2] == "    spend: expected 6, got 5"
    assert "TODO: r.cases.yaml: 待定 (斜率未定)" in lines
    assert lines[-1] == "1 passed, 1 failed, 1 todo"


def test_test_command_passes_a_folder_of_passing_cases(work: Path, run: Run) -> None:
    (work / "r.cases.yaml").unlink()
    (work / "sub").mkdir()
    (work / "r.yaml").rename(work / "sub" / "r.yaml")  # a case file reads its own tree only
    (work / "sub" / "ok.cases.yaml").write_text(
        "rubric: r.yaml\n" + "\n".join(CASES.splitlines()[:4]) + "\n", encoding="utf-8"
    )
    code, out, _ = run("--lang", "en", "test", ".")
    assert (code, out.splitlines()[-1]) == (0, "1 passed, 0 failed")


def test_test_command_coverage(work: Path, run: Run) -> None:
    _, out, _ = run("--lang", "en", "test", "r.cases.yaml", "--coverage")
    # rules: spend deduction + floor, comp item:prob + floor, check low = 5. Only the passing
    # case counts, and it fires nothing (rate 100, no problems); the failing case's rules (the
    # deduction and item:prob) are not counted, since a failing case proves nothing: 0 / 5
    start = out.index("coverage: ")
    assert out[start:].splitlines()[:4] == [
        "coverage: demo@1: 0/5 rules exercised (0.0%)",
        "    not exercised: spend: deduction, floor",
        "    not exercised: comp: item:prob, floor",
        "    not exercised: checks: low",
    ]


def test_test_command_threshold(work: Path, run: Run) -> None:
    only_passing = "\n".join(CASES.splitlines()[:4]) + "\n"
    (work / "r.cases.yaml").write_text(only_passing, encoding="utf-8")
    # the passing case alone fires nothing: 0 / 5
    code, out, _ = run("--lang", "en", "test", "r.cases.yaml", "--threshold", "50")
    assert code == 1
    assert "coverage 0.0% is below the threshold of 50.0%" in out
    assert run("--lang", "en", "test", "r.cases.yaml", "--threshold", "0")[0] == 0


def test_test_command_threshold_nan_is_a_bad_argument(work: Path, run: Run) -> None:
    code, _, err = run("test", "r.cases.yaml", "--threshold", "nan")
    assert code == 2
    assert "[bad-argument]" in err


def test_test_command_missing_path(work: Path, run: Run) -> None:
    code, _, err = run("--lang", "en", "test", "nowhere")
    assert code == 2
    assert err.startswith("UsageError: no such file or folder: nowhere [file-not-found]")


# rubrics, version, console script --------------------------------------------------------------


def test_rubrics_lists_the_bundled_rubrics(
    work: Path, run: Run, monkeypatch: pytest.MonkeyPatch, demo_rubric: str
) -> None:
    for ref in ("demo/2", "demo/1", "abc/2022.1"):
        path = work / "bundled" / f"{ref}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(demo_rubric, encoding="utf-8")
    (work / "bundled" / "demo" / "1.cases.yaml").write_text(CASES, encoding="utf-8")
    monkeypatch.setattr(_rubric, "_bundled_roots", lambda: [work / "bundled"])
    assert run("rubrics") == (0, "abc@2022.1\ndemo@1\ndemo@2\n", "")


def test_version(run: Run) -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("perfscore ")


def test_help_returns_zero(run: Run) -> None:
    code, out, _ = run("score", "--help")
    assert code == 0
    assert "--fail-on-discrepancy" in out


def test_installed_console_script(work: Path) -> None:
    script = Path(sys.executable).parent / "perfscore"
    done = subprocess.run(
        [str(script), "score", "f.yaml", "--rubric", "r.yaml", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["total"] == 8.5
    bad = subprocess.run(
        [str(script), "score", "nope.yaml"], capture_output=True, text=True, check=False, timeout=60
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


# the environment: files that are not files, output that cannot be written ---------------------


def _console(*argv: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """The installed command in a child process (with a timeout, should it wait)."""
    script = Path(sys.executable).parent / "perfscore"
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(script), *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=30,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize(
    "argv",
    [
        ("score", "pipe.yaml"),
        ("score", "f.yaml", "--rubric", "pipe.yaml"),
        ("check", "pipe.yaml"),
        ("test", "pipe.yaml"),
        ("template", "pipe.yaml"),
    ],
)
def test_a_named_pipe_is_refused_instead_of_hanging(work: Path, argv: tuple[str, ...]) -> None:
    os.mkfifo(work / "pipe.yaml")
    done = _console(
        "--lang", "en", *argv
    )  # without the check, the command waits for a writer: the timeout
    assert done.returncode == 2
    assert "pipe.yaml: 'pipe.yaml' is a named pipe, not a file [not-a-file]" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv",
    [
        ("score", "f.yaml", "--rubric", "r.yaml"),
        ("score", "f.yaml", "--rubric", "r.yaml", "--format", "json"),
        ("rubrics",),
        ("check", "r.yaml"),
        ("schema",),
        ("test", "r.cases.yaml"),
    ],
)
def test_a_full_disk_is_an_output_failure_not_a_bug(work: Path, argv: tuple[str, ...]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = _console("--lang", "en", *argv, stdout=full)
    assert done.returncode == cli.EXIT_OUTPUT == 4
    if "json" in argv:  # under --format json, the error is a JSON object too
        [problem] = json.loads(done.stderr)["problems"]
        assert (problem["code"], problem["message"]) == (
            "output-failed",
            "cannot write the output: no space left on the disk",
        )
        return
    assert done.stderr == (
        "perfscore: cannot write the output: no space left on the disk [output-failed]\n"
        "    hint: free some space, or write the output elsewhere\n"
    )


def test_a_closed_pipe_is_an_output_failure(work: Path) -> None:
    script = Path(sys.executable).parent / "perfscore"
    with subprocess.Popen(
        [str(script), "--lang", "en", "score", "f.yaml", "--rubric", "r.yaml"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # the reader goes away before the command writes
        err = proc.stderr.read()
        code = proc.wait(timeout=30)
    assert code == 4
    assert err == (
        "perfscore: cannot write the output: the program reading the output closed the pipe "
        "[output-failed]\n"
        "    hint: let the reader read the whole output, or write it to a file\n"
    )


def test_an_output_failure_in_process_names_the_cause(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Full:
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stdout", Full())
    assert cli.main(["rubrics"]) == 4
    # the cause in the catalogue's words, in the language said (the system's are English)
    assert "无法写出输出：磁盘空间不足 [output-failed]" in capsys.readouterr().err


# --encoding on every command that reads a file --------------------------------------------------


@pytest.fixture
def gbk(work: Path, demo_rubric: str) -> Path:
    """The rubric saved as GB18030, as Chinese office software does; the rest stays UTF-8."""
    (work / "r.yaml").write_bytes(demo_rubric.encode("gb18030"))
    return work


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "r.yaml"),
        ("test", "r.cases.yaml"),
        ("diff", "r.yaml", "r.yaml", "--facts", "f.yaml"),
        ("template", "r.yaml"),
        ("schema", "facts", "r.yaml"),
        ("score", "f.yaml", "--rubric", "r.yaml"),
    ],
)
def test_every_command_that_reads_a_file_accepts_encoding(
    gbk: Path, run: Run, argv: tuple[str, ...]
) -> None:
    code, _, err = run("--lang", "en", *argv)
    assert code == 2
    assert "looks GB18030/GBK-encoded" in err
    assert "--encoding gb18030" in err  # the hint names the option: it must exist
    code, out, err = run("--lang", "en", *argv, "--encoding", "gb18030")
    assert (code, err) == (1 if argv[0] == "test" else 0, "")  # the cases include a failing one
    assert "looks GB18030" not in out
    assert out


def test_encoding_reads_utf8_files_as_utf8(gbk: Path, run: Run) -> None:
    # the facts stay UTF-8 beside a GB18030 rubric: one option serves both, and the UTF-8 file
    # is not decoded as GB18030 (which would garble its Chinese without an error)
    code, out, _ = run(
        "--lang", "en", "score", "f.yaml", "--rubric", "r.yaml", "--encoding", "gb18030"
    )
    assert code == 0
    assert "测试单位" in out
    code, _, err = run("--lang", "en", "check", "r.yaml", "--encoding", "klingon")
    assert code == 2
    assert "unknown encoding 'klingon' [bad-argument]" in err


# rubric-not-found points at the line that names the rubric ------------------------------------


def test_an_unknown_rubric_reference_points_at_the_documents_line(work: Path, run: Run) -> None:
    (work / "f.yaml").write_text(FACTS.replace("demo@1", "demo@7"), encoding="utf-8")
    code, out, err = run("--lang", "en", "score", "f.yaml")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "UsageError: f.yaml:1:9: no bundled rubric 'demo@7' [rubric-not-found]"
    assert lines[1] == "    bundled:  " + ", ".join(_rubric.bundled_rubrics())
    assert lines[2].startswith("    searched: ")
    assert str(Path(_rubric.bundled_path("dept-overall-huizhou@2022.1")).parents[1]) in lines[2]
    assert lines[3] == "    hint: name a bundled rubric, or give the rubric file's path"


def test_an_unknown_version_names_the_bundled_ones(work: Path, run: Run) -> None:
    facts = FACTS.replace("demo@1", "dept-overall-huizhou@2023.1")
    (work / "f.yaml").write_text(facts, encoding="utf-8")
    _, _, err = run("--lang", "en", "score", "f.yaml")
    assert err.startswith("UsageError: f.yaml:1:9: no bundled rubric 'dept-overall-huizhou@2023.1'")
    assert "hint: dept-overall-huizhou is bundled as dept-overall-huizhou@2022.1" in err


def test_unknown_rubric_references_in_extends_and_case_files_are_located(
    work: Path, run: Run
) -> None:
    (work / "child.yaml").write_text("id: c\nextends: nope@2\n", encoding="utf-8")
    _, _, err = run("--lang", "en", "check", "child.yaml")
    assert "UsageError: child.yaml:2:10: no bundled rubric 'nope@2' [rubric-not-found]" in err
    (work / "n.cases.yaml").write_text("rubric: nope@3\ncases: []\n", encoding="utf-8")
    code, _, err = run("--lang", "en", "test", "n.cases.yaml")
    assert code == 2
    assert err.startswith("UsageError: n.cases.yaml:1:9: no bundled rubric 'nope@3'")


# a console that cannot show every character ----------------------------------------------------


@pytest.mark.parametrize("argv", [("score", "f.yaml"), ("score", "f.yaml", "ok.yaml")])
def test_a_gbk_console_gets_escapes_not_exit_3(
    work: Path, demo_rubric: str, argv: tuple[str, ...]
) -> None:
    # an English rubric writes a deduction with the minus sign U+2212, which GBK lacks, and the
    # subject has a euro sign, which GBK lacks too
    english = demo_rubric.replace("title: 演示", "title: Demo\nlanguage: en").replace(
        "points: 0.1}", 'points: 0.1, reason: "spent {rate}%"}'
    )
    (work / "rubrics" / "demo").mkdir(parents=True)
    (work / "rubrics" / "demo" / "1.yaml").write_text(english, encoding="utf-8")
    (work / "f.yaml").write_text(FACTS.replace("测试单位", "Café €"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PERFSCORE_RUBRIC_PATH": "rubrics"}
    script = Path(sys.executable).parent / "perfscore"
    done = subprocess.run(
        [str(script), *argv], capture_output=True, env=env, check=False, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, b"")
    text = done.stdout.decode("gbk")  # what the console shows: valid GBK throughout
    assert "Café \\u20ac" in text
    if len(argv) == 2:
        assert "spent 95%: \\u22120.5" in text


# conventions every command keeps ---------------------------------------------------------------

COMMANDS = ("score", "test", "rubrics", "check", "diff", "schema", "template")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_shows_an_example_and_the_exit_codes(run: Run, command: str) -> None:
    code, out, _ = run("--lang", "en", command, "--help")
    assert code == 0
    assert re.search(rf"^examples?:\n  perfscore {command} ", out, re.M)
    assert re.search(
        r"^exit codes: 0 .*?;\s2 .*\s3 internal error; 4 output not written$", out, re.M | re.S
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("score", "f.yaml", "--fail-on-disc"),  # once taken for --fail-on-discrepancy
        ("score", "f.yaml", "r.yaml", "--rub"),
        ("diff", "r.yaml", "r.yaml", "--fail"),
        ("test", "r.cases.yaml", "--cov"),
    ],
)
def test_an_abbreviated_option_is_refused(work: Path, run: Run, argv: tuple[str, ...]) -> None:
    code, out, err = run("--lang", "en", *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"UsageError: unrecognized arguments: {argv[-1]}")


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "r.yaml"),
        ("check", "r.yaml", "--format", "json"),
        ("diff", "r.yaml", "r.yaml"),
        ("schema", "facts", "r.yaml"),
        ("test", "r.cases.yaml"),
        ("rubrics",),
        ("score", "f.yaml", "--rubric", "r.yaml", "--format", "json"),
    ],
)
def test_output_goes_to_the_file_named_by_o(work: Path, run: Run, argv: tuple[str, ...]) -> None:
    code, out, err = run(*argv)
    assert run(*argv, "-o", "out.txt") == (code, "", err)
    assert (work / "out.txt").read_text(encoding="utf-8") == out
    assert run(*argv, "--output", "out2.txt")[0] == code
    assert (work / "out2.txt").read_text(encoding="utf-8") == out


def test_an_error_under_format_json_is_a_json_object_on_stderr(work: Path, run: Run) -> None:
    code, out, err = run("--lang", "en", "score", "nope.yaml", "--format", "json")
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    record = json.loads(line)
    assert record["error"] == "DocumentError"
    [problem] = record["problems"]
    assert (problem["file"], problem["code"]) == ("nope.yaml", "file-not-found")
    # a bad argument too, though the arguments did not parse
    code, _, err = run("--lang", "en", "check", "r.yaml", "--format=json", "--frobnicate")
    assert code == 2
    assert json.loads(err)["problems"][0]["code"] == "bad-argument"
    # and the text form without --format json
    assert run("--lang", "en", "score", "nope.yaml")[2].startswith(
        "DocumentError: nope.yaml: cannot open"
    )


def test_a_batch_under_format_json_reports_each_unusable_input_as_a_json_line(
    work: Path, run: Run
) -> None:
    (work / "broken.yaml").write_text("facts: [\n", encoding="utf-8")
    code, out, err = run(
        "score", "ok.yaml", "broken.yaml", "--rubric", "r.yaml", "--format", "json"
    )
    assert code == 2
    assert [row["input"] for row in json.loads(out)] == ["ok.yaml", "broken.yaml"]
    [line] = err.splitlines()
    record = json.loads(line)
    assert (record["error"], record["input"]) == ("DocumentError", "broken.yaml")
    assert record["problems"][0]["code"] == "yaml-syntax"
    assert (record["problems"][0]["line"], record["problems"][0]["column"]) == (2, 1)


SEVERITIES = """\
perfscore: 1
id: sev
version: "1"
title: sev
facts:
  pages: {type: integer, label: pages, min: 0}
  claimed_total: {type: number, label: claimed, required: false}
groups:
  - {id: g, name: g, max: 10, children: [{id: i, name: i, max: 10, formula: "10"}]}
grades: [{grade: x}]
checks:
  - {id: truncated, when: pages < 2, message: "the sheet is cut off", severity: info}
  - {id: thin, when: pages < 5, message: "few pages", severity: warning}
  - {id: empty, when: pages == 0, message: "no pages", severity: error}
"""


@pytest.mark.parametrize(
    ("pages", "claimed", "expected"),
    [
        # pages 1: the info notice and the warning fire
        (1, None, {"error": 0, "warning": 1, "discrepancy": 1}),
        # pages 0: all three fire
        (0, None, {"error": 1, "warning": 1, "discrepancy": 1}),
        # pages 3: only the warning fires
        (3, None, {"error": 0, "warning": 1, "discrepancy": 1}),
        # pages 9: nothing fires; a claimed 9 for i (computed 10) is a discrepancy only
        (9, 9, {"error": 0, "warning": 0, "discrepancy": 1}),
        (9, None, {"error": 0, "warning": 0, "discrepancy": 0}),
    ],
)
def test_fail_on_levels(
    tmp_path: Path, run: Run, pages: int, claimed: int | None, expected: dict[str, int]
) -> None:
    (tmp_path / "sev.yaml").write_text(SEVERITIES, encoding="utf-8")
    claims = f"claimed:\n  indicators: {{i: {claimed}}}\n" if claimed is not None else ""
    facts = tmp_path / "f.yaml"
    facts.write_text(f"facts:\n  pages: {pages}\n{claims}", encoding="utf-8")
    rubric = str(tmp_path / "sev.yaml")
    for level, code in expected.items():
        assert run("score", str(facts), "--rubric", rubric, "--fail-on", level)[0] == code, level
    alias = run("score", str(facts), "--rubric", rubric, "--fail-on-discrepancy")[0]
    assert alias == expected["discrepancy"]
    assert run("score", str(facts), "--rubric", rubric)[0] == 0


def test_an_info_notice_alone_fails_nothing(tmp_path: Path, run: Run) -> None:
    # only the notice fires at pages 1; it is marked as one in the report
    text = SEVERITIES.replace("pages < 5", "pages < 1").replace(
        "title: sev", "title: sev\nlanguage: en"
    )
    (tmp_path / "sev.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "f.yaml").write_text("facts:\n  pages: 1\n", encoding="utf-8")
    rubric, facts = str(tmp_path / "sev.yaml"), str(tmp_path / "f.yaml")
    code, out, _ = run("score", facts, "--rubric", rubric, "--fail-on-discrepancy")
    assert code == 0
    assert "[truncated] (note) the sheet is cut off" in out
    data = json.loads(run("score", facts, "--rubric", rubric, "--format", "json")[1])
    assert data["warnings"] == [
        {"check": "truncated", "message": "the sheet is cut off", "severity": "info"}
    ]


def test_fail_on_in_test_flags_findings_the_case_does_not_expect(tmp_path: Path, run: Run) -> None:
    (tmp_path / "sev.yaml").write_text(SEVERITIES, encoding="utf-8")
    (tmp_path / "sev.cases.yaml").write_text(
        "rubric: sev.yaml\n"
        "cases:\n"
        "  - {name: listed, facts: {pages: 0}, expect: {total: 10, "
        "warnings: [truncated, thin, empty]}}\n"
        "  - {name: unlisted, facts: {pages: 3}, expect: {total: 10}}\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        "--lang", "en", "test", str(tmp_path / "sev.cases.yaml"), "--fail-on", "error"
    )
    assert code == 0  # the only error-severity check is listed by the case that fires it
    code, out, _ = run(
        "--lang", "en", "test", str(tmp_path / "sev.cases.yaml"), "--fail-on", "warning"
    )
    assert code == 1
    assert "--fail-on warning: warning [thin] few pages" in out
    assert run("--lang", "en", "test", str(tmp_path / "sev.cases.yaml"))[0] == 0


# output files that cannot be written -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("score", "f.yaml", "--rubric", "r.yaml", "-o", "{target}"),
        ("template", "r.yaml", "-o", "{target}"),
        ("schema", "-o", "{target}"),
    ],
)
def test_an_output_file_in_a_missing_folder_is_named_with_the_folder_to_make(
    work: Path, run: Run, argv: tuple[str, ...]
) -> None:
    # exit 4 (output not written) as every help says, the file named and what to do about it,
    # in the language of the run: the system's own words would be English
    target = str(Path("no", "such", "x.out"))
    code, out, err = run("--lang", "zh", *(a.format(target=target) for a in argv))
    assert (code, out) == (4, "")
    folder = str(Path("no", "such"))
    assert err == (
        f"perfscore: 无法写入 {target!r}：文件或文件夹不存在 [output-failed]\n"
        f"    提示：先创建文件夹 {folder!r}，或把输出写到别处\n"
    )
    assert not Path("no").exists()


def test_a_folder_where_a_scorecard_goes_fails_that_row_and_names_it(work: Path, run: Run) -> None:
    Path("cards").mkdir()
    (Path("cards") / "f.txt").mkdir()  # where the scorecard of f.yaml would go
    code, out, err = run(
        "--lang", "en", "score", "f.yaml", "ok.yaml", "--rubric", "r.yaml", "-o", "cards"
    )
    assert code == 4
    target = str(Path("cards", "f.txt"))
    lines = [line for line in out.splitlines() if "[output-failed]" in line]
    assert lines, out
    assert lines[0].endswith(f"cannot write {target!r}: it is a folder [output-failed]")
    assert (Path("cards") / "ok.txt").is_file()  # the other document's scorecard is written
    # on stderr as a single document's output failure is said, not as a usage error
    assert err.startswith(
        f"f.yaml: perfscore: cannot write {target!r}: it is a folder [output-failed]\n"
        "    hint: a folder stands where the file goes: rename it, or write elsewhere\n"
    )


# mistyped arguments ----------------------------------------------------------------------------


def test_a_mistyped_option_names_the_one_meant_and_the_commands_help(run: Run, work: Path) -> None:
    code, out, err = run("--lang", "zh", "score", "f.yaml", "--frmat", "json")
    assert (code, out) == (2, "")
    assert err == (
        "UsageError: 无法识别的参数：--frmat json [bad-argument]\n"
        "    提示：是不是要写 '--format'？参见 'perfscore score --help'\n"
    )
    code, _, err = run("--lang", "en", "check", "r.yaml", "--strcit")
    assert code == 2
    assert err.endswith("    hint: did you mean '--strict'? see 'perfscore check --help'\n")
    code, _, err = run("--lang", "en", "check", "r.yaml", "--zzz")  # nothing close
    assert err.endswith("    hint: see 'perfscore check --help'\n")


def test_a_rubric_id_without_its_version_lists_the_versions(run: Run, work: Path) -> None:
    code, _, err = run("--lang", "en", "check", "dept-overall-huizhou")
    assert code == 2
    assert (
        "UsageError: 'dept-overall-huizhou' names a rubric without its version [rubric-not-found]"
        in err
    )
    assert (
        "    hint: write id@version; dept-overall-huizhou has dept-overall-huizhou@2022.1, "
        "dept-overall-huizhou@2022.2"
    ) in err
    # a name that is no rubric's id is a file that is not there, as before
    code, _, err = run("--lang", "en", "check", "nosuch")
    assert code == 2
    assert "cannot open 'nosuch': no such file or folder [file-not-found]" in err

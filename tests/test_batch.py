"""`perfscore score PATH...`: many documents, the summary, -o DIR, --jobs, progress, stdin, JSONL.

The rubric is tests/data/demo.yaml: rate 95 and 2 problems score 5.5 + 3 = 8.5 (差); rate 100
scores 10 (优); rate 90 and 1 problem score 5 + 3.5 = 8.5 (差).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore._tools import _batch

Run = Callable[..., tuple[int, str, str]]


def facts(rate: int, problems: int = 0, subject: str = "甲", claimed: str = "") -> str:
    return textwrap.dedent(
        f"""\
        rubric: demo@1
        subject: {subject}
        period: "2024"
        facts: {{rate: {rate}, problems: {problems}}}
        """
    ) + (f"claimed: {claimed}\n" if claimed else "")


@pytest.fixture
def bureau(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_rubric: str) -> Path:
    """rubrics/demo/1.yaml (a search-path folder) and a folder of three departments' facts."""
    (tmp_path / "rubrics" / "demo").mkdir(parents=True)
    (tmp_path / "rubrics" / "demo" / "1.yaml").write_text(demo_rubric, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(demo_rubric, encoding="utf-8")
    depts = tmp_path / "depts"
    (depts / "east").mkdir(parents=True)
    (depts / "a.yaml").write_text(facts(95, 2, "甲", "{total: 10}"), encoding="utf-8")
    (depts / "b.yaml").write_text(facts(100, 0, "乙"), encoding="utf-8")
    (depts / "east" / "c.json").write_text(
        json.dumps(
            {
                "rubric": "demo@1",
                "subject": "丙",
                "period": "2024",
                "facts": {"rate": 90, "problems": 1},
            }
        ),
        encoding="utf-8",
    )
    (depts / "notes.txt").write_text("not a document", encoding="utf-8")
    (depts / "r.cases.yaml").write_text("cases: []\n", encoding="utf-8")
    # the lock file Excel keeps beside an open workbook (165 bytes: the user's name, no zip)
    (depts / "~$a.xlsx").write_bytes(b"\x06clerk" + bytes(158))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PERFSCORE_RUBRIC_PATH", str(tmp_path / "rubrics"))
    monkeypatch.delenv("PERFSCORE_DEBUG", raising=False)
    return tmp_path


def table(out: str) -> list[list[str]]:
    """The rows of the text summary, cells split on runs of two spaces (the last line dropped)."""
    import re

    return [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()[:-1]]


def test_a_folder_is_scored_as_a_summary_ranked_by_total(bureau: Path, run: Run) -> None:
    code, out, err = run("score", "depts")
    assert (code, err) == (0, "")
    assert table(out) == [
        ["文件", "单位", "年度", "总分", "等级", "自评总分", "不符", "警告", "排名"],
        # a.yaml claims a total of 10 for 8.5: one discrepancy, as its report counts it
        [str(Path("depts/a.yaml")), "甲", "2024", "8.5", "差", "10", "1", "0", "2"],
        [str(Path("depts/b.yaml")), "乙", "2024", "10", "优", "0", "0", "1"],
        [str(Path("depts/east/c.json")), "丙", "2024", "8.5", "差", "0", "0", "2"],
    ]
    assert out.splitlines()[-1] == "共 3 份：3 份已评分，0 份无法使用"


def test_one_broken_input_never_stops_the_batch(bureau: Path, run: Run) -> None:
    Path("broken.yaml").write_text("facts: [\n", encoding="utf-8")
    Path("wrong.yaml").write_text(facts(95).replace("rate: 95", "rate: 95%"), encoding="utf-8")
    code, out, err = run(
        "--lang", "en", "score", "depts/b.yaml", "broken.yaml", "nowhere.yaml", "wrong.yaml"
    )
    assert code == 2
    rows = table(out)
    assert rows[1][:5] == ["depts/b.yaml", "乙", "2024", "10", "优"]
    assert rows[2] == [
        "broken.yaml",
        "broken.yaml:2:1: did not find expected node content [yaml-syntax]",
    ]
    assert rows[3] == ["nowhere.yaml", "no such file or folder: nowhere.yaml [file-not-found]"]
    assert rows[4][0] == "wrong.yaml"
    # the problem names what it is about, as stderr does
    assert rows[4][1].startswith(
        "wrong.yaml:4:15: fact 'rate': expected a percent number, got text '95%'"
    )
    assert out.splitlines()[-1] == "4 documents: 1 scored, 3 unusable"  # --lang en: the table too
    # every error in full on stderr, in input order
    assert err.startswith("DocumentError: broken.yaml:2:1: did not find expected node content")
    assert "UsageError: no such file or folder: nowhere.yaml [file-not-found]" in err
    assert "FactsError: wrong.yaml: 1 problem(s) in the facts" in err
    assert "Traceback" not in err


def test_exit_1_only_when_asked_to_fail_on_a_discrepancy(bureau: Path, run: Run) -> None:
    assert run("score", "depts")[0] == 0
    assert run("score", "depts", "--fail-on-discrepancy")[0] == 1
    assert run("score", "depts/b.yaml", "depts/east", "--fail-on-discrepancy")[0] == 0
    # an unusable input outranks a discrepancy
    assert run("score", "depts", "nowhere", "--fail-on-discrepancy")[0] == 2
    # the level chooses: a.yaml's claimed total differs, and no check fired anywhere
    assert run("score", "depts", "--fail-on", "discrepancy")[0] == 1
    assert run("score", "depts", "--fail-on", "warning")[0] == 0
    assert run("score", "depts", "--fail-on", "error", "--jobs", "2")[0] == 0


def test_a_single_file_keeps_its_scorecard_output(bureau: Path, run: Run) -> None:
    code, out, err = run("score", "depts/a.yaml")
    assert (code, err) == (0, "")
    assert out.startswith("评分规则: 演示 (demo@1)") or "演示" in out.splitlines()[0]
    assert "文件" not in out  # no summary for one document
    assert run("score", "depts/a.yaml", "--format", "json")[1].startswith("{")


def test_stdin_is_one_document(bureau: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run("score", "depts/b.yaml", "--format", "json")[1]
    data = Path("depts/b.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run("score", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["total"] == json.loads(expected)["total"] == 10
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"facts: {rate: x\n")))
    code, out, err = run("score", "-", "depts/b.yaml")
    assert code == 2
    assert table(out)[1][0] == "-"
    assert err.startswith("DocumentError: <stdin>:")


def test_stdin_named_twice_is_one_document_said_once(
    bureau: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = Path("depts/b.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run("score", "-", "-")
    assert code == 0
    assert [row[0] for row in table(out)[1:]] == ["-"]  # scored once, not once and empty
    assert "- 给出了不止一次" in err


def test_a_single_file_into_a_folder_not_yet_made(bureau: Path, run: Run) -> None:
    code, _, err = run("score", "depts/a.yaml", "-o", "cards/")
    assert (code, err) == (0, "")
    assert Path("cards/a.txt").is_file()  # the folder made, as for many documents


def test_json_on_stdin_is_read_as_json(
    bureau: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = Path("depts/east/c.json").read_text(encoding="utf-8")
    cut = text[: text.index('"facts"') + 12]  # a JSON document cut short inside a text
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(cut.encode())))
    code, _, err = run("--lang", "en", "score", "-")
    assert code == 2
    assert err.startswith("DocumentError: <stdin>:1:")  # JSON's words, not YAML's
    assert err.rstrip().endswith("[json-syntax]")
    for data in (text, "{rubric: demo@1, facts: {rate: 100}}"):  # JSON, and YAML's flow style
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
        code, out, _ = run("score", "-", "--format", "json")
        assert code == 0
        assert json.loads(out)["total"] == (Decimal("8.5") if data is text else 10)


def test_jsonl_one_document_a_line_located_at_its_line(bureau: Path, run: Run) -> None:
    lines = [
        json.dumps({"rubric": "demo@1", "subject": "甲", "facts": {"rate": 100}}),
        "",
        json.dumps({"rubric": "demo@1", "subject": "乙", "facts": {"rate": "x"}}),
        '{"rubric": "demo@1", "facts": {',
        json.dumps({"rubric": "demo@1", "subject": "丁", "facts": {"rate": 95, "problems": 2}}),
    ]
    Path("all.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("--lang", "en", "score", "all.jsonl")
    assert code == 2
    rows = table(out)
    assert [r[0] for r in rows[1:]] == ["all.jsonl:1", "all.jsonl:3", "all.jsonl:4", "all.jsonl:5"]
    assert rows[1][1:5] == ["甲", "10", "优", "0"]
    # the wrong value is reported at its line of the file, at its column within the line
    column = lines[2].index('"x"') + 1
    assert rows[2][1].startswith(f"all.jsonl:3:{column}: fact 'rate': expected a percent number")
    assert rows[3][1].startswith("all.jsonl:4:")
    assert rows[4][1:5] == ["丁", "8.5", "差", "0"]
    assert f"all.jsonl:3:{column}: fact 'rate'" in err


def test_output_folder_gets_one_scorecard_per_document(bureau: Path, run: Run) -> None:
    code, out, _ = run("score", "depts", "-o", "cards", "--format", "json")
    assert code == 0
    written = sorted(p.relative_to("cards").as_posix() for p in Path("cards").rglob("*.json"))
    assert written == ["a.json", "b.json", "east/c.json"]
    card = json.loads(Path("cards/east/c.json").read_text(encoding="utf-8"))
    assert (card["subject"], card["total"]) == ("丙", 8.5)
    # stdout holds the summary, as JSON under --format json
    summary = json.loads(out)
    assert [r["written"] for r in summary] == [
        str(Path("cards/a.json")),
        str(Path("cards/b.json")),
        str(Path("cards/east/c.json")),
    ]
    run("score", "depts", "-o", "cards")
    assert Path("cards/b.txt").read_text(encoding="utf-8") == run("score", "depts/b.yaml")[1]


def test_two_documents_for_one_output_file_are_refused_before_scoring(
    bureau: Path, run: Run
) -> None:
    Path("other").mkdir()
    Path("other/a.yaml").write_text(facts(100), encoding="utf-8")
    code, out, err = run("--lang", "en", "score", "depts/a.yaml", "other/a.yaml", "-o", "cards")
    assert (code, out) == (2, "")
    assert "would both be written to" in err
    assert not Path("cards").exists() or not list(Path("cards").iterdir())


@pytest.mark.parametrize(
    ("argv", "option", "target", "name"),
    [
        # the facts file itself, as -o and as --summary, by its own name
        (["depts/a.yaml", "-o", "depts/a.yaml"], "-o", "depts/a.yaml", "depts/a.yaml"),
        (
            ["depts/east/c.json", "--summary", "depts/east/c.json"],
            "--summary",
            "depts/east/c.json",
            "depts/east/c.json",
        ),
        # a folder of JSON facts scored into itself as JSON: east/c.json's scorecard is
        # east/c.json (the folder's layout is kept under -o)
        (
            ["depts/", "-o", "depts", "--format", "json"],
            "-o",
            "depts/east/c.json",
            "depts/east/c.json",
        ),
        # the summary of a batch written over one of its documents
        (
            ["depts/a.yaml", "depts/east/c.json", "--summary", "depts/east/c.json"],
            "--summary",
            "depts/east/c.json",
            "depts/east/c.json",
        ),
        # another path to the same file: a link
        (["depts/a.yaml", "-o", "link.yaml"], "-o", "link.yaml", "depts/a.yaml"),
    ],
)
def test_an_output_that_is_a_document_being_scored_is_refused_before_anything_is_written(
    bureau: Path, run: Run, argv: list[str], option: str, target: str, name: str
) -> None:
    Path("link.yaml").symlink_to(bureau / "depts" / "a.yaml")
    before = {p: p.read_bytes() for p in Path("depts").rglob("*") if p.is_file()}
    code, out, err = run("--lang", "en", "score", *argv)
    assert (code, out) == (2, "")
    if "--format" in argv:  # --format json says its errors as JSON
        (problem,) = json.loads(err)["problems"]
        said = problem["message"]
    else:
        said = err.splitlines()[0].removeprefix("UsageError: ").removesuffix(" [bad-argument]")
    assert said == (
        f"{option} {target} is {name}, a document being scored: writing there would replace it"
    )
    assert {p: p.read_bytes() for p in Path("depts").rglob("*") if p.is_file()} == before
    assert not Path("depts/a.json").exists()  # nothing else was written either


def test_one_document_with_output_file(bureau: Path, run: Run) -> None:
    stdout = run("score", "depts/a.yaml", "--format", "markdown")[1]
    assert run("score", "depts/a.yaml", "--format", "markdown", "-o", "a.md") == (0, "", "")
    assert Path("a.md").read_text(encoding="utf-8") == stdout
    Path("into").mkdir()
    assert run("score", "depts/a.yaml", "-o", "into")[0] == 0
    assert Path("into/a.txt").exists()


def test_summary_csv(bureau: Path, run: Run) -> None:
    code, _, _ = run("score", "depts", "nowhere.yaml", "--summary", "s.csv")
    assert code == 2
    raw = Path("s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so a spreadsheet reads the headings as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "文件",
        "单位",
        "年度",
        "总分",
        "等级",
        "自评总分",
        "不符",
        "警告",
        "排名",
        "问题",
        "评分规则",
    ]
    assert rows[2] == [
        str(Path("depts/b.yaml")), "乙", "2024", "10", "优", "", "0", "0", "1", "", "demo@1"
    ]  # fmt: skip
    assert rows[4][0] == "nowhere.yaml"
    assert rows[4][10] == ""  # no rubric was reached
    # the unusable input's problem in the rubric's language (the bundled words of the command)
    assert rows[4][9] == "没有这个文件或文件夹：nowhere.yaml [file-not-found]"


def test_summary_json_has_exact_numbers(bureau: Path, run: Run) -> None:
    run("score", "depts", "--summary", "s.json")
    rows = json.loads(Path("s.json").read_text(encoding="utf-8"), parse_float=Decimal)
    assert rows[0] == {
        "input": str(Path("depts/a.yaml")),
        "subject": "甲",
        "period": "2024",
        "total": Decimal("8.5"),
        "grade": "差",
        "claimed_total": 10,
        "discrepancies": 1,
        "warnings": 0,
        "rank": 2,
        "problem": None,
        "rubric": "demo@1",
    }


def test_summary_xlsx(bureau: Path, run: Run) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert run("score", "depts", "--summary", "s.xlsx")[0] == 0
    sheet = openpyxl.load_workbook("s.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["文件", "单位", "年度", "总分"]
    assert values[1][3] == 8.5
    assert values[2][3] == 10
    assert values[2][8] == 1


def test_summary_xlsx_keeps_formula_like_text_as_the_text_itself(bureau: Path, run: Run) -> None:
    # a subject a spreadsheet would run as a formula is stored as text, unchanged (no "'"
    # put in front of it, which changed the value and made an empty subject "'")
    openpyxl = pytest.importorskip("openpyxl")
    subject = '\'=HYPERLINK("http://evil.example/x", "点此")\''
    Path("depts/b.yaml").write_text(facts(100, 0, subject), encoding="utf-8")
    Path("depts/a.yaml").write_text(facts(95, 2, "'-甲'"), encoding="utf-8")
    assert run("score", "depts", "--summary", "s.xlsx")[0] == 0
    rows = list(openpyxl.load_workbook("s.xlsx").active.iter_rows(min_row=2))
    cells = {row[0].value: row[1] for row in rows}
    b, a = cells[str(Path("depts/b.yaml"))], cells[str(Path("depts/a.yaml"))]
    assert (b.value, b.data_type) == ('=HYPERLINK("http://evil.example/x", "点此")', "s")
    assert (a.value, a.data_type) == ("-甲", "s")
    # and edited in Excel or LibreOffice they stay text, as in the xlsx scorecard
    assert b.quotePrefix
    assert a.quotePrefix
    # one rubric in the batch: the screen leaves the rubric column out, the file has it
    assert rows[0][10].value == "demo@1"
    assert "demo@1" not in run("score", "depts")[1]


def test_summary_xlsx_without_openpyxl_names_the_extra(
    bureau: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import fails as when not installed
    code, out, err = run("--lang", "en", "score", "depts", "--summary", "s.xlsx")
    assert (code, out) == (2, "")
    assert "needs openpyxl" in err
    assert "pip install 'perfscore[xlsx]'" in err
    assert not Path("s.xlsx").exists()


def test_summary_with_an_unknown_suffix_is_refused_before_scoring(bureau: Path, run: Run) -> None:
    code, out, err = run("--lang", "en", "score", "depts", "--summary", "s.txt")
    assert (code, out) == (2, "")
    assert err.startswith("UsageError: --summary s.txt: cannot tell the format")


def test_english_headings_for_an_english_rubric(bureau: Path, run: Run, demo_rubric: str) -> None:
    english = demo_rubric.replace("title: 演示", "title: Demo\nlanguage: en")
    Path("rubrics/demo/1.yaml").write_text(english, encoding="utf-8")
    code, out, _ = run("score", "depts", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "| File | Subject | Period | Total | Grade | Claimed total | Discrepancies | Warnings "
        "| Rank |"
    )
    assert lines[-1] == "3 documents: 3 scored, 0 unusable"


def test_ties_share_a_rank_and_the_next_skips() -> None:
    rows = [
        _batch.Row("a", rubric="x@1", total=Decimal("8.5")),
        _batch.Row("b", rubric="x@1", total=Decimal("10")),
        _batch.Row("c", rubric="x@1", total=Decimal("8.50")),
        _batch.Row("d", rubric="x@1", total=Decimal("7")),
        _batch.Row("e", rubric="y@1", total=Decimal("1")),
        _batch.Row("f", problem="bad"),
    ]
    assert [r.rank for r in _batch.rank_rows(rows)] == [2, 1, 2, 4, 1, None]


def test_jobs_score_the_same_as_one_process(bureau: Path, run: Run) -> None:
    for i in range(12):
        Path("depts", f"x{i:02}.yaml").write_text(facts(80 + i, i % 3), encoding="utf-8")
    serial = run("score", "depts", "--format", "json", "--no-trace")
    parallel = run("score", "depts", "--format", "json", "--no-trace", "--jobs", "2")
    assert parallel == serial
    assert len(json.loads(serial[1])) == 15


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_count(bureau: Path, run: Run, jobs: str) -> None:
    code, _, err = run("--lang", "en", "score", "depts", "--jobs", jobs)
    assert code == 2
    assert "expected a whole number from 1" in err


# progress -------------------------------------------------------------------------------------


def _perfscore(*argv: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from perfscore.cli import main; sys.exit(main())",
        *argv,
    ]


def test_no_progress_bar_when_stderr_is_not_a_terminal(bureau: Path) -> None:
    done = subprocess.run(
        _perfscore("score", "depts"),
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=bureau,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.skipif(sys.platform == "win32", reason="a pty is POSIX")
@pytest.mark.parametrize("quiet", [False, True])
def test_a_progress_bar_on_a_terminal_unless_quiet(bureau: Path, quiet: bool) -> None:
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    # a terminal of 80 columns: a new pty has none, and a bar 0 columns wide draws nothing
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    argv = ["score", "depts", "-o", "cards"] + (["--quiet"] if quiet else [])
    shown = b""
    try:
        process = subprocess.Popen(
            _perfscore(*argv), stdout=subprocess.DEVNULL, stderr=child, cwd=bureau
        )
        os.close(child)  # read until the child closes the terminal: then reading fails
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        returncode = process.wait(timeout=60)
    finally:
        os.close(main)
    assert returncode == 0
    if quiet:
        assert shown == b""
    else:
        assert b"0/3" in shown
        assert "评分".encode() in shown  # the bar in the rubric's language: 评分 ... 份/s
        assert "份/s".encode() in shown


# the rubric search path ----------------------------------------------------------------------


def test_a_rubric_dir_resolves_id_at_version(
    bureau: Path, run: Run, monkeypatch: pytest.MonkeyPatch, demo_rubric: str
) -> None:
    monkeypatch.delenv("PERFSCORE_RUBRIC_PATH")
    code, _, err = run("--lang", "en", "score", "depts/b.yaml")
    assert code == 2
    assert "no bundled rubric 'demo@1'" in err
    assert run("--lang", "en", "score", "depts/b.yaml", "--rubric-dir", "rubrics")[0] == 0
    assert (
        run(
            "--lang", "en", "score", "depts/b.yaml", "--rubric", "demo@1", "--rubric-dir", "rubrics"
        )[0]
        == 0
    )
    assert run("--lang", "en", "check", "demo@1", "--rubric-dir", "rubrics")[0] == 0
    assert (
        "\nrubric: demo@1\n"
        in run("--lang", "en", "template", "demo@1", "--rubric-dir", "rubrics")[1]
    )


def test_the_search_path_names_where_it_looked(bureau: Path, run: Run) -> None:
    code, _, err = run("--lang", "en", "score", "depts/b.yaml", "--rubric", "demo@7")
    assert code == 2
    assert err.startswith(
        "UsageError: no rubric 'demo@7' in the search path or among the bundled ones"
    )
    assert f"search path: {bureau / 'rubrics'}" in err


def test_the_first_folder_of_the_search_path_wins(bureau: Path, run: Run, demo_rubric: str) -> None:
    Path("mine/demo").mkdir(parents=True)
    # the same rubric with a title of its own, to see which one scored
    Path("mine/demo/1.yaml").write_text(demo_rubric.replace("演示", "本局"), encoding="utf-8")
    out = run("score", "depts/b.yaml", "--rubric-dir", "mine", "--format", "json")[1]
    assert json.loads(out)["rubric"]["title"] == "本局"
    assert (
        json.loads(run("score", "depts/b.yaml", "--format", "json")[1])["rubric"]["title"] == "演示"
    )


def test_rubrics_lists_the_search_path_with_its_origin(bureau: Path, run: Run) -> None:
    Path("mine/demo").mkdir(parents=True)
    Path("mine/demo/1.yaml").write_text(Path("r.yaml").read_text("utf-8"), encoding="utf-8")
    Path("mine/demo/1.cases.yaml").write_text("cases: []\n", encoding="utf-8")
    code, out, _ = run("--lang", "en", "rubrics", "--rubric-dir", "mine")
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["demo@1", "mine"]
    assert lines[1] == [
        "demo@1",
        str(bureau / "rubrics"),
        "(shadowed",
        "by",
        "the",
        "one",
        "above)",
    ]
    assert ["dept-overall-huizhou@2022.1", "bundled"] in lines


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_search_path_link_out_of_its_folder_is_refused(
    bureau: Path, run: Run, tmp_path_factory: pytest.TempPathFactory, demo_rubric: str
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "1.yaml"
    outside.write_text(demo_rubric, encoding="utf-8")
    Path("linked/demo").mkdir(parents=True)
    Path("linked/demo/1.yaml").symlink_to(outside)
    code, _, err = run("--lang", "en", "score", "depts/b.yaml", "--rubric-dir", "linked")
    assert code == 2
    assert "outside that folder [path-outside-tree]" in err


@pytest.mark.parametrize("ref", ["../rubrics@1", "demo@../1", "demo/x@1", "@1", "demo@"])
def test_a_reference_cannot_walk_out_of_the_search_path(bureau: Path, ref: str) -> None:
    from perfscore import _rubric
    from perfscore._errors import UsageError

    with pytest.raises(UsageError) as caught:
        _rubric.find_rubric(ref, dirs=["rubrics/demo"])
    assert caught.value.code == "rubric-not-found"


def test_a_bug_on_one_document_is_its_row_and_exit_3(
    bureau: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _batch.read_source

    def read(source: _batch.Source, encoding: str | None = None) -> object:
        if source.name.endswith("b.yaml"):
            raise RuntimeError("boom")
        return real(source, encoding)

    monkeypatch.setattr(_batch, "read_source", read)
    code, out, err = run("--lang", "en", "score", "depts")
    assert code == 3
    rows = table(out)
    assert rows[2][0].endswith("b.yaml")
    assert rows[2][1].startswith("internal error: RuntimeError: boom")
    assert [r[3] for r in (rows[1], rows[3])] == ["8.5", "8.5"]  # the others are scored
    assert "perfscore: internal error: RuntimeError: boom" in err
    assert "Traceback" not in err


def test_a_scorecard_that_cannot_be_written_is_its_row_and_exit_4(bureau: Path, run: Run) -> None:
    Path("cards/b.txt").mkdir(parents=True)  # a folder where the scorecard should go
    code, out, err = run("--lang", "en", "score", "depts", "-o", "cards")
    assert code == 4
    rows = table(out)
    assert rows[2][-1].startswith(f"cannot write {str(Path('cards/b.txt'))!r}")
    assert rows[2][-1].endswith("[output-failed]")
    assert Path("cards/a.txt").is_file()
    assert Path("cards/east/c.txt").is_file()
    assert "[output-failed]" in err


def test_a_cut_off_document_shows_its_total_range_and_reachable_grades(
    bureau: Path, run: Run
) -> None:
    # 问题数 cannot be read: 支出率 100 scores spend 6 in full, 合规 lies in [0, 4] (4 less 0.5
    # per problem, at least 0), so the total is [6, 10], 差 below 9 and 优 from 9 on
    (bureau / "cut.yaml").write_text(
        'rubric: demo@1\nsubject: 丁\nperiod: "2024"\n'
        "facts: {rate: 100, problems: {unknown: 原表截断}}\n",
        encoding="utf-8",
    )
    code, out, _ = run("score", "cut.yaml", "depts/b.yaml")
    assert code == 0
    row = table(out)[1]
    assert row[:4] == ["cut.yaml", "丁", "2024", "[6, 10]"]
    assert set(row[4].split("或")) == {"优", "差"}
    assert len(table(out)[1]) == len(table(out)[2]) - 1  # unranked: its total is not one number
    code, out, _ = run("score", "cut.yaml", "depts/b.yaml", "--format", "json")
    record = json.loads(out)[0]
    assert record["total"] is None
    assert record["total_range"] == {"min": 6, "max": 10}


def test_a_document_named_twice_is_scored_and_ranked_once(bureau: Path, run: Run) -> None:
    # by two arguments, or by a folder and a file in it: one row, and a warning for each repeat
    code, out, err = run("score", "depts/a.yaml", "depts", "depts/a.yaml")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith(str(Path("depts")))]
    assert [r.split()[0] for r in rows] == [
        str(Path("depts/a.yaml")),
        str(Path("depts/b.yaml")),
        str(Path("depts/east/c.json")),
    ]
    a = str(Path("depts/a.yaml"))
    assert err == (
        f"警告：{a} 给出了不止一次：只评一次 [bad-argument]\n"
        f"警告：{a} 给出了不止一次：只评一次 [bad-argument]\n"
    )
    assert out.splitlines()[-1] == "共 3 份：3 份已评分，0 份无法使用"


def test_a_document_reached_by_two_names_is_scored_once_and_says_both(
    bureau: Path, run: Run
) -> None:
    # a link to a file beside the file itself: the same document, named two ways
    link = Path("depts/a-link.yaml")
    try:
        link.symlink_to("a.yaml")
    except OSError:  # a system without symbolic links for this user
        pytest.skip("symbolic links are not available")
    code, out, err = run("score", "depts/a.yaml", str(link))
    assert code == 0
    a = str(Path("depts/a.yaml"))
    assert err == f"警告：{link} 与 {a} 是同一份文档：只评一次 [bad-argument]\n"
    assert out.splitlines()[-1] == "共 1 份：1 份已评分，0 份无法使用"
    code, _, err = run("score", "depts/a.yaml", str(link), "--lang", "en")
    assert err == f"warning: {link} is {a} again: scored once [bad-argument]\n"


def test_an_old_xls_report_in_a_folder_is_listed_as_unusable_not_passed_over(
    bureau: Path, run: Run
) -> None:
    # a reviewer's folder with one report still in the old binary format: it was left out of
    # the batch, its count and its summary without a word
    Path("depts/old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    Path("depts/notes.txt").write_text("备注", encoding="utf-8")  # no document: not searched
    code, out, err = run("score", "depts", "--summary", "s.csv")
    assert code == 2
    old = str(Path("depts/old.xls"))
    assert f"{old}: 文件不是 xlsx 工作簿（不是 zip 压缩包） [not-a-workbook]" in err
    assert "这是旧版二进制 .xls 文件（或加密的工作簿）：请另存为 .xlsx" in err
    assert out.splitlines()[-1] == "共 4 份：3 份已评分，1 份无法使用"
    rows = Path("s.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [r.split(",")[0] for r in rows[1:]].count(old) == 1
    assert "notes.txt" not in out + err


def test_o_files_suffix_chooses_the_format_and_a_contradicting_format_is_refused(
    bureau: Path, run: Run
) -> None:
    # `-o card.xlsx` wrote the text report into a file Excel then could not open
    pytest.importorskip("openpyxl")
    assert run("score", "depts/a.yaml", "-o", "card.xlsx")[0] == 0
    assert Path("card.xlsx").read_bytes()[:2] == b"PK"  # a workbook
    assert run("score", "depts/a.yaml", "-o", "card.json")[0] == 0
    assert json.loads(Path("card.json").read_text(encoding="utf-8"))["total"] == 8.5
    assert run("score", "depts/a.yaml", "-o", "card.out")[0] == 0  # no format's suffix: text
    assert Path("card.out").read_text(encoding="utf-8").startswith("演示  [demo@1]")
    code, out, err = run("score", "depts/a.yaml", "-o", "card.html", "--format", "text")
    assert (code, out) == (2, "")
    assert err == (
        "UsageError: -o card.html 的后缀 .html 是 html 文件，但 --format 是 text [bad-argument]\n"
        "    提示：去掉 --format，由后缀决定格式；或写到 card.txt\n"
    )
    assert not Path("card.html").exists()
    # the format given and the suffix agree, or a folder: as before
    assert run("score", "depts/a.yaml", "-o", "c2.json", "--format", "json")[0] == 0
    Path("cards").mkdir()
    assert run("score", "depts/a.yaml", "-o", "cards")[0] == 0
    assert Path("cards/a.txt").exists()


def test_the_problem_is_the_screens_last_column_so_nothing_is_padded_to_it(
    bureau: Path, run: Run
) -> None:
    # two rubrics bring the 评分规则 column, which stood after 问题: every row was padded to the
    # longest problem, some 300 columns
    root = Path(__file__).resolve().parents[1]
    Path("depts/dept.yaml").write_bytes(
        (root / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml").read_bytes()
    )
    Path("depts/broken.yaml").write_text("rubric: demo@1\nfacts: {rate: [95\n", encoding="utf-8")
    code, out, _ = run("score", "depts")
    assert code == 2
    lines = out.splitlines()
    assert lines[0].split()[-2:] == ["评分规则", "问题"]
    widest_problem = max(len(line) for line in lines if "broken.yaml" in line)
    assert all(len(line) < widest_problem for line in lines[1:-1] if "broken.yaml" not in line)


def test_o_with_a_files_name_for_several_documents_is_refused_with_summary_meant(
    bureau: Path, run: Run
) -> None:
    # -o is a folder of scorecards when several documents are scored; a name such as
    # all.xlsx made a folder called all.xlsx, when --summary all.xlsx was meant
    code, out, err = run("score", "depts", "-o", "all.xlsx", "--format", "xlsx")
    assert (code, out) == (2, "")
    assert err == (
        "UsageError: -o all.xlsx 是文件名，但要评 3 份文档：这时 -o 应为文件夹，每份文档在其中写"
        "一份评分表 [bad-argument]\n"
        "    提示：要把所有文档汇成一张表，请用 --summary all.xlsx；要每份一张评分表，请写文件夹名"
        "（-o 评分表/）\n"
    )
    assert not Path("all.xlsx").exists()
    Path("cards.json").mkdir()  # a folder that exists is a folder, whatever its name
    assert run("score", "depts", "-o", "cards.json", "--format", "json")[0] == 0
    assert (Path("cards.json") / "b.json").is_file()


def test_a_link_to_nothing_in_a_folder_is_an_unusable_row_not_passed_over(
    bureau: Path, run: Run
) -> None:
    Path("depts/gone.yaml").symlink_to(bureau / "nowhere.yaml")
    code, out, _ = run("--lang", "en", "score", "depts/")
    assert code == 2
    gone = next(r for r in table(out) if r[0] == "depts/gone.yaml")
    assert gone[1] == (
        "depts/gone.yaml: cannot open 'depts/gone.yaml': no such file or folder [file-not-found]"
    )
    assert out.splitlines()[-1] == "4 documents: 3 scored, 1 unusable"

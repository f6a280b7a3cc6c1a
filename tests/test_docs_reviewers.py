"""Every command of docs/reviewers.zh.md runs, on the folder that page describes, as it says.

The page's ``$ perfscore ...`` lines (and its Windows ``> .venv\\Scripts\\perfscore ...``
lines, the same commands) are taken as written; each must be one this test knows, with the exit
code and the output the page promises, written here by hand. The install lines need a package
index and are not run.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "reviewers.zh.md"

Run = Callable[..., tuple[int, str, str]]

#: the folder of the page: its file names, and the example each is
FOLDER = {
    "大亚湾组织部.yaml": "huizhou-dayawan-zuzhibu-2022.yaml",
    "大亚湾组织部-一致.yaml": "huizhou-dayawan-zuzhibu-2022-consistent.yaml",
    "大亚湾组织部-截断.yaml": "huizhou-dayawan-zuzhibu-2022-truncated.yaml",
    "棠溪镇.yaml": "project-sheet-chizhou-2022.yaml",
    "古城区自然资源局.yaml": "project-sheet-lijiang-2020.yaml",
}

#: every command of the page and the exit code the page gives it
EXPECTED = {
    "perfscore --version": 0,
    "perfscore score 目录/ --jobs 2 --summary 汇总.xlsx": 0,
    "perfscore score 目录/ -o 评分表/ --format xlsx --jobs 2 --summary 汇总.xlsx": 0,
    "perfscore score 目录/大亚湾组织部-截断.yaml": 0,
    "perfscore score 目录/ --fail-on discrepancy -q": 1,  # two documents' claims differ
    "perfscore --lang en score 目录/": 0,
    "perfscore score --help": 0,
}


def commands() -> list[str]:
    """The page's commands, Windows ones in their POSIX spelling."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.findall(r"^\$ (perfscore .*)$", text, re.M)
    for line in re.findall(r"^> \.venv\\Scripts\\(perfscore .*)$", text, re.M):
        found.append(line.replace("\\", "/"))
    return found


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "目录").mkdir()
    for name, example in FOLDER.items():
        shutil.copy(ROOT / "examples" / example, tmp_path / "目录" / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFSCORE_LANG", raising=False)
    return tmp_path


def test_the_page_has_only_commands_this_test_knows() -> None:
    found = commands()
    assert set(found) <= set(EXPECTED), set(found) - set(EXPECTED)
    assert set(EXPECTED) <= set(found)  # nothing here that the page lost
    assert len([c for c in found if c.startswith("perfscore score 目录/ ")]) >= 6  # + Windows


@pytest.mark.parametrize("command", sorted(set(commands())))
def test_every_command_of_the_page_runs_as_it_says(folder: Path, run: Run, command: str) -> None:
    code, _, err = run(*shlex.split(command)[1:])
    assert code == EXPECTED[command], err
    assert "Traceback" not in err


def test_the_summary_is_the_one_the_page_describes(folder: Path, run: Run) -> None:
    code, out, err = run("score", "目录/", "--jobs", "2", "--summary", "汇总.xlsx")
    assert (code, err) == (0, "")
    head = out.splitlines()[0].split()
    # two rubrics in the folder (department and project sheets): ranks are within each, so
    # the screen shows which rubric each row was scored by
    assert head == [
        "文件",
        "单位",
        "年度",
        "总分",
        "等级",
        "自评总分",
        "不符",
        "警告",
        "排名",
        "评分规则",
    ]
    assert out.splitlines()[-1] == "共 5 份：5 份已评分，0 份无法使用"
    truncated = next(line for line in out.splitlines() if "截断" in line)
    assert "[60, 105]" in truncated
    assert "优或良或中" in truncated
    import openpyxl

    sheet = openpyxl.load_workbook(folder / "汇总.xlsx").active
    assert [c.value for c in sheet[1]] == [*head[:9], "问题", "评分规则"]
    rubrics = {row[10].value for row in sheet.iter_rows(min_row=2)}
    assert rubrics == {"dept-overall-huizhou@2022.1", "project-sheet-national@2020.1"}
    # --fail-on discrepancy fails because of the documents whose 不符 is not 0: two of them
    summary = folder / "s.json"
    run("score", "目录/", "--summary", str(summary))
    rows = json.loads(summary.read_text(encoding="utf-8"))
    assert sum(1 for row in rows if row["discrepancies"]) == 2


def test_the_scorecards_and_the_range_the_page_shows(folder: Path, run: Run) -> None:
    run("score", "目录/", "-o", "评分表/", "--format", "xlsx", "--jobs", "2")
    assert sorted(p.name for p in (folder / "评分表").iterdir()) == sorted(
        name.replace(".yaml", ".xlsx") for name in FOLDER
    )
    out = run("score", "目录/大亚湾组织部-截断.yaml")[1]
    assert "总分: [60, 105]" in out
    assert "等级: 优或良或中" in out
    assert "核查 [completion_counts] 读取未知数据，无法判断是否成立" in out
    assert "[spend_rate_mismatch] 报告所述部门预算资金支出率 95.87% 与支出表计算的 100%" in out


def test_lang_en_changes_the_summary_not_the_scorecard(folder: Path, run: Run) -> None:
    out = run("--lang", "en", "score", "目录/")[1]
    assert out.splitlines()[0].split()[:4] == ["File", "Subject", "Period", "Total"]
    single = run("--lang", "en", "score", "目录/大亚湾组织部-截断.yaml")[1]
    assert "总分: [60, 105]" in single  # the scorecard stays in its rubric's language

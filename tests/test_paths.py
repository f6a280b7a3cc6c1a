"""References inside documents (extends, a case file's rubric and base) stay in their own tree.

A rubric or a case file comes from someone else; the paths it names are refused, before
anything is opened, when they lead outside the folder holding it (absolute paths, ``..``
chains, symlinks whose target is outside), unless the person running perfscore named the
folder. Errors never quote a file that is not a rubric.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import perfscore
from perfscore import DocumentError, PerfscoreError
from perfscore._tools._cases import load_cases

ROOT = Path(__file__).resolve().parents[1]
Run = Callable[..., tuple[int, str, str]]
OUTSIDER = "root:x:0:0:root:/root:/bin/bash\nprivate-token: hunter2\n"  # never to be quoted
BASE_FACTS = "rubric: demo@1\nfacts: {rate: 95, problems: 2}\n"
CASES = "rubric: {rubric}\nbase: {base}\ncases:\n  - name: spend\n    expect: {{total: 8.5}}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(exc: PerfscoreError) -> str:
    (problem,) = exc.problems
    assert problem.code == "path-outside-tree"
    text = exc.render()
    assert "hunter2" not in text
    assert "root:x" not in text
    return text


@pytest.fixture
def tree(tmp_path: Path, demo_rubric: str) -> Path:
    """tmp/outside/secret.yaml beside tmp/tree/{base.yaml, sub/base.yaml}."""
    write(tmp_path / "outside" / "secret.yaml", OUTSIDER)
    write(tmp_path / "outside" / "demo.yaml", demo_rubric)
    write(tmp_path / "tree" / "base.yaml", demo_rubric)
    write(tmp_path / "tree" / "sub" / "base.yaml", demo_rubric)
    return tmp_path / "tree"


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("{outside}/secret.yaml", "is an absolute path"),
        ("../outside/secret.yaml", "leads outside the folder of"),
        ("sub/../../outside/secret.yaml", "leads outside"),
        ("../outside/demo.yaml", "leads outside"),
    ],
)
def test_extends_outside_the_tree_is_refused_at_its_line(tree: Path, ref: str, words: str) -> None:
    ref = ref.format(outside=tree.parent / "outside")
    child = write(tree / "child.yaml", f'id: demo\nextends: "{ref}"\n')
    with pytest.raises(DocumentError) as info:
        perfscore.load_rubric(child)
    text = refused(info.value)
    assert text.startswith(f"{child}:2:10: extends: ")
    assert words in text
    assert "hint: copy the file into" in text


def test_a_refused_reference_is_said_in_chinese_with_its_folder_set_apart(tree: Path) -> None:
    # the folder ran into the words: '引用不能超出child.yaml 所在的文件夹'
    outside = tree.parent / "outside" / "secret.yaml"
    child = write(tree / "child.yaml", f'id: demo\nextends: "{outside}"\n')
    with pytest.raises(DocumentError) as info:
        perfscore.load_rubric(child)
    line = info.value.problems[0].render("zh").splitlines()[0]
    assert line.startswith(f"{child}:2:10: extends: '")
    assert line.endswith(f" 是绝对路径；引用不能超出 {child} 所在的文件夹 [path-outside-tree]")


def test_extends_inside_the_tree_and_bundled_ids_still_load(tree: Path) -> None:
    for ref in ("base.yaml", "sub/base.yaml", "sub/../base.yaml", "./sub/base.yaml"):
        child = write(tree / "child.yaml", f'extends: "{ref}"\nversion: "2"\n')
        assert perfscore.load_rubric(child).chain == ("demo@1",)
    child = write(tree / "child.yaml", 'extends: dept-overall-huizhou@2022.1\nversion: "2"\n')
    assert perfscore.load_rubric(child).chain == ("dept-overall-huizhou@2022.1",)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_leaving_the_tree_counts_as_leaving_it(tree: Path) -> None:
    (tree / "link.yaml").symlink_to(tree.parent / "outside" / "secret.yaml")
    (tree / "linked").symlink_to(tree.parent / "outside", target_is_directory=True)
    (tree / "inner.yaml").symlink_to(tree / "sub" / "base.yaml")
    for ref in ("link.yaml", "linked/secret.yaml"):
        child = write(tree / "child.yaml", f"extends: {ref}\n")
        with pytest.raises(DocumentError) as info:
            perfscore.load_rubric(child)
        assert "symlink that leads outside" in refused(info.value)
    child = write(tree / "child.yaml", 'extends: inner.yaml\nversion: "2"\n')
    assert perfscore.load_rubric(child).chain == ("demo@1",)  # a link within the tree is fine


def test_a_refused_reference_is_not_opened(tree: Path) -> None:
    # a named pipe outside: opening it would block, so returning at all shows it was not opened
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    os.mkfifo(tree.parent / "outside" / "pipe.yaml")
    child = write(tree / "child.yaml", "extends: ../outside/pipe.yaml\n")
    with pytest.raises(DocumentError) as info:
        perfscore.load_rubric(child)
    refused(info.value)


@pytest.mark.parametrize(
    ("rubric", "base", "key"),
    [
        ("{outside}/demo.yaml", "base.yaml", "rubric"),
        ("../outside/demo.yaml", "base.yaml", "rubric"),
        ("r.yaml", "{outside}/secret.yaml", "base"),
        ("r.yaml", "../outside/secret.yaml", "base"),
        # a path with an '@' in it is a path, not an id@version that skips the check
        ("{outside}/pkg@1/demo.yaml", "base.yaml", "rubric"),
        ("../outside/pkg@1/demo.yaml", "base.yaml", "rubric"),
    ],
)
def test_a_case_file_reads_only_its_own_tree(
    tree: Path, demo_rubric: str, rubric: str, base: str, key: str
) -> None:
    outside = tree.parent / "outside"
    write(outside / "pkg@1" / "demo.yaml", demo_rubric)
    write(tree / "r.yaml", demo_rubric)
    write(tree / "base.yaml", BASE_FACTS)
    text = CASES.format(rubric=rubric.format(outside=outside), base=base.format(outside=outside))
    cases = write(tree / "r.cases.yaml", text)
    with pytest.raises(DocumentError) as info:
        load_cases(cases)
    line = 1 if key == "rubric" else 2
    assert refused(info.value).startswith(f"{cases}:{line}:")
    assert f": {key}: " in info.value.render()


def test_the_rubric_beside_a_case_file_may_not_link_out_of_its_tree(
    tree: Path, demo_rubric: str
) -> None:
    # x.cases.yaml without 'rubric:' tests x.yaml beside it: a link to a file outside is
    # refused as a written path's would be
    (tree / "x.yaml").symlink_to(tree.parent / "outside" / "demo.yaml")
    cases = write(tree / "x.cases.yaml", "cases:\n  - name: spend\n    expect: {total: 8.5}\n")
    with pytest.raises(DocumentError) as info:
        load_cases(cases)
    assert info.value.code == "path-outside-tree"
    refused(info.value)


def test_a_folder_named_by_the_user_may_be_read(tree: Path, run: Run) -> None:
    facts = tree.parent / "facts"
    write(facts / "base.yaml", BASE_FACTS)
    cases = write(
        tree / "r.cases.yaml", CASES.format(rubric="base.yaml", base="../facts/base.yaml")
    )
    with pytest.raises(DocumentError):
        load_cases(cases)
    assert load_cases(cases, allowed_dirs=[facts]).base is not None
    code, out, err = run("--lang", "en", "test", str(cases))
    assert code == 2
    assert "[path-outside-tree]" in err
    code, out, err = run("--lang", "en", "test", str(cases), "--allow-dir", str(facts))
    assert (code, err) == (0, "")
    assert "1 passed, 0 failed" in out


def test_bundled_cases_read_facts_from_their_own_tree() -> None:
    # the bundled case files keep a copy of their base facts beside them; the copy is the
    # example the README scores, byte for byte
    for rubric_dir, example in (
        ("dept-overall-huizhou", "huizhou-dayawan-zuzhibu-2022.yaml"),
        ("dept-overall-huizhou", "huizhou-dayawan-zuzhibu-2022-truncated.yaml"),
        ("project-sheet-national", "project-sheet-lijiang-2020.yaml"),
    ):
        copy = ROOT / "rubric" / rubric_dir / "examples" / example
        assert copy.read_bytes() == (ROOT / "examples" / example).read_bytes()
        for case_file in (ROOT / "rubric" / rubric_dir).glob("*.cases.yaml"):
            assert load_cases(case_file).base is not None
    assert perfscore.bundled_rubrics() == [
        "dept-overall-huizhou-zuzhibu@2022.3",
        "dept-overall-huizhou@2022.1",
        "dept-overall-huizhou@2022.2",
        "dept-overall-huizhou@2022.3",
        "project-sheet-national@2020.1",
        "project-sheet-national@2020.2",
    ]


def test_a_file_that_is_not_a_rubric_is_not_quoted(tmp_path: Path, run: Run) -> None:
    secret = write(tmp_path / "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    code, _out, err = run("--lang", "en", "check", str(secret))
    assert code == 2
    assert "a rubric must be a mapping of keys, got text [invalid-type]" in err
    assert "/bin/bash" not in err
    assert "root:x" not in err

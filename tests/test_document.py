"""Tests for perfscore._load._document: strict, bounded YAML/JSON reading with locations."""

from __future__ import annotations

import dataclasses
import os
import random
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from perfscore._errors import DocumentError, Location, PerfscoreError, Problem, UsageError
from perfscore._load import _document
from perfscore._load._document import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Document,
    load_document,
    parse_document,
)

SAMPLE = """\
# 部门整体支出绩效自评
name: 部门预算资金支出率
version: "1.10"
indicators:
  - id: spend_rate
    max: 20
    weight: 0.25
    bands:
      - {from: 0, to: 60.5, score: 0}
  - id: output
    max: 10
"""


def fail(data: bytes | str, name: str = "r.yaml", **kwargs: str) -> Problem:
    """Parse `data`, expect a DocumentError with one problem, and return the problem."""
    with pytest.raises(DocumentError) as info:
        parse_document(data, name=name, **kwargs)
    assert len(info.value.problems) == 1
    return info.value.problems[0]


# reading ---------------------------------------------------------------------------------------


def test_limits_have_documented_values() -> None:
    assert (MAX_BYTES, MAX_DEPTH, MAX_NODES) == (5 * 1024 * 1024, 64, 200_000)


def test_load_document_reads_a_file_and_keeps_the_given_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rubric.yaml").write_text(SAMPLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = load_document("rubric.yaml")
    assert doc.name == "rubric.yaml"
    assert doc.data == parse_document(SAMPLE, name="x").data
    assert doc.locate(("indicators", 1, "max")) == Location("rubric.yaml", 11, 10)


def test_load_document_picks_json_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(b'{"spent": 3703.85}')
    assert load_document(path).data == {"spent": Decimal("3703.85")}


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    with pytest.raises(DocumentError) as info:
        load_document(missing)
    problem = info.value.problems[0]
    assert problem.code == "file-not-found"
    assert problem.message == f"cannot open {missing!r}: no such file or folder"
    said = problem.render("zh")
    assert said.endswith(f"无法打开 {missing!r}：文件或文件夹不存在 [file-not-found]")
    assert problem.location == Location(missing)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as info:
        load_document(tmp_path)
    (problem,) = info.value.problems
    assert problem.code == "not-a-file"
    assert problem.message == f"{str(tmp_path)!r} is a folder, not a file"
    assert problem.location == Location(str(tmp_path))
    assert problem.hint == "give the path of a YAML or JSON file inside it"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "facts.yaml"
    os.mkfifo(pipe)
    started = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        load_document(pipe)  # opening a pipe for reading would block until a writer comes
    assert time.perf_counter() - started < 1
    (problem,) = info.value.problems
    assert (problem.code, problem.message) == (
        "not-a-file",
        f"{str(pipe)!r} is a named pipe, not a file",
    )


@pytest.mark.parametrize(
    ("device", "kind"), [("/dev/null", "a character device"), ("/dev/zero", "a character device")]
)
def test_devices_are_refused(device: str, kind: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    # /dev/null would read as an empty (null) document, /dev/zero as 5 MiB of NULs
    with pytest.raises(DocumentError) as info:
        load_document(device)
    assert info.value.problems[0].message == f"{device!r} is {kind}, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_swapped_in_after_the_check_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    real_open = os.open

    def swap_then_open(name: str, flags: int, *args: int) -> int:
        os.unlink(name)
        os.mkfifo(name)  # the race: the path names a pipe between the stat and the open
        return real_open(name, flags, *args)

    monkeypatch.setattr(_document.os, "open", swap_then_open)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert info.value.code == "not-a-file"


def test_size_is_checked_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_document, "MAX_BYTES", 10)
    problem = fail(b"a: [1, 2, 3]")
    assert problem.code == "file-too-large"
    assert problem.message == "file is 12 bytes, over the limit of 10 bytes"
    assert fail("a: 名称名称").code == "file-too-large"  # str input counts UTF-8 bytes
    assert parse_document(b"a: [1, 2]", name="r.yaml").data == {"a": [1, 2]}


def test_size_limit_on_disk_and_for_a_big_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = b"#" * (MAX_BYTES + 1)
    assert fail(big).message == "file is 5,242,881 bytes, over the limit of 5,242,880 bytes"
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 10)
    monkeypatch.setattr(_document, "MAX_BYTES", 20)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert info.value.code == "file-too-large"
    assert info.value.problems[0].message == "file is 50 bytes, over the limit of 20 bytes"


def test_bom_and_crlf_give_the_data_and_the_right_lines() -> None:
    data = "\ufeffname: 支出率\r\nlimits:\r\n  max: 20\r\n  min: 0\r\n".encode()
    doc = parse_document(data, name="r.yaml")
    assert doc.data == {"name": "支出率", "limits": {"max": 20, "min": 0}}
    assert doc.locate(("name",)) == Location("r.yaml", 1, 7)
    assert doc.locate(("limits", "min")) == Location("r.yaml", 4, 8)
    assert doc.locate(("limits", "min"), key=True) == Location("r.yaml", 4, 3)
    assert parse_document("\ufeffa: 1", name="r.yaml").data == {"a": 1}


def test_gb18030_bytes_get_the_encoding_hint_and_decode_when_asked() -> None:
    data = "version: 1\n名称: 部门预算资金支出率\n".encode("gb18030")
    problem = fail(data)
    assert problem.code == "encoding"
    assert problem.message == "invalid UTF-8 byte 0xC3; the file looks GB18030/GBK-encoded"
    assert problem.location == Location("r.yaml", 2, 1)
    assert problem.hint == (
        "convert it with `iconv -f GB18030 -t UTF-8 r.yaml > r.yaml.utf8`, "
        'or pass encoding="gb18030" (CLI: --encoding gb18030)'
    )
    doc = parse_document(data, name="r.yaml", encoding="gb18030")
    assert doc.data == {"version": 1, "名称": "部门预算资金支出率"}


def test_invalid_utf8_that_is_not_gb18030() -> None:
    problem = fail(b"a: 1\nb: ok \xff\n")
    assert (problem.code, problem.message) == ("encoding", "invalid UTF-8 byte 0xFF")
    assert problem.location == Location("r.yaml", 2, 7)
    assert problem.hint == "save the file as UTF-8"
    assert fail(b"\x81", encoding="gb18030").message == "invalid gb18030 byte 0x81"
    stray = "名称: 部门\n".encode() + b"note: \xb2\xbf\n"  # UTF-8 text, then one GBK character
    problem = fail(stray)
    assert (problem.message, problem.location) == (
        "invalid UTF-8 byte 0xB2",
        Location("r.yaml", 2, 7),
    )


@pytest.mark.parametrize(
    ("data", "zh"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa5",
            "这是 zip 压缩文件（.xlsx 工作簿或 .docx 文件），不是 YAML 或 JSON 文本",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00",
            "这是旧版二进制 Office 文件（.xls、.doc 或 WPS 的 .et），不是 YAML 或 JSON 文本",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "这是 PDF 文件，不是 YAML 或 JSON 文本"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "这是二进制文件，不是 YAML 或 JSON 文本"),
    ],
    ids=["zip", "ole", "pdf", "other"],
)
def test_a_file_that_is_no_text_is_said_for_what_it_is(data: bytes, zh: str) -> None:
    # an .xlsx renamed .yaml or an old .xls was "invalid UTF-8 byte 0xD0: save it as UTF-8"
    problem = fail(data)
    assert problem.code == "encoding"
    assert problem.location == Location("r.yaml", 1, 1)
    assert problem.message.render("zh") == zh  # type: ignore[attr-defined]
    assert "UTF-8" not in str(problem.hint)


def test_unknown_encoding_and_format_are_usage_errors() -> None:
    with pytest.raises(UsageError) as info:
        parse_document(b"a: 1", name="r.yaml", encoding="no-such-codec")
    assert info.value.code == "bad-argument"
    with pytest.raises(UsageError, match="format must be 'yaml' or 'json', got 'toml'"):
        parse_document("a = 1", name="r.toml", format="toml")


@pytest.mark.parametrize(
    "char",
    list(
        "\x00\x07\x1b\x7f\x85\x9f\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202e\u2060\u2066\u2069\ufeff\u2028"
    ),
)
def test_forbidden_characters_anywhere(char: str) -> None:
    for text in (f"a: x{char}y\n", f"a{char}: 1\n", f"a: 1  # note{char}\n"):
        problem = fail(text)
        assert problem.code == "forbidden-character"
        assert problem.message.startswith(f"forbidden character U+{ord(char):04X}")
    assert fail(f'{{"a": "{char}"}}', name="f.json").code == "forbidden-character"


def test_forbidden_character_messages_name_the_code_point_and_place() -> None:
    problem = fail(b"name: ok\nnote: abc\x00\n")
    assert problem.message == "forbidden character U+0000 (CONTROL)"
    assert problem.location == Location("r.yaml", 2, 10)
    problem = fail("a: 1\r\nb: 'x\u202ey'\r\n")
    assert problem.message == "forbidden character U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert problem.location == Location("r.yaml", 2, 6)
    assert problem.hint is not None


def test_escapes_cannot_smuggle_forbidden_characters() -> None:
    assert fail('a: "x\\u202ey"').location == Location("r.yaml", 1, 4)
    assert fail('"k\\0": 1').code == "forbidden-character"
    assert fail('{"a": ["\\u0000"]}', name="f.json").location == Location("f.json", 1, 8)


def test_tab_cr_and_chinese_are_fine() -> None:
    doc = parse_document("a: 'x\ty'\rb: 名称（全角）\n", name="r.yaml")
    assert doc.data == {"a": "x\ty", "b": "名称（全角）"}


# YAML structure --------------------------------------------------------------------------------


def test_empty_and_comment_only_files_are_null() -> None:
    for text in ("", "# only a comment\n", "\ufeff"):
        doc = parse_document(text, name="r.yaml")
        assert doc.data is None
        assert doc.locate(("a",)) == Location("r.yaml", 1, 1)
    assert parse_document("---\n", name="r.yaml").data is None


def test_a_second_document_is_rejected() -> None:
    problem = fail("a: 1\n---\nb: 2\n")
    assert problem.code == "yaml-multiple-documents"
    assert problem.message == "a second YAML document"
    assert problem.location == Location("r.yaml", 2, 1)
    assert fail("--- 1\n--- 2\n").code == "yaml-multiple-documents"


def test_anchors_aliases_and_merge_keys_are_rejected() -> None:
    problem = fail("base: &b {max: 10}\nother: 1\n")
    assert problem.code == "yaml-alias"
    assert problem.message == "anchors and aliases are not allowed (found anchor '&b')"
    assert problem.location == Location("r.yaml", 1, 7)
    assert fail("a: *b\n").message == "anchors and aliases are not allowed (found alias '*b')"
    problem = fail("a:\n  <<: {max: 10}\n")
    assert problem.message == "anchors and aliases are not allowed (found merge key '<<')"
    assert problem.location == Location("r.yaml", 2, 3)
    assert parse_document("a: '<<'\n'<<': 1", name="r.yaml").data == {"a": "<<", "<<": 1}


def test_billion_laughs_is_rejected_fast() -> None:
    lines = ['lol0: &a0 ["lol"]']
    lines += [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    start = time.perf_counter()
    problem = fail("\n".join(lines))
    assert time.perf_counter() - start < 0.5
    assert problem.code == "yaml-alias"


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !include other.yaml", "!include"),
        ("!!python/object/apply:os.system ['echo hi']", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system", "!!python/name:os.system"),
        ("a: !!binary aGVsbG8=", "!!binary"),
        ("a: !!set {x, y}", "!!set"),
        ("a: !!timestamp 2024-01-15", "!!timestamp"),
        ("a: !!str 1", "!!str"),
        ("a: !!float 1", "!!float"),
        ("a: ! 1", "!"),
        ("- !!omap [a: 1]", "!!omap"),
    ],
)
def test_every_explicit_tag_is_rejected(text: str, tag: str) -> None:
    problem = fail(text)
    assert problem.code == "yaml-tag"
    assert problem.message == f"tag {tag!r} is not allowed"
    assert problem.hint == "remove the tag; perfscore reads plain YAML only"


def test_tag_location() -> None:
    assert fail("a: 1\nb: !!binary aGk=\n").location == Location("r.yaml", 2, 4)


def test_depth_limit_counts_collections() -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # the root mapping is level 1
    assert parse_document(ok, name="r.yaml").data is not None
    problem = fail("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert problem.code == "too-deep"
    assert problem.message == "the document nests deeper than 64 levels"
    assert problem.location == Location("r.yaml", 1, 67)


@pytest.mark.parametrize("text", ["[" * 5000, "{a: " * 5000, "- " * 5000 + "x", "[" * 999])
def test_deep_nesting_is_rejected_without_recursion_error(text: str) -> None:
    assert fail(text).code == "too-deep"


def test_block_nesting_depth() -> None:
    text = "".join(" " * i + "k:\n" for i in range(MAX_DEPTH + 2))
    problem = fail(text)
    assert problem.code == "too-deep"
    assert problem.location == Location("r.yaml", MAX_DEPTH + 1, MAX_DEPTH + 1)


def test_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "[" + "0," * MAX_NODES + "]"
    assert fail(text).message == "the document has more than 200,000 values"
    monkeypatch.setattr(_document, "MAX_NODES", 5)
    assert parse_document("a: 1\nb: 2", name="r.yaml").data == {"a": 1, "b": 2}
    problem = fail("a: 1\nb: 2\nc: 3")
    assert problem.code == "too-many-nodes"
    assert problem.location == Location("r.yaml", 3, 1)


def test_syntax_errors_carry_pyyaml_problem_and_position() -> None:
    problem = fail("a:\n\tb: 1\n")
    assert problem.code == "yaml-syntax"
    assert problem.location == Location("r.yaml", 2, 1)
    assert "cannot start any token" in problem.message
    assert problem.hint == "indent with spaces, not tabs"
    problem = fail("a: [1, 2\nb: 3\n")
    assert (problem.code, problem.message) == ("yaml-syntax", "did not find expected ',' or ']'")
    assert problem.location == Location("r.yaml", 2, 2)
    assert fail("a: 'unclosed").code == "yaml-syntax"


def test_pure_python_loader_behaves_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_document, "_Loader", yaml.SafeLoader)
    assert parse_document(SAMPLE, name="r.yaml").data == parse_document(SAMPLE, name="x").data
    assert fail("a:\n\tb: 1\n").hint == "indent with spaces, not tabs"
    assert fail("[" * 5000).code == "too-deep"
    assert fail("a: &x 1").code == "yaml-alias"


# YAML scalars ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("null", None),
        ("Null", None),
        ("~", None),
        ("", None),
        ("0", 0),
        ("-7", -7),
        ("2024", 2024),
        ("1" * 40, int("1" * 40)),
    ],
)
def test_plain_scalars_core_schema(text: str, expected: object) -> None:
    value = parse_document(f"v: {text}", name="r.yaml").data
    assert value == {"v": expected}
    assert type(value["v"]) is type(expected)


@pytest.mark.parametrize(
    "texts",
    [
        "yes no No on off y n 是 否",
        "010 0123 0o10 0b101 0x1F +12 1_000 1:30 190:20:30 --1 １２",
        "1e3 1.0e+3 1.5E-2 .nan -.inf .inf 1. .5 5% $1,000",
        "2024-01-15 2024-01-15T10:00:00Z",
        "1" * 41,
    ],
)
def test_yaml_11_readings_stay_strings(texts: str) -> None:
    for text in texts.split():
        assert parse_document(f"v: {text}", name="r.yaml").data == {"v": text}
    assert parse_document("v: 2024-01-15 10:00:00", name="r.yaml").data == {
        "v": "2024-01-15 10:00:00"
    }


@pytest.mark.parametrize("text", ["3703.85", "1.10", "0.1", "-0.5", "2.0", "100.00"])
def test_decimals_are_exact(text: str) -> None:
    value = parse_document(f"v: {text}", name="r.yaml").data["v"]  # type: ignore[index]
    assert type(value) is Decimal
    assert str(value) == text


@pytest.mark.parametrize("text", ["'1'", '"true"', "'null'", '"1.5"', "|\n  1\n", ">\n  yes\n"])
def test_quoted_and_block_scalars_are_strings(text: str) -> None:
    value = parse_document(f"v: {text}", name="r.yaml").data["v"]  # type: ignore[index]
    assert type(value) is str


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1: a", "key '1' is a number, not a string"),
        ("1.5: a", "key '1.5' is a number, not a string"),
        ("true: a", "key 'true' is a boolean, not a string"),
        ("null: a", "key 'null' is null, not a string"),
        ("? \n: a", "key '' is null, not a string"),
        ("? [a]\n: b", "a mapping or sequence cannot be a key"),
        ("? {a: 1}\n: b", "a mapping or sequence cannot be a key"),
        ("? |\n  a\n: b", "a block scalar cannot be a key"),
    ],
)
def test_keys_must_be_strings(text: str, message: str) -> None:
    problem = fail(text)
    assert (problem.code, problem.message) == ("non-string-key", message)


def test_non_string_key_hint_and_quoted_keys() -> None:
    problem = fail("a:\n  2024: 5\n")
    assert problem.hint == 'quote it: "2024"'
    assert problem.location == Location("r.yaml", 2, 3)
    assert parse_document("'2024': 5\n\"true\": 1", name="r.yaml").data == {"2024": 5, "true": 1}


def test_duplicate_top_level_key() -> None:
    problem = fail("name: a\nmax: 10\nmax: 1000\n")
    assert problem.code == "duplicate-key"
    assert problem.message == "duplicate key 'max' (first at line 2)"
    assert problem.location == Location("r.yaml", 3, 1)


def test_duplicate_nested_keys() -> None:
    problem = fail("a:\n  b:\n    max: 10\n    max: 1000\n")
    assert problem.message == "duplicate key 'max' (first at line 3)"
    assert problem.location == Location("r.yaml", 4, 5)
    problem = fail("items:\n  - id: x\n  - id: y\n    'id': z\n")
    assert problem.message == "duplicate key 'id' (first at line 3)"
    assert fail("{a: 1, a: 2}").location == Location("r.yaml", 1, 8)


def test_same_key_in_sibling_mappings_is_fine() -> None:
    doc = parse_document("- {id: a}\n- {id: b}\n", name="r.yaml")
    assert doc.data == [{"id": "a"}, {"id": "b"}]


def test_mapping_keeps_insertion_order() -> None:
    doc = parse_document("z: 1\na: 2\nm: 3\n", name="r.yaml")
    assert list(doc.data) == ["z", "a", "m"]  # type: ignore[call-overload]


# JSON ------------------------------------------------------------------------------------------


def test_json_values() -> None:
    text = '{"a": 1, "b": 0.1, "c": "x", "d": [true, false, null], "e": -3703.85, "f": {}}'
    doc = parse_document(text, name="facts.json")
    assert doc.data == {
        "a": 1,
        "b": Decimal("0.1"),
        "c": "x",
        "d": [True, False, None],
        "e": Decimal("-3703.85"),
        "f": {},
    }
    assert type(doc.data["b"]) is Decimal
    assert str(doc.data["e"]) == "-3703.85"


def test_format_argument_overrides_the_suffix() -> None:
    assert parse_document("a: 1", name="x.json", format="yaml").data == {"a": 1}
    assert fail("{'a': 1}", name="x.yaml", format="json").code == "json-syntax"
    assert parse_document('{"a": 1.5}', name="X.JSON").data == {"a": Decimal("1.5")}


def test_json_exponent_numbers_stay_text() -> None:
    doc = parse_document('{"a": 1e3, "b": 1.5E-2}', name="f.json")
    assert doc.data == {"a": "1e3", "b": "1.5E-2"}


def test_json_duplicate_keys() -> None:
    problem = fail('{\n  "a": {"max": 10,\n        "max": 20}\n}', name="f.json")
    assert problem.code == "duplicate-key"
    assert problem.message == "duplicate key 'max' (first at line 2)"
    assert problem.location == Location("f.json", 3, 9)
    assert fail('{"a": 1, "\\u0061": 2}', name="f.json").code == "duplicate-key"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_rejected(constant: str) -> None:
    problem = fail(f'{{"a": [1, {constant}]}}', name="f.json")
    assert problem.code == "json-syntax"
    assert problem.message == f"{constant} is not a JSON number perfscore accepts (NaN/Infinity)"
    assert problem.location == Location("f.json", 1, 11)


def test_json_long_integers_are_rejected() -> None:
    assert parse_document("[" + "9" * 40 + "]", name="f.json").data == [int("9" * 40)]
    problem = fail("[-" + "9" * 41 + "]", name="f.json")
    assert (problem.code, problem.message) == ("json-syntax", "integer of more than 40 digits")


def test_json_decimals_are_held_to_40_characters_as_in_yaml() -> None:
    # a 100 KB decimal was read and echoed into every scorecard; YAML refused it
    forty = "1." + "0" * 37 + "1"
    assert parse_document(f'{{"a": {forty}}}', name="f.json").data == {"a": Decimal(forty)}
    problem = fail('{"a": 1.' + "0" * 100 + "1}", name="f.json")
    assert (problem.code, problem.message) == ("json-syntax", "number of more than 40 characters")
    assert problem.location == Location("f.json", 1, 7)
    assert fail('{"a": -1.5e' + "0" * 40 + "1}", name="f.json").code == "json-syntax"


def test_json_syntax_errors() -> None:
    problem = fail('{"a": 1,\n "b": }', name="f.json")
    assert problem.code == "json-syntax"
    assert problem.message == (
        'a value belongs here: a number, a "text", true, false, null, a [list] or a {mapping}'
    )
    assert problem.location == Location("f.json", 2, 7)
    assert fail("", name="f.json").code == "json-syntax"
    assert fail("{'a': 1}", name="f.json").code == "json-syntax"
    assert fail("[1] [2]", name="f.json").code == "json-syntax"


@pytest.mark.parametrize(
    ("text", "at", "zh"),
    [
        ('{"a": 1,}', (1, 9), "这里应是用双引号括起的键（JSON 中 '}' 之前不能有 ','）"),
        # what stands where the key belongs decides what is said: not always a trailing ','
        ('{"a": 1,, "b": 2}', (1, 9), "这里应是用双引号括起的键，而不是又一个 ','"),
        ("{'a': 1}", (1, 2), "这里应是用双引号括起的键：JSON 的键和文本用 \" 括起，不用 '"),
        ("{a: 1}", (1, 2), "这里应是用双引号括起的键"),
        ('{"a" 1}', (1, 6), "这里应有 ':'，写在键之后"),
        ('{"a": 1 "b": 2}', (1, 9), "这里应有 ','，把前后两项隔开"),
        ('{"a": "x\ny"}', (1, 9), "文本中有换行或制表符：文本须在同一行内以 '\"' 结束"),
        ('{"a": "x', (1, 7), "文本没有以 '\"' 结束"),
        ('{"a": 1} x', (1, 10), "JSON 文档结束之后还有内容"),
        ('{"a": "\\q"}', (1, 8), "'\\' 之后的转义在 JSON 中不存在"),
    ],
)
def test_json_syntax_errors_are_said_in_the_catalogues_words(
    text: str, at: tuple[int, int], zh: str
) -> None:
    # the json module's reasons are English and cut (its "Unterminated string starting at"
    # leaves the position to str()): each common one has its own words, in every language
    problem = fail(text, name="f.json")
    assert problem.code == "json-syntax"
    assert problem.location == Location("f.json", *at)
    assert problem.render("zh") == f"f.json:{at[0]}:{at[1]}: JSON 格式有误：{zh} [json-syntax]"


@pytest.mark.parametrize(
    ("text", "at", "zh", "hint"),
    [
        # the end of the file is where PyYAML noticed; the quote opened at 2:4
        ('a: 1\nb: "abc\n', (2, 4), "这里开始的带引号文本没有闭合（缺少结尾的引号）", None),
        ("a: {b: 1\nc: 2\n", (2, 2), "这里应有 ','（隔开映射中的各项）或 '}'（结束映射）", None),
        ("a: [1, 2\n", (2, 1), "这里应有 ','（隔开列表中的各项）或 ']'（结束列表）", None),
        (
            "a:\n  - x\n  b: 1\n",
            (3, 3),
            "这里应是以 '- ' 开头的列表项：同一列表的各项须对齐，且都以 '- ' 开头",
            None,
        ),
        (
            "a: @x\n",
            (1, 4),
            "这个字符不能作为 YAML 值的开头（如 @、`、%）",
            '请给值加引号："@x"',
        ),
        # a full-width comma between two items: the problem stands at it
        (
            "g: [{a: 1}，{a: 2}]\n",
            (1, 11),
            "这里应有 ','（隔开列表中的各项）或 ']'（结束列表）",
            "这是全角逗号 '，'（中文输入法输入）：YAML 用半角 ',' 隔开各项",
        ),
    ],
)
def test_yaml_syntax_errors_are_said_in_the_catalogues_words(
    text: str, at: tuple[int, int], zh: str, hint: str | None
) -> None:
    # PyYAML's own English reached the Chinese message (YAML 格式有误：did not find expected ...)
    problem = fail(text)
    assert problem.code == "yaml-syntax"
    assert problem.location == Location("r.yaml", *at)
    lines = problem.render("zh").splitlines()
    assert lines[0] == f"r.yaml:{at[0]}:{at[1]}: YAML 格式有误：{zh} [yaml-syntax]"
    assert lines[1:] == ([f"    提示：{hint}"] if hint else [])


def test_json_locations() -> None:
    text = '{\n  "name": "支出率",\n  "items": [\n    {"id": "a", "max": 20},\n    3\n  ]\n}'
    doc = parse_document(text, name="f.json")
    assert doc.locate(()) == Location("f.json", 1, 1)
    assert doc.locate(("name",)) == Location("f.json", 2, 11)
    assert doc.locate(("name",), key=True) == Location("f.json", 2, 3)
    assert doc.locate(("items", 0, "max")) == Location("f.json", 4, 24)
    assert doc.locate(("items", 0, "max"), key=True) == Location("f.json", 4, 17)
    assert doc.locate(("items", 1)) == Location("f.json", 5, 5)
    assert doc.locate(("items", 7)) == Location("f.json", 3, 12)


def test_json_limits() -> None:
    assert fail("[" * 5000, name="f.json").code == "too-deep"
    assert fail('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), name="f.json").code == (
        "too-deep"
    )
    assert fail("[" + "0," * MAX_NODES + "0]", name="f.json").code == "too-many-nodes"


# locate and Document ---------------------------------------------------------------------------


def test_locate_nested_paths_keys_and_missing_paths() -> None:
    doc = parse_document(SAMPLE, name="r.yaml")
    assert doc.locate(()) == Location("r.yaml", 2, 1)
    assert doc.locate(("indicators",)) == Location("r.yaml", 5, 3)
    assert doc.locate(("indicators",), key=True) == Location("r.yaml", 4, 1)
    assert doc.locate(("indicators", 0, "bands", 0, "to")) == Location("r.yaml", 9, 23)
    assert doc.locate(("indicators", 0, "bands", 0, "to"), key=True) == Location("r.yaml", 9, 19)
    assert doc.locate(("indicators", 1, "formula")) == Location("r.yaml", 10, 5)
    assert doc.locate(("indicators", 1, "formula"), key=True) == Location("r.yaml", 10, 5)
    assert doc.locate(("indicators", 9, "max")) == Location("r.yaml", 5, 3)
    assert doc.locate(("indicators", 0), key=True) == Location("r.yaml", 5, 5)
    assert doc.locate(("nope", "deeper")) == Location("r.yaml", 2, 1)


def test_locate_never_raises() -> None:
    doc = parse_document(SAMPLE, name="r.yaml")
    assert doc.locate((["unhashable"],)) == Location("r.yaml")  # type: ignore[arg-type]
    assert doc.locate(["indicators", 0]) == Location("r.yaml", 5, 5)  # type: ignore[arg-type]
    assert Document("made.yaml", {"a": 1}).locate(("a",)) == Location("made.yaml")


def test_document_is_frozen_hashable_and_compares_by_content() -> None:
    doc = parse_document(SAMPLE, name="r.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.data = {}  # type: ignore[misc]
    assert doc == parse_document(SAMPLE.replace("\n", "\r\n"), name="r.yaml")
    assert len({doc, doc}) == 1
    assert doc != parse_document(SAMPLE, name="other.yaml")


# hostile input ---------------------------------------------------------------------------------


def test_garbage_never_raises_anything_but_perfscore_errors() -> None:
    rng = random.Random(20240115)  # noqa: S311 - a fixed seed, for reproducible garbage
    inputs: list[bytes | str] = [rng.randbytes(rng.randint(1, 200)) for _ in range(30)]
    inputs += [SAMPLE[:cut] for cut in range(0, len(SAMPLE), 7)]
    alphabet = "[]{}:,-?&*!|>'\"#%@` \n\t\ra1.é名"
    inputs += ["".join(rng.choice(alphabet) for _ in range(60)) for _ in range(30)]
    inputs += ["%YAML 1.1\n%YAML 1.1\n---", "a: !<tag:x> 1", "? " * 300, "\ud800", "a: \uffff"]
    json_text = '{"a": [1, 2.5, "x", {"b": null}], "c": true}'
    inputs += [json_text[:cut] for cut in range(len(json_text))]
    locations = []
    for data in inputs:
        for name in ("g.yaml", "g.json"):
            try:
                parse_document(data, name=name)
            except PerfscoreError as exc:
                locations.append(exc.problems[0].location)
    assert len(locations) > len(inputs)
    assert all(location is not None and location.line for location in locations)


@pytest.mark.parametrize(
    ("text", "subject", "where"),
    [
        ('facts:\n  spend_rate: 95\n  name: "ab\u202ecd"\n', "facts.name", (3, 12)),
        ("facts:\n  spend_rate: 95\u200b\n", "facts.spend_rate", (2, 17)),
        (
            "groups:\n  - id: g\n    children:\n      - id: x\u0000\n",
            "groups[0].children[0].id",
            (4, 14),
        ),
        ("facts:\n  a: 1\n  b\u2066: 2\n", "facts.b", (3, 4)),
        ('facts:\n  name: "a\\u202eb"\n', "facts.name", (2, 9)),  # an escape, found while reading
        ('{"facts": {"rows": [1, "x\u200b"]}}', "facts.rows[1]", (1, 26)),
        ("\u202efacts: 1\n", None, (1, 1)),  # before any key: the location alone
    ],
)
def test_forbidden_characters_name_the_value_they_sit_in(
    text: str, subject: str | None, where: tuple[int, int]
) -> None:
    problem = fail(text, name="f.json" if text.startswith("{") else "f.yaml")
    assert problem.code == "forbidden-character"
    assert problem.subject == subject
    assert (problem.location.line, problem.location.column) == where  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("facts:\n  spend_rate: !!float 95\n", "facts.spend_rate"),
        ("indicators:\n  - id: a\n  - !!python/object:os.system x\n", "indicators[1]"),
        ("facts: !!set {a, b}\n", "facts"),
        ("!!map {a: 1}\n", None),
    ],
)
def test_tags_name_the_value_they_sit_on(text: str, subject: str | None) -> None:
    problem = fail(text)
    assert (problem.code, problem.subject) == ("yaml-tag", subject)
    if subject:
        assert problem.render().startswith(f"r.yaml:{problem.location.line}:")  # type: ignore[union-attr]
        assert f": {subject}: tag " in problem.render()


INDENTATION = [
    # (text, location, message, hint): the line whose indentation is wrong, in plain words
    (
        "facts:\n  a: 1\n   b: 2\n",
        (3, 4),
        "line 3 is indented more than line 2 above it (3 spaces, not 2)",
        "indent it with 2 spaces like line 2, or, if it continues the value of line 2, quote "
        "that value",
    ),
    (
        "facts:\n  a: 1\n b: 2\n",
        (3, 2),
        "line 3 is indented 1 space, which matches no level above it",
        "indent it with 2 or 0 spaces, like the keys it belongs with",
    ),
    (
        "groups:\n  - id: g\n    children:\n    - id: x\n      max: 1\n     name: y\n",
        (6, 6),
        "line 6 is indented 5 spaces, which matches no level above it",
        "indent it with 6 or 4 spaces, like the keys it belongs with",
    ),
    (
        "facts:\n  a:\n  1\n",  # PyYAML reports this at line 4, after the end
        (3, 3),
        "'1' is neither 'key: value' nor indented under a key",
        "write 'key: value' on one line, or indent the value further than its key",
    ),
    (
        "facts:\n  a: 1\n  b\n  c: 2\n",
        (3, 3),
        "'b' is neither 'key: value' nor indented under a key",
        "write 'key: value' on one line, or indent the value further than its key",
    ),
    (
        "title: 说明: 见附件\n",
        (1, 10),
        "the value of 'title' holds ': ', which YAML reads as a new key",
        'quote the value: title: "说明: 见附件"',
    ),
]


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
@pytest.mark.parametrize(("text", "where", "message", "hint"), INDENTATION)
def test_indentation_errors_point_at_the_line_to_fix(
    monkeypatch: pytest.MonkeyPatch,
    loader: str,
    text: str,
    where: tuple[int, int],
    message: str,
    hint: str,
) -> None:
    if loader == "pure":
        monkeypatch.setattr(_document, "_Loader", yaml.SafeLoader)
    problem = fail(text)
    assert problem.code == "yaml-syntax"
    assert problem.location == Location("r.yaml", *where)
    assert (problem.message, problem.hint) == (message, hint)


def test_an_indentation_hint_with_no_level_below_the_line() -> None:
    # found by the mutated-rubric property: no line above is indented less than this one, so
    # the hint offers only the deeper level (the message must not fail on an empty choice)
    mark = yaml.Mark("r.yaml", 7, 1, 1, None, None)
    exc = yaml.MarkedYAMLError(problem="did not find expected key", problem_mark=mark)
    error = _document._indentation_error(exc, ["  a: 1", " b: 2"], "r.yaml")
    assert error is not None
    (problem,) = error.problems
    assert problem.message == "line 2 is indented 1 space, which matches no level above it"
    assert problem.hint == "indent it with 2 spaces, like the keys it belongs with"


@pytest.mark.parametrize(
    ("line", "column", "zh"),
    [
        ("total：3703.85", 8, "这里的冒号是全角的 '：'：请改为半角冒号加一个空格（'key: value'）"),
        ("total： 3703.85", 8, "这里的冒号是全角的 '：'：请改为半角冒号加一个空格（'key: value'）"),
        ("total:3703.85", 8, "冒号后要加一个空格：写成 'key: value'，而不是 'key:value'"),
    ],
)
def test_a_colon_typed_full_width_or_without_a_space_gets_a_hint_that_says_so(
    line: str, column: int, zh: str
) -> None:
    # all three said "write 'key: value' on one line, or indent the value further"
    problem = fail(f"facts:\n  a: 1\n  {line}\n  b: 2\n".encode())
    assert problem.code == "yaml-syntax"
    assert problem.location == Location("r.yaml", 3, column)
    assert problem.hint is not None
    assert problem.hint.render("zh") == zh  # type: ignore[attr-defined]


def test_every_invisible_format_character_is_forbidden_and_none_python_prints() -> None:
    # a soft hyphen, invisible operators, tag characters passed: only the zero-width and bidi
    # ones were listed; the generated validator looks only at what str.isprintable() refuses
    import unicodedata

    from perfscore._load._document import FORBIDDEN_CHARACTERS

    format_characters = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [hex(ord(c)) for c in format_characters if not FORBIDDEN_CHARACTERS.match(c)] == []
    assert [
        hex(c)
        for c in range(0x110000)
        if FORBIDDEN_CHARACTERS.match(chr(c)) and chr(c).isprintable()
    ] == []
    problem = fail('subject: "a\\u00adb"\n')
    assert (problem.code, problem.message) == (
        "forbidden-character",
        "forbidden character U+00AD (SOFT HYPHEN)",
    )


@pytest.mark.parametrize("space", ["\u3000", "\u00a0"])
def test_a_line_indented_with_a_wide_space_is_the_line_said(space: str) -> None:
    # PyYAML notices only at the next line, and calls it indented more than this one
    text = "facts:\n  a: 1\n" + space + "b: 2\n  c: 3\n"
    with pytest.raises(DocumentError) as caught:
        parse_document(text, name="f.yaml")
    (problem,) = caught.value.problems
    assert problem.location == Location("f.yaml", 3, 1)
    code = f"U+{ord(space):04X}"
    assert problem.message == (
        f"line 3 is indented with a {code} space, which YAML does not take for indentation"
    )
    assert problem.hint == (
        "indent with ordinary spaces: switch the input method to half-width before typing them"
    )


@pytest.mark.parametrize(
    ("line", "column"),
    [('subject: "中共惠州大亚湾经济技术开发区委组织部', 10), ("  - {a: 1}\n  - 'a record", 5)],
)
def test_a_quote_left_open_is_said_where_it_opens(line: str, column: int) -> None:
    # the quoted text runs on over the lines below, and PyYAML gives up far from the quote
    head = "rubric: t@1\n" if line.startswith("subject") else "rows:\n"
    text = f"{head}{line}\nperiod: '2022'\nfacts:\n  a: 1\n  b: 2\n"
    with pytest.raises(DocumentError) as caught:
        parse_document(text, name="f.yaml")
    (problem,) = caught.value.problems
    opened = text.splitlines().index(line.splitlines()[-1]) + 1
    assert problem.location == Location("f.yaml", opened, column)
    assert problem.message.render("zh") == (
        "YAML 格式有误：这里开始的带引号文本没有闭合（缺少结尾的引号）"
    )


def test_quotes_closed_on_their_line_are_no_open_quote() -> None:
    # 'it''s' is closed, and so is "a \\" b"; the mistake is the bad indentation below them
    text = "a: 'it''s'\nb: \"a \\\" b\"\nc:\n  d: 1\n e: 2\n"
    with pytest.raises(DocumentError) as caught:
        parse_document(text, name="f.yaml")
    assert "quoted" not in caught.value.problems[0].message

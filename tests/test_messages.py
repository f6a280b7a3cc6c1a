"""The message catalogue: every key in every language, the same placeholders, said on request."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from perfscore import FactsError
from perfscore._errors import Location, Problem
from perfscore._messages import CATALOGUE, ENGLISH, LANGUAGES, Message, _base, placeholders, say

SOURCE = Path(__file__).resolve().parents[1] / "src" / "perfscore"


def test_every_language_has_a_table_and_english_is_one_of_them() -> None:
    assert sorted(CATALOGUE) == sorted(LANGUAGES)
    assert ENGLISH in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_exists_in_every_language(language: str) -> None:
    assert sorted(CATALOGUE[language]) == sorted(CATALOGUE[ENGLISH])


@pytest.mark.parametrize("key", sorted(CATALOGUE[ENGLISH]))
def test_every_language_fills_a_message_with_the_same_values(key: str) -> None:
    reference = sorted(
        (name, conversion) for name, conversion, _ in placeholders(CATALOGUE[ENGLISH][key])
    )
    for language in LANGUAGES:
        found = sorted(
            (name, conversion) for name, conversion, _ in placeholders(CATALOGUE[language][key])
        )
        assert found == reference, f"{language} {key!r}: {found} != {reference}"
        # positional and attribute fields would fail at run time: names only
        assert all(name.isidentifier() for name, _ in found), (language, key)


def test_every_message_key_named_in_the_source_is_in_the_catalogue() -> None:
    """Every literal key given to Message(...) or say(...) anywhere in the package exists."""
    missing = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "Message" and node.args:
                key = node.args[0]
            elif name == "say" and len(node.args) >= 2:
                key = node.args[1]
            else:
                continue
            literal = isinstance(key, ast.Constant) and isinstance(key.value, str)
            if literal and key.value not in CATALOGUE[ENGLISH]:  # type: ignore[attr-defined]
                missing.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {key.value}")
    assert missing == []


def test_a_message_is_its_english_text_and_says_itself_in_another_language() -> None:
    message = Message("problems", count=3)
    assert message == "3 problems"
    assert isinstance(message, str)
    assert message.render("zh") == "共 3 个问题"
    assert message.render("en") == "3 problems"
    assert say("zh", "problems", count=2) == "共 2 个问题"


def test_a_message_inside_a_message_is_said_in_the_same_language() -> None:
    inner = Message("severity-warning")
    outer = Message("hint", hint=inner)
    assert outer == "hint: warning"
    assert outer.render("zh") == "提示：警告"


def test_a_language_without_a_table_falls_back_to_english() -> None:
    assert Message("problems", count=1).render("fr") == "1 problems"


def test_a_message_crosses_a_process_boundary_with_its_key() -> None:
    message = Message("hint", hint=Message("severity-note"))
    again = pickle.loads(pickle.dumps(message))  # noqa: S301 - our own bytes
    assert again == message
    assert isinstance(again, Message)
    assert again.render("zh") == "提示：提示"


def test_a_problem_renders_in_english_by_default_and_in_chinese_on_request() -> None:
    problem = Problem(
        "unused-fact",
        Message("problems", count=2),
        Location("r.yaml", 3, 5),
        subject="x",
        hint=Message("severity-error"),
        severity="warning",
    )
    assert problem.render() == "r.yaml:3:5: warning: x: 2 problems [unused-fact]\n    hint: error"
    assert problem.render("zh") == (
        "r.yaml:3:5: 警告: x: 共 2 个问题 [unused-fact]\n    提示：错误"
    )
    assert problem.to_dict("zh")["message"] == "共 2 个问题"
    assert problem.to_dict()["message"] == "2 problems"


def test_an_error_keeps_its_language_and_str_stays_english() -> None:
    problems = [Problem("missing-fact", Message("problems", count=n)) for n in (1, 2)]
    error = FactsError(problems, language="zh")
    assert error.language == "zh"
    assert str(error).splitlines()[0] == "2 problems"
    assert error.render("zh").splitlines()[0] == "共 2 个问题"
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert again == error
    assert again.language == "zh"


def test_the_base_part_is_complete_on_its_own() -> None:
    assert sorted(_base.TABLE["zh"]) == sorted(_base.TABLE["en"])

"""Scoring and everything made from a scorecard are the same in any caller's decimal context.

perfscore works in its own context (`_numbers.CONTEXT`: 34 digits, traps on what is
undefined). A caller may run in another one: a finance system that sets ``ROUND_HALF_UP`` or a
small precision for its own sums. Neither the scores nor anything worked out later (a claimed
sum in the review, a 执行率 on the project sheet, the ≈ of a derived value in a trace's words)
may change, and the caller's context must come back as it was.
"""

from __future__ import annotations

import decimal
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore._engine._run import run_plain

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: a context no exact sum survives: two digits, rounding away from zero, trapping what is invalid
COARSE = decimal.Context(prec=2, rounding=decimal.ROUND_UP, traps=[decimal.InvalidOperation])


def _outputs(card: perfscore.Scorecard) -> tuple[str, ...]:
    return (card.to_json(), card.to_json(indent=None), card.explain(), card.to_markdown())


@pytest.mark.parametrize(
    ("rubric_ref", "example"),
    [
        ("dept-overall-huizhou@2022.1", "huizhou-dayawan-zuzhibu-2022.yaml"),
        ("dept-overall-huizhou@2022.1", "huizhou-dayawan-zuzhibu-2022-truncated.yaml"),
        ("project-sheet-national@2020.1", "project-sheet-lijiang-2020.yaml"),
    ],
)
def test_a_callers_context_changes_no_output(rubric_ref: str, example: str) -> None:
    rubric = perfscore.load_rubric(rubric_ref)
    document = perfscore.load_facts(EXAMPLES / example)
    expected = [_outputs(rubric.evaluate(document)), _outputs(rubric.evaluate(document.facts))]
    expected_html = rubric.evaluate(document).to_html()
    with decimal.localcontext(COARSE) as caller:
        got = [_outputs(rubric.evaluate(document)), _outputs(rubric.evaluate(document.facts))]
        html = rubric.evaluate(document).to_html()
        assert decimal.getcontext() is caller
        assert caller.prec == 2
        assert caller.rounding == decimal.ROUND_UP
        assert not any(caller.flags.values()), "nothing perfscore did signalled in it"
    assert got == expected
    assert html == expected_html


def test_the_usual_call_runs_in_its_own_context_in_every_thread() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    facts = dict(document.facts)
    assert run_plain(rubric.plan, facts, True) is not None  # the usual call's own path
    expected = rubric.evaluate(facts).to_json()
    assert rubric.evaluate(facts).total == Decimal("103")

    def score(_: int) -> str:
        with decimal.localcontext(COARSE):
            card = rubric.evaluate(facts)
            assert card.total == Decimal("103")
            return card.to_json()

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(score, range(32))) == {expected}

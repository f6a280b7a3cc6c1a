"""The parts of simpleeval's private interface that the formula runner (`_lang/_expr.py`) uses.

`_Evaluator` skips `SimpleEval.__init__` and binds simpleeval's private `_eval_*` handlers
directly, so a simpleeval release that renames or reshapes one of them breaks scoring. These
tests fail first, naming the member, so an upgrade is a one-line fix instead of a hunt. When one
fails: read the new simpleeval.py, adapt `_HANDLERS` / `_Evaluator` in `_lang/_expr.py`, and
update the list here.

`_expr` binds the handlers when it is imported, so a renamed one also breaks that import; this
module therefore imports perfscore only inside the tests that run it, and the tests of simpleeval's
members still run and say which member moved.
"""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import os
from decimal import Decimal
from types import ModuleType

import pytest
import simpleeval

SimpleEval = simpleeval.SimpleEval

#: handlers bound unbound into `_expr._HANDLERS`: name -> whether simpleeval makes it static
HANDLERS = {
    "_eval_binop": False,
    "_eval_unaryop": False,
    "_eval_compare": False,
    "_eval_boolop": False,
    "_eval_ifexp": False,
    "_eval_call": False,
    "_eval_constant": True,
}
#: what the inherited handlers and `eval` read on the instance, which `_Evaluator` must provide
#: (as class attributes, or in its own `__init__`) because it skips `SimpleEval.__init__`
INSTANCE_ATTRIBUTES = ("operators", "functions", "names", "nodes", "allowed_attrs")


def _runner() -> ModuleType:
    from perfscore._lang import _expr

    return _expr


def _where(name: str) -> str:
    return f"simpleeval {importlib.metadata.version('simpleeval')}: SimpleEval.{name}"


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_each_bound_handler_exists_with_the_signature_the_runner_calls(name: str) -> None:
    member = inspect.getattr_static(SimpleEval, name, None)
    assert member is not None, f"{_where(name)} is gone; _expr._HANDLERS binds it"
    static = isinstance(member, staticmethod)
    assert static == HANDLERS[name], (
        f"{_where(name)} is {'now' if static else 'no longer'} a staticmethod; "
        "_expr._HANDLERS calls it as "
        + ("handler(node)" if HANDLERS[name] else "handler(self, node)")
    )
    params = list(inspect.signature(getattr(SimpleEval, name)).parameters)
    expected = ["node"] if HANDLERS[name] else ["self", "node"]
    assert params == expected, f"{_where(name)} takes {params}, the runner passes {expected}"


def test_the_runner_binds_exactly_these_handlers() -> None:
    bound = {f.__name__ for f in _runner()._HANDLERS.values() if f.__name__.startswith("_eval_")}
    # _eval_constant is wrapped in a lambda (it is static); the others are bound as they are
    assert bound | {"_eval_constant"} == set(HANDLERS)


def test_eval_takes_a_previously_parsed_tree_and_dispatches_through_eval() -> None:
    eval_ = inspect.getattr_static(SimpleEval, "eval", None)
    assert eval_ is not None, f"{_where('eval')} is gone; Formula.run calls it"
    params = list(inspect.signature(SimpleEval.eval).parameters)
    assert params == ["self", "expr", "previously_parsed"], (
        f"{_where('eval')} takes {params}; Formula.run passes (source, tree)"
    )
    seen: list[str] = []

    class Spy(_runner()._Evaluator):  # type: ignore[misc]
        def _eval(self, node: ast.AST) -> object:
            seen.append(type(node).__name__)
            return super()._eval(node)

    tree = ast.parse("1 + 2 * 3", mode="eval").body
    evaluator = Spy({}, {})
    # the text is only for messages: the tree is what runs, and every inner node goes through
    # our _eval (the allow-list and the check of results), not simpleeval's own
    assert evaluator.eval("not what runs", tree) == 7
    assert seen == ["BinOp", "Constant", "BinOp", "Constant", "Constant"]
    assert evaluator.expr == "not what runs", f"{_where('eval')} no longer sets .expr"


@pytest.mark.parametrize("name", INSTANCE_ATTRIBUTES)
def test_the_runner_provides_what_init_would_have_set(name: str) -> None:
    evaluator = _runner()._Evaluator({}, {})
    assert hasattr(evaluator, name), f"_Evaluator lacks {name!r}, which SimpleEval.__init__ sets"
    source = inspect.getsource(SimpleEval.__init__)
    assert f"self.{name} =" in source, (
        f"{_where('__init__')} no longer sets self.{name}; check what it sets now and give "
        "_Evaluator the same"
    )


def test_check_disallowed_items_still_refuses_modules_and_forbidden_functions() -> None:
    assert inspect.getattr_static(SimpleEval, "_check_disallowed_items", None) is not None, (
        f"{_where('_check_disallowed_items')} is gone; _Evaluator._eval calls it on results"
    )
    evaluator = _runner()._Evaluator({}, {})
    with pytest.raises(simpleeval.FeatureNotAvailable):
        evaluator._check_disallowed_items(os)
    with pytest.raises(simpleeval.FeatureNotAvailable):
        evaluator._check_disallowed_items([eval])
    evaluator._check_disallowed_items([Decimal(1), "x", True])


def test_the_exceptions_caught_around_a_run_are_still_simpleevals() -> None:
    # _RUNTIME_ERRORS catches InvalidExpression; the handlers raise these subclasses of it
    for name in ("InvalidExpression", "FeatureNotAvailable", "FunctionNotDefined"):
        assert isinstance(getattr(simpleeval, name, None), type), f"simpleeval.{name} is gone"
    assert issubclass(simpleeval.FunctionNotDefined, simpleeval.InvalidExpression)
    assert issubclass(simpleeval.OperatorNotDefined, simpleeval.InvalidExpression)


def test_every_handler_runs_in_a_real_formula() -> None:
    from perfscore._values import ValueType

    number = ValueType("number")
    names = {"x": number, "y": number, "ok": ValueType("bool")}
    # BinOp, UnaryOp, Compare, BoolOp, IfExp, Call and Constant all in one formula
    formula = _runner().compile_formula(
        "-x + max(y, 2) * 3 if (x < y and ok) or not ok else 0", names=names, expect="number"
    )
    env = {"x": Decimal(1), "y": Decimal("2.5"), "ok": True}
    # -1 + 2.5 * 3 = 6.5
    assert formula.evaluate(env) == Decimal("6.5")
    assert formula.evaluate({**env, "x": Decimal(3)}) == Decimal(0)

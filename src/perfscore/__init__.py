"""perfscore: score performance self-evaluations from a declarative YAML rubric.

Load a rubric, evaluate facts against it, and read why every indicator got its score::

    import perfscore

    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    card = rubric.evaluate(perfscore.load_facts("examples/huizhou-dayawan-zuzhibu-2022.yaml"))
    print(card.total, card.grade)
    print(card.explain())
"""

from __future__ import annotations

import importlib
import inspect
from typing import TYPE_CHECKING

from perfscore._errors import (
    DocumentError,
    ExpressionError,
    FactsError,
    Finding,
    Location,
    PerfscoreError,
    Problem,
    RubricError,
    ScoringError,
    UsageError,
)
from perfscore._load._facts import Claims, FactsDocument
from perfscore._output._scorecard import (
    CheckWarning,
    ClaimsReview,
    Discrepancy,
    GroupScore,
    IndicatorScore,
    Scorecard,
    Trace,
    TraceStep,
)
from perfscore._rubric import Rubric, bundled_rubrics, load_facts, load_rubric, parse_rubric
from perfscore._version import __version__

if TYPE_CHECKING:
    from perfscore._tools._check import check_rubric
    from perfscore._tools._diff import (
        RubricDiff,
        ScoreDiff,
        diff_rubrics,
        diff_scores,
        load_corpus,
    )
    from perfscore._tools._schema import facts_schema, rubric_schema, scorecard_schema
    from perfscore._tools._template import facts_template
    from perfscore._tools._template_xlsx import facts_workbook

#: The author tools, imported on first use: scoring a report does not pay for check, diff,
#: schema and template (pydantic does the same through a module ``__getattr__``).
_TOOLS: dict[str, str] = {
    "check_rubric": "perfscore._tools._check",
    "RubricDiff": "perfscore._tools._diff",
    "ScoreDiff": "perfscore._tools._diff",
    "diff_rubrics": "perfscore._tools._diff",
    "diff_scores": "perfscore._tools._diff",
    "load_corpus": "perfscore._tools._diff",
    "facts_schema": "perfscore._tools._schema",
    "rubric_schema": "perfscore._tools._schema",
    "scorecard_schema": "perfscore._tools._schema",
    "facts_template": "perfscore._tools._template",
    "facts_workbook": "perfscore._tools._template_xlsx",
}

__all__ = [
    "CheckWarning",
    "Claims",
    "ClaimsReview",
    "Discrepancy",
    "DocumentError",
    "ExpressionError",
    "FactsDocument",
    "FactsError",
    "Finding",
    "GroupScore",
    "IndicatorScore",
    "Location",
    "PerfscoreError",
    "Problem",
    "Rubric",
    "RubricDiff",
    "RubricError",
    "ScoreDiff",
    "Scorecard",
    "ScoringError",
    "Trace",
    "TraceStep",
    "UsageError",
    "__version__",
    "bundled_rubrics",
    "check_rubric",
    "diff_rubrics",
    "diff_scores",
    "facts_schema",
    "facts_template",
    "facts_workbook",
    "load_corpus",
    "load_facts",
    "load_rubric",
    "parse_rubric",
    "rubric_schema",
    "scorecard_schema",
]


def _own(value: object) -> None:
    """Name `perfscore` as the home of a public class or function.

    Tracebacks, reprs and documentation then show ``perfscore.RubricError``, the name users
    import, not the private module it happens to live in (httpx does the same). Pickle finds the
    class again through the same name, because every such name is exported here.

    A class's annotations are strings, which `typing.get_type_hints` (and cattrs, Hypothesis'
    ``from_type`` ...) evaluate in the module named by ``__module__``; they are evaluated first,
    in the module that wrote them, so that moving the name does not break them.
    """
    if isinstance(value, type):
        if inspect.get_annotations(value):
            value.__annotations__ = inspect.get_annotations(value, eval_str=True)
        value.__module__ = __name__
    elif callable(value):
        value.__module__ = __name__


def __getattr__(name: str) -> object:
    """Import an author tool the first time its name is read, with the names beside it.

    All public names of that module are taken over at once, so that the results of a tool
    (a `RubricDiff`, say) name `perfscore` as their module before their own name is read.
    """
    module = _TOOLS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loaded = importlib.import_module(module)
    for other, home in _TOOLS.items():
        if home == module:
            value = getattr(loaded, other)
            _own(value)
            globals()[other] = value
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *_TOOLS})


for _name in __all__:
    if _name not in _TOOLS and _name != "__version__":
        _own(globals()[_name])
del _name

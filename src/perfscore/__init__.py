"""perfscore: score performance self-evaluations from a declarative YAML rubric.

Load a rubric, evaluate facts against it, and read why every indicator got its score::

    import perfscore

    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    card = rubric.evaluate(perfscore.load_facts("examples/huizhou-dayawan-zuzhibu-2022.yaml"))
    print(card.total, card.grade)
    print(card.explain())
"""

from perfscore._errors import (
    DocumentError,
    ExpressionError,
    FactsError,
    Location,
    PerfscoreError,
    Problem,
    RubricError,
    ScoringError,
    UsageError,
)
from perfscore._facts import Claims, FactsDocument
from perfscore._rubric import Rubric, bundled_rubrics, load_facts, load_rubric, parse_rubric
from perfscore._scorecard import (
    ClaimsReview,
    Discrepancy,
    GroupScore,
    IndicatorScore,
    Scorecard,
    Trace,
    TraceStep,
    Warning,
)
from perfscore._version import __version__

__all__ = [
    "Claims",
    "ClaimsReview",
    "Discrepancy",
    "DocumentError",
    "ExpressionError",
    "FactsDocument",
    "FactsError",
    "GroupScore",
    "IndicatorScore",
    "Location",
    "PerfscoreError",
    "Problem",
    "Rubric",
    "RubricError",
    "Scorecard",
    "ScoringError",
    "Trace",
    "TraceStep",
    "UsageError",
    "Warning",
    "__version__",
    "bundled_rubrics",
    "load_facts",
    "load_rubric",
    "parse_rubric",
]

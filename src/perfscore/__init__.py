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
from perfscore._tools._check import Finding, check_rubric
from perfscore._tools._diff import RubricDiff, ScoreDiff, diff_rubrics, diff_scores, load_corpus
from perfscore._tools._schema import facts_schema, rubric_schema, scorecard_schema
from perfscore._tools._template import facts_template
from perfscore._version import __version__

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
    "load_corpus",
    "load_facts",
    "load_rubric",
    "parse_rubric",
    "rubric_schema",
    "scorecard_schema",
]

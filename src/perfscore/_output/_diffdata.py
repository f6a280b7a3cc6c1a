"""What `perfscore diff` finds: changes in the rules and moves in a corpus's scores.

Plain data, computed by the diff tool and written by `_render_diff`; kept in the output room so
the renderers need nothing from the tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Change", "Delta", "Failure", "GradeChange", "RankChange", "RubricDiff", "ScoreDiff"]


@dataclass(frozen=True)
class Change:
    """One difference in the rules.

    `area` is ``rubric``, ``constant``, ``fact``, ``derived``, ``group``, ``indicator``,
    ``total``, ``grade`` or ``check``; `id` what changed in it; `what` the aspect (``added``,
    ``removed``, ``name``, ``max``, ``band[1] range``, ``rule``, ...); `old` and `new` its two
    renderings (multi-line for ``rule`` and ``method``).
    """

    area: str
    id: str
    what: str
    old: str | None
    new: str | None
    name: str | None = None

    @property
    def subject(self) -> str:
        """``indicator 'sat' (满意度)``, ``fact 'budget'``, ``total``."""
        if not self.id:
            return self.area
        named = f" ({self.name})" if self.name else ""
        return f"{self.area} {self.id!r}{named}"


@dataclass(frozen=True)
class RubricDiff:
    """Every change in the rules from `old` to `new` (both ``id@version``)."""

    old: str
    new: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Delta:
    """How one indicator's score (or the total) moves over the documents scored by both.

    `least`, `median` and `most` summarise new − old over the documents that changed.
    `status` is ``both`` for an indicator of both versions, ``added`` for one only the new
    version has (its old score counts as 0) and ``removed`` for one only the old has (its new
    score counts as 0), so that what each adds to or takes from the totals is seen.
    """

    id: str
    name: str | None
    compared: int
    changed: int
    least: Decimal | None
    median: Decimal | None
    most: Decimal | None
    status: str = "both"


@dataclass(frozen=True)
class GradeChange:
    """A document whose grade differs between the versions."""

    document: str
    subject: str | None
    old: str
    new: str
    old_total: Decimal
    new_total: Decimal


@dataclass(frozen=True)
class RankChange:
    """A document whose rank by total differs (1 is the highest; ties share a rank)."""

    document: str
    subject: str | None
    old: int
    new: int
    old_total: Decimal
    new_total: Decimal


@dataclass(frozen=True)
class Failure:
    """A document that could not be scored under a version (``old``, ``new`` or ``both``)."""

    document: str
    version: str
    code: str
    message: str


@dataclass(frozen=True)
class ScoreDiff:
    """What a corpus of facts documents says about the change."""

    documents: int
    compared: int
    indicators: tuple[Delta, ...]
    total: Delta
    grades: tuple[GradeChange, ...]
    ranks: tuple[RankChange, ...]
    failures: tuple[Failure, ...]
    #: documents scored under both versions whose total is a range under either (they have
    #: unknown values): their totals, grades and ranks are not compared, their exact
    #: indicator scores are
    ranged: int = 0

    @property
    def changed(self) -> bool:
        """True when any score, grade or rank moves, or a document fails under one version."""
        return bool(
            self.total.changed
            or any(d.changed for d in self.indicators)
            or self.grades
            or self.ranks
            or any(f.version in ("old", "new") for f in self.failures)
        )

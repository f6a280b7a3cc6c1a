"""The public `Rubric`, loading rubrics and facts, and finding bundled rubrics."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path

from perfscore._engine._compile import compile_plan
from perfscore._engine._plan import Plan
from perfscore._engine._run import RunResult, run
from perfscore._errors import (
    FactsError,
    Location,
    PerfscoreError,
    Problem,
    RubricError,
    ScoringError,
    UsageError,
    suggest,
)
from perfscore._load._document import Document, load_document, parse_document
from perfscore._load._extends import MergedDocument, merge
from perfscore._load._facts import Claims, FactsDocument, check_claims, read_facts_document
from perfscore._load._model import Indicator, RubricModel, iter_nodes, validate_model
from perfscore._load._paths import resolve_reference
from perfscore._methods._base import FactValueError
from perfscore._output._assemble import assemble
from perfscore._output._scorecard import RubricRef, RuleBasis, Scorecard, basis_of, sha256_of
from perfscore._version import __version__

__all__ = ["Rubric", "bundled_rubrics", "load_facts", "load_rubric", "parse_rubric"]


def _at_value(exc: FactValueError, document: Document | None) -> ScoringError:
    """A scoring failure over one fact's value, pointing at that value in the facts document;
    the rule that refused it follows as a detail. Without a document it stays at the rule."""
    if document is None:
        return ScoringError(exc.problems, exc.summary)
    location = document.locate(("facts", *exc.path))
    return ScoringError(
        [
            dataclasses.replace(
                p,
                location=location,
                details=(*p.details, ("rule", str(p.location))) if p.location else p.details,
            )
            for p in exc.problems
        ],
        exc.summary,
    )


class Rubric:
    """A loaded, checked and compiled rubric. Immutable and safe to share between threads."""

    __slots__ = ("_basis", "_document", "_model", "_names", "_plan", "_records", "sha256")

    def __init__(self, model: RubricModel, plan: Plan, document: Document) -> None:
        self._model = model
        self._plan = plan
        self._document = document
        self._names = plan.names()
        self._records = plan.records_groups()
        self._basis = _basis_index(model)
        self.sha256 = sha256_of(document.data)  # set last: it seals the instance

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "sha256") and name in self.__slots__:
            raise AttributeError("Rubric is immutable")
        object.__setattr__(self, name, value)

    # The three stages a rubric was built from, for perfscore's own tools (check, cases, schema,
    # strategies); they are not part of the documented API and may change.

    @property
    def model(self) -> RubricModel:
        """The validated rubric model."""
        return self._model

    @property
    def plan(self) -> Plan:
        """The compiled plan."""
        return self._plan

    @property
    def document(self) -> Document:
        """The document the rubric was read from (locations of every value)."""
        return self._document

    @property
    def id(self) -> str:
        """The rubric id, e.g. ``dept-overall-huizhou``."""
        return self._model.id

    @property
    def version(self) -> str:
        """The rubric version, e.g. ``2022.1``."""
        return self._model.version

    @property
    def title(self) -> str:
        """The rubric's title."""
        return self._model.title

    @property
    def ref(self) -> str:
        """``id@version``, as facts documents write it."""
        return f"{self.id}@{self.version}"

    @property
    def chain(self) -> tuple[str, ...]:
        """``id@version`` of every rubric this one extends, the most basic first."""
        return self._document.chain if isinstance(self._document, MergedDocument) else ()

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Leaf and bonus indicator ids in rubric order."""
        return tuple(self._names)

    def __repr__(self) -> str:
        return f"<Rubric {self.ref} sha256={self.sha256[:12]}>"

    def evaluate(
        self,
        facts: Mapping[str, object] | FactsDocument,
        *,
        trace: bool = True,
        not_applicable: Iterable[str] = (),
        claims: Claims | None = None,
    ) -> Scorecard:
        """Score a facts document (or the mapping of its ``facts`` section).

        Args:
            facts: a `FactsDocument` from `load_facts`, or a mapping of fact ids to values
                (numbers as `int` or `Decimal`, dates as `datetime.date` or ISO text).
            trace: build per-indicator traces; scores are identical either way.
            not_applicable: indicator ids marked 不涉及 (added to the document's own list).
            claims: claimed scores (overrides the document's `claimed` section).

        Returns:
            The `Scorecard`.

        Raises:
            FactsError: the facts do not fit the rubric (every problem is listed).
            ScoringError: a formula failed at run time (e.g. division by zero), or the
                not-applicable list leaves a group none of its indicators.
        """
        if isinstance(facts, FactsDocument):
            self._check_reference(facts)
            document, raw = facts.document, facts.facts
            na = (*facts.not_applicable, *not_applicable)
            claims = claims if claims is not None else facts.claims
            subject, period = facts.subject, facts.period
            name = facts.document.name if facts.document else "facts"
        else:
            document, raw, na, subject, period, name = (
                None,
                facts,
                tuple(not_applicable),
                None,
                None,
                "facts",
            )
        values, na_set = self._validate(raw, na, claims, document, name)
        self._check_groups_keep_points(na, document)
        try:
            result = run(self._plan, values, not_applicable=na_set, trace=trace)
        except FactValueError as exc:
            raise _at_value(exc, document) from exc
        return self._scorecard(result, values, subject, period, claims, trace)

    def validate(self, facts: FactsDocument) -> None:
        """Check a facts document against this rubric without scoring it.

        Raises:
            FactsError: every problem in the facts, `not_applicable` and `claimed`, located.
        """
        self._check_reference(facts)
        name = facts.document.name if facts.document else "facts"
        self._validate(facts.facts, facts.not_applicable, facts.claims, facts.document, name)

    def _validate(
        self,
        raw: Mapping[str, object],
        na: Iterable[str],
        claims: Claims | None,
        document: Document | None,
        name: str,
    ) -> tuple[dict[str, object], frozenset[str]]:
        """Validate facts, not-applicable ids and claims together; one FactsError for all."""
        problems: list[Problem] = []
        na_set: frozenset[str] = frozenset()
        fast = self._plan.validate_fast(raw)  # plainly valid facts skip the full validator
        values: dict[str, object] = {} if fast is None else fast
        if fast is None:
            try:
                values = self._plan.validate(raw, document=document, name=name)
            except FactsError as exc:
                problems.extend(exc.problems)
        try:
            na_set = self._check_not_applicable(na, document)
        except FactsError as exc:
            problems.extend(exc.problems)
        try:
            if claims is not None:
                self._check_claims(claims, document)
        except FactsError as exc:
            problems.extend(exc.problems)
        if problems:
            summary = f"{name}: {len(problems)} problem(s) in the facts"
            other = self._looks_like(raw, problems)
            if other is not None:
                ref, known = other
                problems.insert(
                    0,
                    Problem(
                        "rubric-mismatch",
                        f"the facts look like a document for {ref}, not {self.ref}: {known} of "
                        f"{len(raw)} fact names are {ref}'s",
                        document.locate(("rubric",)) if document else Location(name),
                        hint=f"change the document's 'rubric' to {ref}, the rubric its facts "
                        "are written for",
                    ),
                )
                summary = (
                    f"{name}: looks like facts for {ref}; {len(problems) - 1} problem(s) "
                    f"against {self.ref}"
                )
            raise FactsError(problems, summary=summary)
        return values, na_set

    def _looks_like(
        self, raw: Mapping[str, object], problems: list[Problem]
    ) -> tuple[str, int] | None:
        """The bundled rubric whose facts these are, when most of them are unknown here: its
        ``id@version`` and how many of the names it declares; None when none fits better."""
        unknown = sum(p.code == "unknown-fact" for p in problems)
        if not isinstance(raw, Mapping) or unknown < max(3, len(raw) // 2):
            return None
        given = {k for k in raw if isinstance(k, str)}
        ours = len(given & set(self._model.facts))
        best: tuple[str, int] | None = None
        for ref in bundled_rubrics():
            if ref == self.ref:
                continue
            facts = _bundled_facts(ref)
            known = len(given & facts)
            # most of the document's names are that rubric's, and more than are this one's
            if known * 5 >= len(given) * 4 and known > ours and (best is None or known > best[1]):
                best = (ref, known)
        return best

    def matches(self, scorecard: Scorecard) -> bool:
        """True when `scorecard` was produced by exactly this rubric's content.

        A bundled ``id@version`` edited after a scorecard was made keeps its id and version but
        not its content hash; this detects it.
        """
        ref = scorecard.rubric
        return (ref.id, ref.version, ref.sha256) == (self.id, self.version, self.sha256)

    def grade_of(self, total: Decimal) -> str:
        """The grade the rubric gives a total."""
        return self._plan.grade(total)

    def _check_reference(self, facts: FactsDocument) -> None:
        if facts.rubric_id is None:
            return
        wanted = f"{facts.rubric_id}@{facts.rubric_version}"
        if wanted != self.ref:
            raise FactsError(
                Problem(
                    "rubric-mismatch",
                    f"facts are for rubric {wanted}, not {self.ref}",
                    facts.locate(("rubric",)),
                    hint=f"score with the rubric {wanted}, or change the document's 'rubric' to "
                    f"{self.ref} if it fits that version",
                )
            )

    def _check_not_applicable(
        self, ids: Iterable[str], document: Document | None
    ) -> frozenset[str]:
        problems = []
        for i, item in enumerate(ids):
            loc = document.locate(("not_applicable", i)) if document else Location("<facts>")
            rule = self._plan.not_applicable(item)
            if rule is None:
                known = [n for n in self._names if self._plan.not_applicable(n) is not None]
                problems.append(
                    Problem(
                        "unknown-indicator",
                        f"unknown indicator {item!r}",
                        loc,
                        hint=suggest(item, known),
                    )
                )
            elif rule == "forbidden":
                problems.append(
                    Problem(
                        "not-applicable-forbidden",
                        f"indicator {item!r} ({self._names[item]}) may not be marked not "
                        "applicable",
                        loc,
                        hint="the rubric declares no not_applicable rule for it",
                    )
                )
        if problems:
            raise FactsError(problems)
        return frozenset(ids)

    def _check_groups_keep_points(self, ids: Iterable[str], document: Document | None) -> None:
        """Refuse a not-applicable list that empties a group whose points are redistributed:
        they would go nowhere. Valid facts can do this, so it is a `ScoringError`, found before
        the run and standing at the list entry that emptied the group.
        """
        ids = list(ids)
        emptied = self._plan.emptied_groups(frozenset(ids))
        names = dict(zip(self._plan.group_ids(), self._plan.group_names(), strict=True))
        for gid, marked in emptied.items():
            if any(set(marked) > set(inner) for inner in emptied.values()):
                continue  # emptied only because a group inside it is: that one is reported
            last = max(i for i, item in enumerate(ids) if item in marked)
            loc = document.locate(("not_applicable", last)) if document else Location("<facts>")
            raise ScoringError(
                Problem(
                    "invalid-operation",
                    f"every indicator of group {gid!r} ({names[gid]}) is marked not applicable "
                    f"({', '.join(map(repr, marked))}): its points would go nowhere",
                    loc,
                    f"group {gid!r}",
                    hint="a group keeps at least one applicable indicator; leave one of these "
                    "applicable",
                )
            )

    def _check_claims(self, claims: Claims, document: Document | None) -> None:
        problems = check_claims(claims)
        for key in claims.indicators:
            if key not in self._names and key.partition(".")[0] not in self._records:
                loc = (
                    document.locate(("claimed", "indicators", key), key=True)
                    if document
                    else Location("<claims>")
                )
                problems.append(
                    Problem(
                        "unknown-indicator",
                        f"claimed score for unknown indicator {key!r}",
                        loc,
                        hint=suggest(key, list(self._names)),
                    )
                )
        if problems:
            raise FactsError(problems)

    def _check_expanded_claims(self, claimed: Mapping[str, Decimal], result: RunResult) -> None:
        """Claims naming a records group's indicators can only be checked once it is expanded."""
        if not claimed or not self._records:  # nothing _check_claims left unchecked
            return
        known = set(result.leaves)
        unknown = [key for key in claimed if key not in known]
        if unknown:
            raise FactsError(
                [
                    Problem(
                        "unknown-indicator",
                        f"claimed score for unknown indicator {key!r}",
                        Location("<claims>"),
                        hint=suggest(key, sorted(known)),
                    )
                    for key in unknown
                ]
            )

    def _scorecard(
        self,
        result: RunResult,
        values: Mapping[str, object],
        subject: str | None,
        period: str | None,
        claims: Claims | None,
        trace: bool,
    ) -> Scorecard:
        if result.claims:  # scores claimed inside records; the claimed section wins
            claims = Claims(
                {**result.claims, **(claims.indicators if claims else {})},
                claims.total if claims else None,
                claims.grade if claims else None,
            )
        self._check_expanded_claims(claims.indicators if claims else {}, result)
        return assemble(
            result,
            version=__version__,
            rubric=RubricRef(
                id=self.id,
                version=self.version,
                title=self.title,
                sha256=self.sha256,
                language=self._model.language,
                chain=self.chain,
            ),
            facts_sha256=sha256_of(values),
            subject=subject,
            period=period,
            claims=claims,
            trace=trace,
            basis=self._basis,
            grade_of=self.grade_of,
        )


def _basis_index(model: RubricModel) -> dict[str, RuleBasis]:
    items = [n.node for n in iter_nodes(model) if isinstance(n.node, Indicator)]
    return {i.id: basis_of(i.basis) for i in [*items, *model.bonus] if i.basis is not None}


def parse_rubric(text: str | bytes, *, name: str = "<rubric>") -> Rubric:
    """Load a rubric from YAML or JSON text (see `load_rubric`)."""
    return _build(parse_document(text, name=name))


def load_rubric(path: str | os.PathLike[str], *, encoding: str | None = None) -> Rubric:
    """Load, check and compile a rubric.

    Args:
        path: a rubric file, or ``id@version`` of a bundled rubric.
        encoding: the file's encoding (and that of the rubrics it extends) when not UTF-8.

    Returns:
        The compiled `Rubric`.

    Raises:
        DocumentError: the file cannot be read as YAML/JSON.
        RubricError: the rubric is malformed; every problem is listed with file:line:col.
        UsageError: ``id@version`` names no bundled rubric.
    """
    text = os.fspath(path)
    if "@" in text and not Path(text).exists():
        return _build(load_document(bundled_path(text)))
    return _build(load_document(path, encoding=encoding), encoding)


def _build(document: Document, encoding: str | None = None) -> Rubric:
    if isinstance(document.data, dict) and "extends" in document.data:
        document = merge(document, lambda ref, child: _load_base(ref, child, encoding))
    model = validate_model(document)
    plan = compile_plan(model, document.locate, document.name)
    return Rubric(model, plan, document)


def _load_base(ref: str, child: Document, encoding: str | None = None) -> Document:
    """Resolve an ``extends`` reference: a path in the child's folder tree, or id@version.

    A path that leaves the tree is refused before anything is opened (`resolve_reference`).
    """
    near = resolve_reference(ref, child.name, what="extends", location=child.locate(("extends",)))
    if near.exists():  # a pipe or a folder is refused by the reader, with its own message
        return load_document(near, encoding=encoding)
    if "@" in ref:
        return load_document(bundled_path(ref, where=child.locate(("extends",))))
    raise RubricError(
        Problem(
            "file-not-found",
            f"extends {ref!r}: no such rubric file next to {child.name} and not "
            "a bundled id@version",
            child.locate(("extends",)),
        )
    )


def load_facts(
    path: str | os.PathLike[str], *, rubric: Rubric | None = None, encoding: str | None = None
) -> FactsDocument:
    """Read a facts document (YAML or JSON) and check it.

    Args:
        path: the document.
        rubric: when given, the facts are also validated against it now (every problem,
            each at its line); otherwise `Rubric.evaluate` validates them when scoring.
        encoding: the file's encoding when it is not UTF-8 (e.g. ``"gb18030"``).

    Raises:
        DocumentError: the file cannot be read as YAML/JSON.
        FactsError: the envelope (rubric reference, claimed scores, keys) is malformed, or the
            facts do not fit `rubric`.
    """
    facts = read_facts_document(load_document(path, encoding=encoding))
    if rubric is not None:
        rubric.validate(facts)
    return facts


def _bundled_roots() -> list[Path]:
    roots = []
    packaged = resources.files("perfscore") / "_bundled"
    if packaged.is_dir():
        roots.append(Path(str(packaged)))
    source_tree = Path(__file__).resolve().parents[2] / "rubric"
    if source_tree.is_dir():  # an editable install runs from the source tree
        roots.append(source_tree)
    return roots


@functools.cache
def _bundled_facts(ref: str) -> frozenset[str]:
    """The fact ids of a bundled rubric (empty if it does not load)."""
    try:
        return frozenset(load_rubric(bundled_path(ref)).model.facts)
    except PerfscoreError:
        return frozenset()


def bundled_rubrics() -> list[str]:
    """``id@version`` of every bundled rubric, sorted."""
    found = set()
    for root in _bundled_roots():
        for path in root.glob("*/*.yaml"):
            if not path.name.endswith(".cases.yaml"):
                found.add(f"{path.parent.name}@{path.stem}")
    return sorted(found)


def bundled_path(ref: str, *, where: Location | None = None) -> Path:
    """The file of a bundled rubric ``id@version``; UsageError if there is none.

    Args:
        ref: ``id@version``.
        where: the line that names it (a facts document's ``rubric:``, an ``extends:``), so
            the error points there rather than nowhere.
    """
    rubric_id, _, version = ref.partition("@")
    roots = _bundled_roots()
    for root in roots:
        candidate = root / rubric_id / f"{version}.yaml"
        if rubric_id and version and "/" not in ref and ".." not in ref and candidate.is_file():
            return candidate
    known = bundled_rubrics()
    versions = [k for k in known if k.partition("@")[0] == rubric_id]
    details = (
        ("bundled", ", ".join(known) or "none"),
        ("searched", ", ".join(str(root) for root in roots) or "no bundled rubric folder"),
    )
    if versions:
        hint = f"{rubric_id} is bundled as " + ", ".join(versions)
    else:
        hint = suggest(ref, known) or "name a bundled rubric, or give the rubric file's path"
    raise UsageError(
        Problem(
            "rubric-not-found",
            f"no bundled rubric {ref!r}",
            where,
            details=details,
            hint=hint,
        )
    )

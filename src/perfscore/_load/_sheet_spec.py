"""The rubric's `sheet` block checked against its facts: every name it gives is a fact (or a
record field, or an indicator) of the kind the project layout prints there."""

from __future__ import annotations

from collections.abc import Callable

from perfscore._errors import Location, Problem, suggest
from perfscore._load._model import NUMBER_TYPES, Group, Indicator, RubricModel, iter_nodes

__all__ = ["sheet_problems"]

Path = tuple[str | int, ...]

_TEXT = ("text", "enum")


def sheet_problems(model: RubricModel, locate: Callable[[Path], Location]) -> list[Problem]:
    """Every name in `model.sheet` that is not a fact, field or indicator of the right kind."""
    spec = model.sheet
    if spec is None:
        return []
    problems: list[Problem] = []
    subject = "sheet"

    def fact(name: str | None, path: Path, kinds: tuple[str, ...], what: str) -> None:
        if name is None:
            return
        declared = model.facts.get(name)
        if declared is None:
            problems.append(
                Problem(
                    "unknown-name",
                    f"sheet names {name!r}, which is not a fact",
                    locate(("sheet", *path)),
                    subject,
                    hint=suggest(name, list(model.facts)),
                )
            )
        elif declared.type not in kinds:
            problems.append(
                Problem(
                    "invalid-type",
                    f"sheet names {name!r} for {what}, a fact of type {declared.type!r}; "
                    f"expected one of type {' or '.join(kinds)}",
                    locate(("sheet", *path)),
                    subject,
                )
            )

    for key in ("project", "supervisor", "goal_planned", "goal_actual"):
        fact(getattr(spec, key), (key,), _TEXT, key)
    for row, funds in spec.funds.items():
        for column in ("initial", "full", "spent"):
            fact(getattr(funds, column), ("funds", row, column), NUMBER_TYPES, "a funds figure")
    if spec.execution is not None:
        indicators = [n.node.id for n in iter_nodes(model) if isinstance(n.node, Indicator)]
        if spec.execution not in indicators:
            problems.append(
                Problem(
                    "unknown-name",
                    f"sheet.execution names {spec.execution!r}, which is not an indicator",
                    locate(("sheet", "execution")),
                    subject,
                    hint=suggest(spec.execution, indicators),
                )
            )
    if spec.rows is not None:
        lists = [
            n.node.records.list
            for n in iter_nodes(model)
            if isinstance(n.node, Group) and n.node.records is not None
        ]
        for key, name in spec.rows.model_dump().items():
            if name is None:
                continue
            for list_fact in lists:
                declared = model.facts.get(list_fact)
                fields = declared.fields if declared is not None and declared.fields else {}
                if name not in fields:
                    problems.append(
                        Problem(
                            "unknown-field",
                            f"sheet.rows.{key} names {name!r}, which is not a field of "
                            f"{list_fact!r}",
                            locate(("sheet", "rows", key)),
                            subject,
                            hint=suggest(name, list(fields)),
                        )
                    )
    return problems

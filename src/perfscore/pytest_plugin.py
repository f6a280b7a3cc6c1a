"""pytest plugin: collect ``*.cases.yaml`` rubric cases as test items.

A rubric repository's CI is just ``pytest``. Only files whose name ends in ``.cases.yaml`` are
collected. The ``perfscore`` entry point in ``pytest11`` names the top-level module
``_perfscore_pytestplugin``, which imports this one only when it meets the first case file, so
that pytest runs in projects without case files do not import perfscore. Naming this module
instead (``-p perfscore.pytest_plugin``, or ``pytest_plugins`` in a conftest) still works, and
each case is then collected once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from perfscore._errors import PerfscoreError
from perfscore._messages import LANGUAGES, in_language
from perfscore._tools._cases import Case, CaseFile, load_cases, run_case

__all__ = ["pytest_collect_file"]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect a ``*.cases.yaml`` file; ignore everything else."""
    if file_path.name.endswith(".cases.yaml"):
        return CasesFile.from_parent(parent, path=file_path)
    return None


class CaseFailedError(Exception):
    """A case whose expectations were not met."""


class CasesFile(pytest.File):
    """A case file: one item per case."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            case_file = load_cases(self.path)
        except PerfscoreError as exc:  # said as `perfscore test` says it: in the rubric's language
            raise self.CollectError(exc.render(exc.language or _default_language())) from None
        for case in case_file.cases:
            yield CaseItem.from_parent(self, name=case.name, case_file=case_file, case=case)


class CaseItem(pytest.Item):
    """One rubric case."""

    def __init__(self, *, case_file: CaseFile, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case_file = case_file
        self.case = case
        if case.todo:
            self.add_marker(pytest.mark.skip(reason=f"todo: {case.todo}"))

    def runtest(self) -> None:
        result = run_case(self.case_file, self.case)
        if result.status == "fail":
            language = self.case_file.rubric.model.language
            said = (str(in_language(failure, language)) for failure in result.failures)
            raise CaseFailedError("\n".join(said))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailedError):
            return f"case {self.case.name!r} ({self.case.location}) failed:\n  " + str(
                excinfo.value
            ).replace("\n", "\n  ")
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.case.location.line
        return self.path, (line - 1) if line else None, f"case: {self.case.name}"


def _default_language() -> str:
    """Where an error names no rubric's language: ``PERFSCORE_LANG`` when it is one, else zh."""
    value = os.environ.get("PERFSCORE_LANG", "")
    return value if value in LANGUAGES else LANGUAGES[0]

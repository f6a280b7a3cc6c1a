"""perfscore's pytest plugin as pytest loads it: collect ``*.cases.yaml`` files as rubric cases.

pytest imports every ``pytest11`` entry point when it starts, in every project of the
environment. This module sits outside the ``perfscore`` package so that importing it does not run
``perfscore/__init__.py`` (and with it pydantic, PyYAML and simpleeval): a project without case
files pays nothing for perfscore being installed. The library is imported on the first
``*.cases.yaml`` file pytest sees; the collector itself lives in `perfscore.pytest_plugin`, which
stays the import path for anyone who names the plugin there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

__all__ = ["pytest_collect_file"]

#: The name `perfscore.pytest_plugin` is registered under when a project names it itself.
_EAGER = "perfscore.pytest_plugin"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect a ``*.cases.yaml`` file; ignore everything else without importing perfscore."""
    if not file_path.name.endswith(".cases.yaml"):
        return None
    if parent.config.pluginmanager.has_plugin(_EAGER):
        return None  # that module collects the file itself; collecting it here too doubles it
    from perfscore.pytest_plugin import CasesFile

    return CasesFile.from_parent(parent, path=file_path)

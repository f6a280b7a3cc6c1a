"""The public API: every exported name imports, is documented, and nothing private leaks."""

from __future__ import annotations

import importlib
from pathlib import Path

import perfscore

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_name_in_all_imports() -> None:
    for name in perfscore.__all__:
        assert getattr(perfscore, name) is not None, name
    assert sorted(perfscore.__all__) == perfscore.__all__


def test_no_private_name_is_exported() -> None:
    assert not [
        name for name in perfscore.__all__ if name.startswith("_") and name != "__version__"
    ]


def test_every_exported_callable_and_class_is_documented() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    errors = (DOCS / "errors.md").read_text(encoding="utf-8")
    for name in perfscore.__all__:
        if name == "__version__":
            continue
        assert name in api or name in errors, f"{name} is not in docs/api.md or docs/errors.md"


def test_the_package_is_typed() -> None:
    package = Path(perfscore.__file__).parent
    assert (package / "py.typed").is_file()


def test_public_modules_import() -> None:
    for module in ("perfscore.cli", "perfscore.pytest_plugin", "perfscore.strategies"):
        importlib.import_module(module)

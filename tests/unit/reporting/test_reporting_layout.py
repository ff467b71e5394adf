"""The reporting package keeps one shape: application code depends on ports only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reporting
from reporting import bootstrap

pytestmark = pytest.mark.unit

PACKAGE = Path(reporting.__file__).resolve().parent
FORBIDDEN = (
    "asyncpg",
    "aiokafka",
    "fastapi",
    "reporting.adapters",
    "reporting.bootstrap",
)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", ["application", "domain"])
def test_inner_layers_import_no_driver_framework_or_adapter(layer: str) -> None:
    modules = sorted((PACKAGE / layer).glob("*.py"))
    assert modules, f"no modules under {layer}/"
    wrong = {
        f"{m.name}: {name}"
        for m in modules
        for name in _imports(m)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert not wrong, f"{layer} depends on adapters or drivers: {sorted(wrong)}"


def test_package_has_the_common_service_layout() -> None:
    for part in (
        "domain/__init__.py",
        "application/__init__.py",
        "application/ports.py",
        "adapters/http/__init__.py",
        "adapters/kafka/__init__.py",
        "adapters/postgres/__init__.py",
        "settings.py",
        "bootstrap.py",
        "__main__.py",
        "migrations/001_generations.sql",
    ):
        assert (PACKAGE / part).is_file(), part
    for gone in ("entrypoints", "synthetic.py", "bulk_gc.py", "sql"):
        assert not (PACKAGE / gone).exists(), f"{gone} should have moved"


def test_composition_root_is_build_app_as_in_the_write_services() -> None:
    assert callable(bootstrap.build_app)
    assert not hasattr(bootstrap, "create_app")

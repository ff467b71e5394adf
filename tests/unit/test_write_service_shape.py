"""Both write services have one shape: the same layout, layers and documented contract."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["enrollment", "certification"]
LAYOUT = {
    "__init__.py",
    "__main__.py",
    "bootstrap.py",
    "settings.py",
    "domain",
    "application",
    "adapters",
    "migrations",
}
# What each layer must not import (prefixes of module names).
FORBIDDEN = {
    "domain": ("asyncpg", "fastapi", "faststream", "aiokafka", "pydantic_settings",
               "lintas_shared.eventstore", "lintas_shared.application",
               "lintas_shared.http", "lintas_shared.messaging", "lintas_shared.db"),
    "application": ("asyncpg", "fastapi", "faststream", "aiokafka",
                    "lintas_shared.eventstore.postgres", "lintas_shared.db",
                    "lintas_shared.http", "lintas_shared.messaging"),
}  # fmt: skip


def _package(service: str) -> Path:
    return ROOT / "services" / service / service


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_has_the_common_layout(service: str) -> None:
    package = _package(service)
    entries = {p.name for p in package.iterdir() if p.name != "__pycache__"}
    adapters = {
        p.name for p in (package / "adapters").iterdir() if p.name != "__pycache__"
    }
    assert entries - {"py.typed"} == LAYOUT
    assert adapters == {"__init__.py", "http", "kafka", "postgres"}
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    assert callable(bootstrap.build_app) and service == bootstrap.SERVICE
    catalogue = importlib.import_module(f"{service}.application.catalogue")
    assert catalogue.CATALOGUE.names()


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_it_may(service: str, layer: str) -> None:
    forbidden = (*FORBIDDEN[layer], f"{service}.adapters")
    if layer == "domain":
        forbidden += (f"{service}.application",)
    offending = {
        f"{path.name}: {name}"
        for path in (_package(service) / layer).glob("*.py")
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    }
    assert offending == set()


def _spec(service: str) -> dict[str, Any]:
    app: FastAPI = importlib.import_module(f"{service}.adapters.http.app").create_app()
    return app.openapi()


@pytest.mark.parametrize("service", SERVICES)
def test_every_command_documents_its_headers_as_they_are_checked(
    service: str,
) -> None:
    posts = [op["post"] for op in _spec(service)["paths"].values() if "post" in op]
    assert posts
    for operation in posts:
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        # The actor is the verified principal: no self-declared actor headers.
        assert "X-Actor-Agency" not in headers and "X-Actor-Unit" not in headers
        key = headers["Idempotency-Key"]
        assert key["required"] is False
        assert key["schema"] | {"minLength": 8, "maxLength": 200} == key["schema"]
        assert key["schema"]["pattern"] == r"^[\x21-\x7e]{8,200}$"
        assert {"400", "401", "403", "409", "422"} <= set(operation["responses"])


@pytest.mark.parametrize("service", SERVICES)
def test_every_error_a_route_documents_is_a_problem_document(service: str) -> None:
    for path, methods in _spec(service)["paths"].items():
        for method, operation in methods.items():
            errors = {s: r for s, r in operation["responses"].items() if s >= "400"}
            assert errors, f"{method} {path} documents no error"
            for status, response in errors.items():
                assert set(response["content"]) == {"application/problem+json"}, (
                    f"{method} {path} {status}"
                )
            if "{" in path and method == "get" and not path.startswith("/blks"):
                assert "404" in errors or "422" in errors, f"{method} {path}"

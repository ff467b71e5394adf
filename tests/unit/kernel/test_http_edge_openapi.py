"""The OpenAPI document describes the problems the edge really sends."""

import json
from typing import Any

import httpx
import jsonschema_rs
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from lintas_shared.http.openapi import PROBLEM_ERROR_SCHEMA, PROBLEM_SCHEMA
from lintas_shared.http.problems import Problem, install_problem_handlers

pytestmark = pytest.mark.unit

EDGE = {"400", "500", "503"}
BODY_EDGE = {"413", "415"}


class Package(BaseModel):
    code: str


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, max_body_bytes=2048)

    @app.post(
        "/packages",
        responses={
            409: {
                "description": "Already open",
                "content": {"application/problem+json": {}},
            }
        },
    )
    async def open_package(body: Package) -> dict[str, str]:
        raise Problem(409, "already-open", f"{body.code} is already open")

    @app.get("/packages/{code}")
    async def package(code: str, year: int | None = None) -> dict[str, str]:
        return {"code": code}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }


def test_every_problem_response_has_the_problem_schema() -> None:
    spec = _app().openapi()
    assert spec["components"]["schemas"]["Problem"] == PROBLEM_SCHEMA
    for name, operation in _operations(spec).items():
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert set(response["content"]) == {"application/problem+json"}, name
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, name


def test_fastapis_validation_error_schemas_are_gone() -> None:
    text = json.dumps(_app().openapi())
    assert "HTTPValidationError" not in text
    assert '"ValidationError"' not in text
    assert "#/components/schemas/ValidationError" not in text


def test_the_edge_statuses_are_on_every_operation_and_body_ones_where_a_body_is_taken() -> (
    None
):
    operations = _operations(_app().openapi())
    assert set(operations) == {"POST /packages", "GET /packages/{code}", "GET /health"}
    for name, operation in operations.items():
        statuses = set(operation["responses"])
        assert statuses >= EDGE, name
        assert bool(statuses & BODY_EDGE) == ("requestBody" in operation), name
    posted = operations["POST /packages"]["responses"]
    assert "2048 bytes" in posted["413"]["description"]
    assert posted["409"]["description"] == "Already open"  # the route's own words kept
    assert set(posted["503"]["headers"]) == {"Retry-After"}
    assert "422" in operations["GET /packages/{code}"]["responses"]


def test_the_correlation_id_header_is_documented_with_its_rule() -> None:
    for operation in _operations(_app().openapi()).values():
        [header] = [p for p in operation["parameters"] if p["in"] == "header"]
        assert header["name"] == "X-Correlation-Id"
        assert header["required"] is False
        assert header["schema"]["pattern"] == "^[!-~]{1,128}$"


def test_the_document_is_post_processed_once_and_cached() -> None:
    app = _app()
    assert app.openapi() is app.openapi()
    assert app.openapi_schema is app.openapi()


async def test_the_problems_the_edge_sends_match_the_documented_schema() -> None:
    schema = PROBLEM_SCHEMA | {"$defs": {"ProblemError": PROBLEM_ERROR_SCHEMA}}
    validator = jsonschema_rs.validator_for(
        json.loads(json.dumps(schema).replace("#/components/schemas/", "#/$defs/"))
    )
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answers = [
            await client.post("/packages", json={"code": "MEUBEL"}),
            await client.post("/packages", content=b"{", headers=_json()),
            await client.post("/packages", content=b"x" * 3000, headers=_json()),
            await client.post("/packages", content=b"code=1"),
            await client.get("/packages/A", params={"year": "soon"}),
            await client.get("/packages/%00"),
            await client.get("/nowhere"),
        ]
    assert [a.status_code for a in answers] == [409, 400, 413, 415, 422, 400, 404]
    for answer in answers:
        body = answer.json()
        assert not list(validator.iter_errors(body)), body


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}

"""Control characters in JSON strings are refused, and the contract says so."""

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.http.request_checks import NO_CONTROL_PATTERN, TEXT_CONTROL

pytestmark = pytest.mark.unit

JSON = {"content-type": "application/json"}


class Termination(BaseModel):
    reason: str
    units: list[str] = []


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/agreements/{code}/termination")
    async def terminate(
        code: str, body: Termination, note: str | None = None
    ) -> dict[str, Any]:
        return body.model_dump()

    return app


async def _post(content: bytes) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(
            "/agreements/A/termination", content=content, headers=JSON
        )


@pytest.mark.parametrize(
    ("content", "field", "code_point"),
    [
        (b'{"reason": "a\\nb"}', "reason", "U+000A"),
        (b'{"reason": "ok", "units": ["A", "\\u0010"]}', "units.1", "U+0010"),
        ('{"reason": "x\u0085y"}'.encode(), "reason", "U+0085"),
        (b'{"reason": "ok", "\\u0000": 1}', "\x00", "U+0000"),
    ],
)
async def test_a_control_character_in_a_json_string_is_a_400_naming_the_field(
    content: bytes, field: str, code_point: str
) -> None:
    response = await _post(content)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/problems/control-character")
    assert body["errors"][0]["field"] == field
    assert code_point in body["detail"]


async def test_escapes_that_are_not_control_characters_pass() -> None:
    response = await _post(b'{"reason": "a \\"quoted\\" \\\\n \\u00e9"}')
    assert response.status_code == 200, response.text
    assert response.json()["reason"] == 'a "quoted" \\n \u00e9'


async def test_malformed_json_is_still_named_by_its_position() -> None:
    response = await _post(b'{"reason": "\\n", }')
    assert response.status_code == 400
    assert response.json()["type"].endswith("/problems/malformed-json")


def test_the_documented_pattern_refuses_exactly_what_the_edge_refuses() -> None:
    # ECMA reading, as validators and schemathesis use it: `$` is the end of the input.
    assert NO_CONTROL_PATTERN.endswith("$")
    documented = re.compile(NO_CONTROL_PATTERN[:-1] + r"\Z")
    for code in range(0x3000):
        char = chr(code)
        assert bool(documented.match(char)) is not bool(TEXT_CONTROL.search(char))


def test_free_strings_in_path_query_and_body_carry_the_pattern() -> None:
    doc = _app().openapi()
    operation = doc["paths"]["/agreements/{code}/termination"]["post"]
    patterns = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert patterns["code"]["pattern"] == NO_CONTROL_PATTERN
    assert patterns["note"]["anyOf"][0]["pattern"] == NO_CONTROL_PATTERN
    body = doc["components"]["schemas"]["Termination"]["properties"]
    assert body["reason"]["pattern"] == NO_CONTROL_PATTERN
    assert body["units"]["items"]["pattern"] == NO_CONTROL_PATTERN

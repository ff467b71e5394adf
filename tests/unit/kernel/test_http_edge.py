"""The shared HTTP edge refuses bad requests with a problem saying what and where."""

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel

from lintas_shared.http.problems import install_problem_handlers

pytestmark = pytest.mark.unit

JSON = {"content-type": "application/json"}


class Officer(BaseModel):
    nip: str


class Enrol(BaseModel):
    officer: Officer
    seats: int


def _app(max_body_bytes: int = 1024) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, max_body_bytes=max_body_bytes)

    @app.post("/enrolments")
    async def enrol(body: Enrol) -> dict[str, Any]:
        return body.model_dump()

    @app.post("/token")
    async def token(request: Request) -> dict[str, list[str]]:
        return parse_qs((await request.body()).decode())

    @app.get("/agreements/{code}")
    async def agreement(code: str, lapas_code: str | None = None) -> dict[str, Any]:
        return {"code": code, "lapas_code": lapas_code}

    return app


async def _send(method: str, url: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, url, **kwargs)


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"].endswith(f"/problems/{code}")
    assert body["status"] == status
    return body


async def test_a_nul_in_the_path_is_a_400_naming_the_path() -> None:
    body = _problem(await _send("GET", "/agreements/%00"), 400, "control-character")
    assert body["errors"] == [
        {"field": "path", "message": "control character U+0000 is not accepted"}
    ]
    assert body["instance"] == "/agreements/%00"  # as sent: nothing raw is echoed


async def test_a_nul_in_a_query_value_is_a_400_naming_the_parameter() -> None:
    response = await _send("GET", "/agreements/A?lapas_code=%00")
    body = _problem(response, 400, "control-character")
    assert body["errors"][0]["field"] == "query.lapas_code"
    assert "U+0000" in body["detail"]


@pytest.mark.parametrize("query", ["lapas_code=a%0Ab", "lapas_code=%7F", "x=%C2%85"])
async def test_other_control_characters_in_the_query_are_refused(query: str) -> None:
    _problem(await _send("GET", f"/agreements/A?{query}"), 400, "control-character")


async def test_a_control_character_in_a_header_value_is_a_400_naming_the_header() -> (
    None
):
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        request = client.build_request("GET", "/agreements/A")
        request.headers["x-note"] = "a\x01b"
        response = await client.send(request)
    body = _problem(response, 400, "control-character")
    assert body["errors"][0]["field"] == "header.x-note"


async def test_a_plain_request_passes_the_edge() -> None:
    response = await _send("GET", "/agreements/A?lapas_code=LAPAS-IIA-PADANG")
    assert response.status_code == 200
    assert response.json() == {"code": "A", "lapas_code": "LAPAS-IIA-PADANG"}


@pytest.mark.parametrize("value", [b"x" * 129, b"has space", "é".encode(), b""])
async def test_a_malformed_correlation_id_is_a_400(value: bytes) -> None:
    headers = {"X-Correlation-Id": value}
    response = await _send("GET", "/agreements/A", headers=headers)
    body = _problem(response, 400, "invalid-correlation-id")
    assert body["errors"][0]["field"] == "X-Correlation-Id"


@pytest.mark.parametrize("value", ["corr-42", "6f1c1d1e-8f2a-4c36-9a53-1f0d2c3b4a59"])
async def test_a_well_formed_correlation_id_is_accepted(value: str) -> None:
    response = await _send("GET", "/agreements/A", headers={"X-Correlation-Id": value})
    assert response.status_code == 200


async def test_malformed_json_is_a_400_naming_line_and_column_in_words() -> None:
    content = b'{"officer": {"nip": "1"}\n "seats": 1}'
    response = await _send("POST", "/enrolments", content=content, headers=JSON)
    body = _problem(response, 400, "malformed-json")
    assert body["errors"] == [
        {"field": "body", "message": "line 2, column 2: Expecting ',' delimiter"}
    ]
    assert "line 2, column 2" in body["detail"]


async def test_a_text_body_to_a_json_route_is_a_415_saying_what_is_expected() -> None:
    response = await _send(
        "POST",
        "/enrolments",
        content=b"seats=1",
        headers={"content-type": "text/plain"},
    )
    body = _problem(response, 415, "unsupported-media-type")
    assert "application/json" in body["detail"]
    assert "text/plain" in body["detail"]


async def test_a_body_without_content_type_to_a_json_route_is_a_415() -> None:
    response = await _send("POST", "/enrolments", content=b'{"seats": 1}')
    _problem(response, 415, "unsupported-media-type")


async def test_a_route_that_reads_its_own_body_takes_any_media_type() -> None:
    response = await _send("POST", "/token", data={"grant_type": "client_credentials"})
    assert response.status_code == 200
    assert response.json() == {"grant_type": ["client_credentials"]}


async def test_a_json_suffix_media_type_is_json() -> None:
    content = b'{"officer": {"nip": "1"}, "seats": 1}'
    headers = {"content-type": "application/merge-patch+json; charset=utf-8"}
    response = await _send("POST", "/enrolments", content=content, headers=headers)
    assert response.status_code == 200


async def test_a_body_over_the_limit_is_a_413_stating_the_limit() -> None:
    content = b'{"officer": {"nip": "' + b"1" * 2000 + b'"}, "seats": 1}'
    response = await _send("POST", "/enrolments", content=content, headers=JSON)
    body = _problem(response, 413, "body-too-large")
    assert "1024 bytes" in body["detail"]


async def test_a_streamed_body_over_the_limit_is_a_413_without_content_length() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"officer": {"nip": "'
        for _ in range(10):
            yield b"1" * 200
        yield b'"}, "seats": 1}'

    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        request = client.build_request("POST", "/enrolments", content=chunks())
        request.headers["content-type"] = "application/json"
        assert "content-length" not in request.headers
        response = await client.send(request)
    _problem(response, 413, "body-too-large")


async def test_a_streamed_body_under_the_limit_reaches_the_route() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"officer": {"nip": '
        yield b'"1"}, "seats": 3}'

    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        request = client.build_request("POST", "/enrolments", content=chunks())
        request.headers["content-type"] = "application/json"
        response = await client.send(request)
    assert response.status_code == 200
    assert response.json() == {"officer": {"nip": "1"}, "seats": 3}


async def test_an_escaped_nul_in_a_json_string_is_a_400() -> None:
    content = b'{"officer": {"nip": "1\\u0000"}, "seats": 1}'
    response = await _send("POST", "/enrolments", content=content, headers=JSON)
    body = _problem(response, 400, "control-character")
    assert body["errors"][0]["field"] == "officer.nip"


async def test_an_escaped_backslash_before_u0000_is_plain_text() -> None:
    content = b'{"officer": {"nip": "1\\\\u0000"}, "seats": 1}'
    response = await _send("POST", "/enrolments", content=content, headers=JSON)
    assert response.status_code == 200
    assert response.json()["officer"]["nip"] == "1\\u0000"


async def test_a_validation_error_names_each_field_in_dotted_form() -> None:
    content = b'{"officer": {"nip": 7}, "seats": "many"}'
    response = await _send("POST", "/enrolments", content=content, headers=JSON)
    body = _problem(response, 422, "invalid-request")
    fields = [e["field"] for e in body["errors"]]
    assert fields == ["officer.nip", "seats"]
    assert all(e["message"] for e in body["errors"])
    assert "officer.nip (Input should be a valid string)" in body["detail"]


async def test_a_missing_body_is_a_422_naming_the_body() -> None:
    response = await _send("POST", "/enrolments", headers=JSON)
    body = _problem(response, 422, "invalid-request")
    assert body["errors"][0]["field"] == "body"


async def test_unknown_paths_and_methods_are_problems_with_allow() -> None:
    _problem(await _send("GET", "/nowhere"), 404, "not-found")
    response = await _send("DELETE", "/enrolments")
    _problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "POST"

"""Failures during a request: outages are retryable 503s, anything else a bare 500."""

from collections.abc import Iterator, MutableMapping
from typing import Any

import asyncpg
import httpx
import pytest
import structlog
from aiokafka.errors import KafkaConnectionError
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.service import CorrelationMiddleware

pytestmark = pytest.mark.unit

OUTAGES: dict[str, BaseException] = {
    "connection-lost": asyncpg.exceptions.ConnectionDoesNotExistError("gone"),
    "interface": asyncpg.InterfaceError("pool is closing"),
    "cannot-connect-now": asyncpg.CannotConnectNowError("starting up"),
    "too-many": asyncpg.TooManyConnectionsError("too many clients"),
    "refused": ConnectionRefusedError(111, "refused"),
    "acquire-timeout": TimeoutError(),
    "kafka": KafkaConnectionError("no broker"),
    "wrapped": RuntimeError("append failed"),
}
OUTAGES["wrapped"].__cause__ = asyncpg.exceptions.AdminShutdownError("terminating")


@pytest.fixture(autouse=True)
def logs() -> Iterator[list[MutableMapping[str, Any]]]:
    """The log entries, with the bound correlation id (and no slow console rendering)."""
    with structlog.testing.capture_logs(
        processors=[structlog.contextvars.merge_contextvars]
    ) as entries:
        yield entries


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(CorrelationMiddleware)  # the services' order: probes come last

    @app.post("/commands/{kind}")
    async def command(kind: str) -> dict[str, str]:
        raise OUTAGES[kind]

    @app.get("/bug")
    async def bug() -> dict[str, str]:
        raise KeyError("internal-table-name")

    @app.get("/nul")
    async def nul() -> dict[str, str]:
        raise asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte 0x00")

    @app.get("/export")
    async def export() -> StreamingResponse:
        async def rows() -> Any:
            yield b"a,b\n"
            raise OSError("broken mid-stream")

        return StreamingResponse(rows(), media_type="text/csv")

    return app


async def _send(method: str, url: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, url, **kwargs)


@pytest.mark.parametrize("kind", sorted(OUTAGES))
async def test_an_outage_is_a_retryable_503_with_retry_after(kind: str) -> None:
    response = await _send("POST", f"/commands/{kind}")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    body = response.json()
    assert body["retryable"] is True
    assert "safe to retry" in body["detail"]
    assert "Idempotency-Key" in body["detail"]


async def test_an_unexpected_error_is_a_500_problem_without_internal_detail(
    logs: list[MutableMapping[str, Any]],
) -> None:
    response = await _send("GET", "/bug", headers={"X-Correlation-Id": "corr-500"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-correlation-id"] == "corr-500"
    body = response.json()
    assert body["type"].endswith("/problems/internal-error")
    assert "internal-table-name" not in response.text
    assert "KeyError" not in response.text
    assert "corr-500" in body["detail"]
    failed = [e for e in logs if e["event"] == "request_failed"]
    assert len(failed) == 1
    assert failed[0]["correlation_id"] == "corr-500"
    assert failed[0]["log_level"] == "error"
    assert isinstance(failed[0]["exc_info"], KeyError)


async def test_a_generated_correlation_id_is_quoted_in_the_500() -> None:
    response = await _send("GET", "/bug")
    generated = response.headers["x-correlation-id"]
    assert generated in response.json()["detail"]


async def test_an_outage_is_logged_as_a_warning_with_the_correlation_id(
    logs: list[MutableMapping[str, Any]],
) -> None:
    await _send("POST", "/commands/refused", headers={"X-Correlation-Id": "c-503"})
    [entry] = [e for e in logs if e["event"] == "request_unavailable"]
    assert entry["log_level"] == "warning"
    assert entry["correlation_id"] == "c-503"


async def test_a_nul_refused_by_postgresql_is_a_400_not_a_500() -> None:
    response = await _send("GET", "/nul")
    assert response.status_code == 400
    assert response.json()["type"].endswith("/problems/control-character")


async def test_a_failure_after_the_answer_started_is_not_masked() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with pytest.raises(OSError, match="broken mid-stream"):
            await client.get("/export")

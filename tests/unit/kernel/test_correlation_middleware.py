"""Correlation ids: one per request, the same in the response and the command's metadata."""

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from lintas_shared.envelope import EventMetadata
from lintas_shared.http.actor import command_metadata
from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.service import Runtime
from lintas_shared.settings import ServiceSettings

pytestmark = pytest.mark.unit

ACTOR = {"X-Actor-Agency": "DITJENPAS", "X-Actor-Unit": "LAPAS-IIA-PADANG"}


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)  # the services' order: the edge, then the probes
    runtime = Runtime("test", ServiceSettings(database_url="postgresql://unused"), [])
    runtime.install_probes(app)

    @app.post("/command")
    async def command(
        metadata: Annotated[EventMetadata, Depends(command_metadata)],
    ) -> dict[str, str]:
        return {"correlation_id": metadata.correlation_id}

    return app


async def _post(headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post("/command", headers=headers)


async def test_a_generated_id_is_the_one_in_the_metadata_and_the_response() -> None:
    response = await _post(ACTOR)
    generated = response.headers["x-correlation-id"]
    assert len(generated) == 36
    assert response.json() == {"correlation_id": generated}


async def test_the_callers_id_is_kept_and_echoed() -> None:
    response = await _post(ACTOR | {"X-Correlation-Id": "corr-42"})
    assert response.headers["x-correlation-id"] == "corr-42"
    assert response.json() == {"correlation_id": "corr-42"}


async def test_a_malformed_id_is_refused_before_the_command_runs() -> None:
    response = await _post(ACTOR | {"X-Correlation-Id": "x" * 129})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "X-Correlation-Id"
    assert "correlation_id" not in response.json()

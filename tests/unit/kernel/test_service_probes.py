"""Probes and edge answers every service shares: their contract matches what they send."""

import importlib

import httpx
import pytest
from fastapi import FastAPI

from lintas_shared.http.edge import EdgeMiddleware
from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.service import Runtime
from lintas_shared.settings import ServiceSettings

pytestmark = pytest.mark.unit


class _NotReadyRuntime(Runtime):
    async def readiness(self) -> dict[str, str]:
        return {"database": "ok", "kafka": "down: unreachable"}


def _app(runtime_class: type[Runtime] = Runtime) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, max_body_bytes=2048)  # the services' order
    settings = ServiceSettings(database_url="postgresql://unused")
    runtime_class("test", settings, []).install_probes(app)

    @app.get("/things")
    async def list_things() -> list[str]:
        return []

    @app.post("/things")
    async def add_thing(thing: dict[str, str]) -> dict[str, str]:
        return thing

    return app


async def _call(
    method: str, path: str, app: FastAPI | None = None, **kwargs: object
) -> httpx.Response:
    transport = httpx.ASGITransport(app=app or _app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_a_refused_correlation_id_is_not_echoed_in_the_answer() -> None:
    malformed = "x" * 129
    response = await _call("GET", "/health", headers={"X-Correlation-Id": malformed})
    assert response.status_code == 400
    echoed = response.headers["x-correlation-id"]
    assert echoed != malformed
    assert len(echoed) == 36  # a fresh id the log lines carry too


async def test_a_valid_correlation_id_is_still_echoed() -> None:
    response = await _call("GET", "/health", headers={"X-Correlation-Id": "corr-7"})
    assert response.headers["x-correlation-id"] == "corr-7"


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "DELETE"])
async def test_an_undeclared_method_gets_405_naming_every_method_of_the_path(
    method: str,
) -> None:
    response = await _call(method, "/things")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, POST"


async def test_not_ready_is_a_retryable_problem_listing_the_checks() -> None:
    response = await _call("GET", "/ready", app=_app(_NotReadyRuntime))
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["status"] == 503 and body["retryable"] is True
    assert body["ready"] is False
    assert body["checks"]["kafka"] == "down: unreachable"
    assert "kafka" in body["detail"]


async def test_the_openapi_declares_what_ready_and_metrics_really_send() -> None:
    doc = (await _call("GET", "/openapi.json")).json()
    ready = doc["paths"]["/ready"]["get"]["responses"]
    assert list(ready["503"]["content"]) == ["application/problem+json"]
    assert "Retry-After" in ready["503"]["headers"]
    assert "checks" in str(ready["503"]["content"])
    metrics = doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    sent = (await _call("GET", "/metrics")).headers["content-type"]
    assert list(metrics) == [sent]
    assert sent.startswith("text/plain; version=0.0.4")


async def test_the_body_limit_given_is_the_one_enforced_and_documented() -> None:
    response = await _call("POST", "/things", json={"name": "x" * 3000})
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["detail"]
    doc = (await _call("GET", "/openapi.json")).json()
    assert "2048" in doc["paths"]["/things"]["post"]["responses"]["413"]["description"]


@pytest.mark.parametrize("service", ["enrollment", "certification", "reporting"])
def test_each_service_enforces_its_configured_body_limit(service: str) -> None:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings_module = importlib.import_module(f"{service}.settings")
    settings_class = next(
        value
        for name, value in vars(settings_module).items()
        if name.endswith("Settings") and name != "ServiceSettings"
    )
    settings = settings_class(
        database_url="postgresql://unused", http_max_body_bytes=3333
    )
    app = bootstrap.build_app(settings)  # nothing connects before the lifespan
    edge = [m for m in app.user_middleware if m.cls is EdgeMiddleware]
    assert [m.kwargs["max_body_bytes"] for m in edge] == [3333]
    with_body = [
        op["responses"]["413"]["description"]
        for item in app.openapi()["paths"].values()
        for op in item.values()
        if "requestBody" in op
    ]
    assert with_body or service == "reporting"
    assert all("3333" in description for description in with_body)

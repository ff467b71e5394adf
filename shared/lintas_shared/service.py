"""Service runtime for composition roots: pool, migrations, publisher, background tasks, probes."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lintas_shared.db import Migration, create_pool, kernel_migrations, migrate
from lintas_shared.http.document import PROBLEM_BASE, PROBLEM_JSON
from lintas_shared.http.request_checks import CORRELATION_ID
from lintas_shared.messaging.consumer import EventConsumer
from lintas_shared.messaging.producer import KafkaPublisher
from lintas_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

# Prometheus' classic text format: every scraper reads it, and the output of
# ``generate_latest`` (legacy names, underscores) is exactly that format.
METRICS_MEDIA_TYPE = CONTENT_TYPE_PLAIN_0_0_4
NOT_READY_RETRY_AFTER = 5


class Readiness(BaseModel):
    """The answer of ``/ready`` when every component is ready."""

    ready: bool = Field(description="True: database, Kafka and consumers are ready.")
    checks: dict[str, str] = Field(
        description="Each component and its state: ok, starting, or down: reason."
    )


_READY_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "Not ready: a problem document whose `checks` names each "
        "component's state; retry after Retry-After seconds.",
        "content": {
            PROBLEM_JSON: {
                "schema": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Problem"},
                        {
                            "type": "object",
                            "required": ["ready", "checks"],
                            "properties": {
                                "ready": {"type": "boolean", "const": False},
                                "checks": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        },
                    ]
                }
            }
        },
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before asking again.",
                "schema": {"type": "integer", "minimum": 0},
            }
        },
    }
}
_METRICS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The metrics in Prometheus' text format 0.0.4.",
        "content": {METRICS_MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}


class Runtime:
    """Owns the resources of one service process; opened in startup, closed in shutdown."""

    def __init__(
        self, name: str, settings: ServiceSettings, migrations: list[Migration]
    ) -> None:
        self.name = name
        self.settings = settings
        self._migrations = [*kernel_migrations(), *migrations]
        self._pool: asyncpg.Pool | None = None
        self._publisher: KafkaPublisher | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.consumers: list[EventConsumer] = []
        self._checks: dict[str, Callable[[], bool]] = {}

    @property
    def pool(self) -> asyncpg.Pool:
        assert self._pool is not None, "runtime not started"
        return self._pool

    @property
    def publisher(self) -> KafkaPublisher:
        assert self._publisher is not None, "runtime not started"
        return self._publisher

    async def start(self) -> None:
        """Connect to PostgreSQL (waiting for it), migrate, prepare the Kafka publisher."""
        self._pool = await _wait_for_pool(
            self.settings.database_url, self.settings.db_pool_size
        )
        async with self._pool.acquire() as conn:
            applied = await migrate(conn, self._migrations)
        log.info("migrated", service=self.name, applied=applied)
        self._publisher = KafkaPublisher(
            self.settings.kafka_bootstrap,
            f"lintas-{self.name}",
            self.settings.kafka_security,
        )

    def spawn(self, name: str, coro: Coroutine[Any, Any, None]) -> None:
        """Run a background loop for the life of the process; a crash is logged loudly."""
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(_report_crash)
        self._tasks.append(task)

    def add_check(self, name: str, is_ok: Callable[[], bool]) -> None:
        """Report another component (a command ingress, a scheduler) in ``/ready``."""
        self._checks[name] = is_ok

    def add_consumer(self, consumer: EventConsumer) -> None:
        self.consumers.append(consumer)
        self.spawn(f"consumer:{consumer.name}", consumer.run())

    async def stop(self) -> None:
        for consumer in self.consumers:
            await consumer.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self._publisher is not None:
            await self._publisher.close()
        if self._pool is not None:
            await self._pool.close()

    async def readiness(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            await asyncio.wait_for(self.pool.fetchval("SELECT 1"), timeout=2)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"down: {exc!r}"
        try:
            await asyncio.wait_for(self.publisher.ping(), timeout=3)
            checks["kafka"] = "ok"
        except Exception as exc:
            checks["kafka"] = f"down: {exc!r}"
        for consumer in self.consumers:
            checks[f"consumer:{consumer.name}"] = (
                "ok" if consumer.running else "starting"
            )
        return checks

    def install_probes(self, app: FastAPI) -> None:
        """``/health``, ``/ready``, ``/metrics`` and the correlation-id middleware."""

        @app.get("/health", tags=["operations"], summary="Process is alive")
        async def health() -> dict[str, str]:
            return {"status": "ok", "service": self.name}

        @app.get(
            "/ready",
            tags=["operations"],
            summary="Database, Kafka and consumers ready",
            response_model=Readiness,
            responses=_READY_RESPONSES,
        )
        async def ready() -> JSONResponse:
            checks = await self.readiness()
            if all(v == "ok" for v in checks.values()):
                return JSONResponse({"ready": True, "checks": checks})
            return _not_ready(checks)

        @app.get(
            "/metrics",
            tags=["operations"],
            summary="Prometheus metrics",
            response_class=Response,
            responses=_METRICS_RESPONSES,
        )
        async def metrics() -> Response:
            return Response(generate_latest(), media_type=METRICS_MEDIA_TYPE)

        app.add_middleware(CorrelationMiddleware)


def _not_ready(checks: dict[str, str]) -> JSONResponse:
    down = ", ".join(name for name, state in checks.items() if state != "ok")
    body = {
        "type": PROBLEM_BASE + "not-ready",
        "title": "Not ready",
        "status": 503,
        "detail": f"not ready yet: {down}; ask again later",
        "instance": "/ready",
        "retryable": True,
        "ready": False,
        "checks": checks,
    }
    return JSONResponse(
        body,
        status_code=503,
        media_type=PROBLEM_JSON,
        headers={"Retry-After": str(NOT_READY_RETRY_AFTER)},
    )


class CorrelationMiddleware:
    """One correlation id per request: the caller's ``X-Correlation-Id`` or a new one.

    A missing id is added to the request's own headers, so the command's event metadata,
    the log lines and the response all carry the same id. A malformed one is left in the
    request for the edge to refuse, but never echoed or logged: the answer and the log
    lines carry a new id instead. Plain ASGI rather than ``BaseHTTPMiddleware``, which
    costs a task and ~0.2 ms on every request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = list(scope["headers"])
        found = next((v for k, v in headers if k == b"x-correlation-id"), None)
        if found is None:
            found = str(uuid.uuid4()).encode()
            scope = {**scope, "headers": [*headers, (b"x-correlation-id", found)]}
        elif not CORRELATION_ID.match(found.decode("latin-1")):
            found = str(uuid.uuid4()).encode()
        echoed = (b"x-correlation-id", found)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        with structlog.contextvars.bound_contextvars(
            correlation_id=found.decode("latin-1")
        ):
            await self.app(scope, receive, send_with_id)


def lifespan(
    runtime: Runtime, wire: Callable[[Runtime], Awaitable[None]]
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan that starts the runtime, lets ``wire`` add tasks, then stops all."""

    @contextlib.asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            await wire(runtime)
            yield
        finally:
            await runtime.stop()

    return _lifespan


async def _wait_for_pool(dsn: str, size: int, attempts: int = 60) -> asyncpg.Pool:
    for attempt in range(1, attempts + 1):
        try:
            return await create_pool(dsn, max_size=size)
        except (OSError, asyncpg.CannotConnectNowError) as exc:
            if attempt == attempts:
                raise
            log.warning("database_unavailable", error=repr(exc), attempt=attempt)
            await asyncio.sleep(1)
    raise AssertionError("unreachable")


def _report_crash(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        log.error("background_task_crashed", task=task.get_name(), error=repr(exc))

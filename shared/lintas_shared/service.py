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
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lintas_shared.db import Migration, create_pool, kernel_migrations, migrate
from lintas_shared.messaging.consumer import EventConsumer
from lintas_shared.messaging.producer import KafkaPublisher
from lintas_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)


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
            self.settings.kafka_bootstrap, f"lintas-{self.name}"
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
            "/ready", tags=["operations"], summary="Database, Kafka and consumers ready"
        )
        async def ready() -> JSONResponse:
            checks = await self.readiness()
            ok = all(v == "ok" for v in checks.values())
            return JSONResponse(
                {"ready": ok, "checks": checks}, status_code=200 if ok else 503
            )

        @app.get("/metrics", tags=["operations"], summary="Prometheus metrics")
        async def metrics() -> Response:
            return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

        app.add_middleware(CorrelationMiddleware)


class CorrelationMiddleware:
    """One correlation id per request: the caller's ``X-Correlation-Id`` or a new one.

    A missing id is added to the request's own headers, so the command's event metadata,
    the log lines and the response all carry the same id. Plain ASGI rather than
    ``BaseHTTPMiddleware``, which costs a task and ~0.2 ms on every request.
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

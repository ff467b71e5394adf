"""Composition root: builds the app (API, dashboard, live projector) and the rebuild run."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from lintas_shared.audit.http import AUDIT_STATE, audit_router
from lintas_shared.audit.postgres import PostgresAuditTrail
from lintas_shared.contracts import default_registry
from lintas_shared.db import (
    Migration,
    create_pool,
    kernel_migrations,
    migrate,
    migrations_in,
)
from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.identity import IdentitySettings, TokenVerifier
from lintas_shared.identity.fastapi import install_identity
from lintas_shared.logs import configure_logging
from lintas_shared.messaging import EventConsumer
from lintas_shared.service import Runtime, lifespan
from reporting.adapters.bulk_gc import bulk_gc
from reporting.adapters.http.api import query_router
from reporting.adapters.http.dashboard import STATIC_DIR, dashboard_router
from reporting.adapters.kafka.replay import Replayer
from reporting.adapters.postgres import generations
from reporting.adapters.postgres.fact_store import PostgresFacts
from reporting.adapters.postgres.queries import list_generations
from reporting.adapters.postgres.store import PostgresGenerations
from reporting.application.project import live_handler
from reporting.application.rebuild import Progress, Rebuild, RebuildResult
from reporting.settings import ReportingSettings

SERVICE = "reporting"


def migrations() -> list[Migration]:
    return migrations_in(SERVICE, SERVICE)


def build_app(
    settings: ReportingSettings,
    *,
    project: bool = True,
    identity: IdentitySettings | None = None,
) -> FastAPI:
    """The reporting process: query API, dashboard and (unless told not to) the projector.

    Readers are verified against `identity` (default: the LINTAS_IDENTITY_* env).
    """
    runtime = Runtime(SERVICE, settings, migrations())
    identity = identity or IdentitySettings()
    verifier = TokenVerifier(identity)

    @contextlib.asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with lifespan(runtime, wire)(app):
                yield
        finally:
            await verifier.aclose()

    async def wire(rt: Runtime) -> None:
        async with rt.pool.acquire() as conn:
            await generations.ensure_current(conn)
        setattr(app.state, AUDIT_STATE, PostgresAuditTrail(rt.pool))
        if project:
            rt.add_consumer(
                EventConsumer(
                    name=settings.projector_name,
                    topics=settings.event_topics,
                    bootstrap=settings.kafka_bootstrap,
                    pool=rt.pool,
                    handler=live_handler(PostgresFacts.current),
                    registry=default_registry(),
                    publisher=rt.publisher,
                    batch_size=settings.consumer_batch_size,
                    security=settings.kafka_security,
                )
            )

    app = FastAPI(
        title="Lintas reporting",
        description="Cross-agency read models of the Lapas-BLK programme: query API, "
        "CSV export and dashboard. Every answer carries the time of the latest event "
        "applied (data as of).",
        version="1.0.0",
        lifespan=_lifespan,
    )
    install_problem_handlers(app, max_body_bytes=settings.http_max_body_bytes)
    install_identity(app, verifier)
    runtime.install_probes(app)
    app.include_router(
        query_router(
            lambda: runtime.pool,
            settings.csv_row_cap,
            lambda: getattr(app.state, AUDIT_STATE),
        )
    )
    app.include_router(audit_router())
    app.include_router(dashboard_router(settings, identity))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.runtime = runtime
    return app


def serve(settings: ReportingSettings) -> None:
    configure_logging(SERVICE, settings.log_level)
    uvicorn.run(
        build_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
    )


async def rebuild(
    settings: ReportingSettings,
    models: list[str] | None,
    report: Callable[[Progress], None],
) -> RebuildResult:
    """Rebuild ``models`` (all if None) into a new generation and switch to it."""
    pool = await create_pool(settings.database_url, max_size=4)
    replayer = Replayer(
        settings.kafka_bootstrap,
        settings.event_topics,
        settings.rebuild_batch_size,
        default_registry(),
        settings.kafka_security,
    )
    try:
        async with pool.acquire() as conn:
            await migrate(conn, [*kernel_migrations(), *migrations()])
        await replayer.start()
        run = Rebuild(
            PostgresGenerations(pool),
            replayer,
            live_consumer=settings.projector_name,
            models=models,
            report=report,
            keep_generations=settings.keep_generations,
        )
        with bulk_gc():
            return await run.run()
    finally:
        await replayer.stop()
        await pool.close()


async def status(settings: ReportingSettings) -> list[dict[str, Any]]:
    """The generations, oldest first: state, layout, facts and rebuild progress."""
    pool = await create_pool(settings.database_url, max_size=1)
    try:
        async with pool.acquire() as conn:
            return await list_generations(conn)
    finally:
        await pool.close()

"""Composition root: pool, store with inline projection, relay, command ingress, HTTP app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from enrollment.adapters.http.app import create_app
from enrollment.adapters.kafka.commands import command_ingress
from enrollment.adapters.postgres.projection import project
from enrollment.adapters.postgres.queries import PostgresQueries
from enrollment.application.context import Context
from enrollment.settings import EnrollmentSettings
from lintas_shared.audit.postgres import PostgresAuditTrail
from lintas_shared.db import Migration, migrations_in
from lintas_shared.eventstore import PostgresEventStore
from lintas_shared.identity import IdentitySettings, TokenVerifier
from lintas_shared.identity.fastapi import install_identity
from lintas_shared.messaging import OutboxRelay
from lintas_shared.service import Runtime, lifespan

SERVICE = "enrollment"
SOURCE = "lintas/enrollment"


def migrations() -> list[Migration]:
    """The service's own migrations (the runtime adds the kernel's)."""
    return migrations_in(SERVICE, "enrollment")


def build_app(
    settings: EnrollmentSettings, *, identity: IdentitySettings | None = None
) -> FastAPI:
    """The whole service as one ASGI app; nothing connects until its lifespan starts.

    Callers are verified against `identity` (default: the LINTAS_IDENTITY_* env).
    """
    runtime = Runtime(SERVICE, settings, migrations())
    verifier = TokenVerifier(identity or IdentitySettings())

    @contextlib.asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with lifespan(runtime, wire)(app):
                yield
        finally:
            await verifier.aclose()

    async def wire(rt: Runtime) -> None:
        queries = PostgresQueries(rt.pool)
        store = PostgresEventStore(rt.pool, projections=[project])
        audit = PostgresAuditTrail(rt.pool)
        context = Context(store, queries, settings.policy(), audit=audit)
        app.state.context = context
        app.state.queries = queries
        app.state.audit = audit
        relay = OutboxRelay(
            rt.pool,
            rt.publisher,
            source=SOURCE,
            lock_key=SERVICE,
            batch_size=settings.relay_batch_size,
        )
        app.state.relay = relay
        rt.spawn("relay", relay.run())
        if settings.commands_enabled:
            ingress = command_ingress(context, settings, verifier)
            app.state.ingress = ingress
            rt.spawn("commands", ingress.run())
            rt.add_check("command-ingress", lambda: ingress.running)

    app = create_app(_lifespan, max_body_bytes=settings.http_max_body_bytes)
    install_identity(app, verifier)
    runtime.install_probes(app)
    return app

"""Composition root: the app; at startup the store, relay, consumer, scheduler, commands."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import asyncpg
from fastapi import FastAPI

from certification.adapters.http.app import create_app
from certification.adapters.http.rate_limit import RateLimiter
from certification.adapters.kafka.commands import command_ingress
from certification.adapters.postgres.certificates import (
    PostgresCertificateIndex,
    backfill_verification_codes,
    certificate_projection,
    stored_verification_key,
)
from certification.adapters.postgres.directory import PostgresEnrollmentDirectory
from certification.adapters.postgres.enrollment_view import apply_enrollment_events
from certification.adapters.postgres.numbers import PostgresCertificateNumbers
from certification.adapters.postgres.queries import PostgresCertificateQueries
from certification.application.context import CertificationContext, SystemClock
from certification.application.expire_due import run_expiry_scheduler
from certification.application.ports import Clock
from certification.domain.policy import CertificationPolicy
from certification.settings import CertificationSettings
from lintas_shared.audit import AuditWriter
from lintas_shared.audit.postgres import PostgresAuditTrail
from lintas_shared.contracts import default_registry
from lintas_shared.db import Migration, migrations_in
from lintas_shared.eventstore import PostgresEventStore
from lintas_shared.identity import IdentitySettings, TokenVerifier
from lintas_shared.identity.fastapi import install_identity
from lintas_shared.messaging import EventConsumer, OutboxRelay
from lintas_shared.service import Runtime, lifespan
from lintas_shared.topics import ENROLLMENT_EVENTS

SERVICE = "certification"
SOURCE = "lintas/certification"


def migrations() -> list[Migration]:
    """The service's own migrations (the runtime adds the kernel's)."""
    return migrations_in(SERVICE, "certification")


def build_context(
    pool: asyncpg.Pool,
    clock: Clock,
    policy: CertificationPolicy,
    verification_key: bytes,
    audit: AuditWriter | None = None,
) -> CertificationContext:
    """The use cases' dependencies on PostgreSQL (certificates projected inline).

    ``audit`` defaults to the audit trail in the same database.
    """
    projection = certificate_projection(verification_key)
    return CertificationContext(
        store=PostgresEventStore(pool, projections=[projection]),
        directory=PostgresEnrollmentDirectory(pool),
        index=PostgresCertificateIndex(pool),
        numbers=PostgresCertificateNumbers(pool),
        clock=clock,
        policy=policy,
        audit=audit or PostgresAuditTrail(pool),
    )


async def verification_key(
    pool: asyncpg.Pool, settings: CertificationSettings
) -> bytes:
    """The configured HMAC key, else the one kept in the service's database."""
    if settings.verification_key is not None:
        return settings.verification_key.get_secret_value().encode()
    return await stored_verification_key(pool)


def build_app(
    settings: CertificationSettings, *, identity: IdentitySettings | None = None
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

    clock = SystemClock(settings.timezone)
    policy = CertificationPolicy.of(
        settings.min_attendance_ratio, settings.certificate_validity_years
    )

    async def wire(rt: Runtime) -> None:
        key = await verification_key(rt.pool, settings)
        await backfill_verification_codes(rt.pool, key)
        audit = PostgresAuditTrail(rt.pool)
        context = build_context(rt.pool, clock, policy, key, audit)
        app.state.context = context
        app.state.audit = audit
        app.state.queries = PostgresCertificateQueries(rt.pool)
        relay = OutboxRelay(
            rt.pool,
            rt.publisher,
            source=SOURCE,
            lock_key=SERVICE,
            batch_size=settings.relay_batch_size,
        )
        app.state.relay = relay
        rt.spawn("relay", relay.run())
        rt.add_consumer(
            EventConsumer(
                name=settings.consumer_group,
                topics=[ENROLLMENT_EVENTS],
                bootstrap=settings.kafka_bootstrap,
                pool=rt.pool,
                handler=apply_enrollment_events,
                registry=default_registry(),
                publisher=rt.publisher,
                batch_size=settings.consumer_batch_size,
                security=settings.kafka_security,
            )
        )
        rt.spawn(
            "expiry-scheduler",
            run_expiry_scheduler(context, settings.expiry_scan_interval_seconds),
        )
        if settings.commands_enabled:
            ingress = command_ingress(context, settings, verifier)
            app.state.ingress = ingress
            rt.spawn("commands", ingress.run())
            rt.add_check("command-ingress", lambda: ingress.running)

    limiter = RateLimiter(
        settings.verification_rate_per_minute, settings.verification_burst
    )
    app = create_app(
        _lifespan,
        max_body_bytes=settings.http_max_body_bytes,
        verification_limiter=limiter,
    )
    install_identity(app, verifier)
    runtime.install_probes(app)
    return app

"""Composition root: the app; at startup the store, relay, consumer, scheduler, commands."""

from __future__ import annotations

import asyncpg
from fastapi import FastAPI

from certification.adapters.http.app import create_app
from certification.adapters.kafka.commands import command_ingress
from certification.adapters.postgres.certificates import (
    PostgresCertificateIndex,
    project_certificates,
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
from lintas_shared.contracts import default_registry
from lintas_shared.db import Migration, migrations_in
from lintas_shared.eventstore import PostgresEventStore
from lintas_shared.messaging import EventConsumer, OutboxRelay
from lintas_shared.service import Runtime, lifespan
from lintas_shared.topics import ENROLLMENT_EVENTS

SERVICE = "certification"
SOURCE = "lintas/certification"


def migrations() -> list[Migration]:
    """The service's own migrations (the runtime adds the kernel's)."""
    return migrations_in(SERVICE, "certification")


def build_context(
    pool: asyncpg.Pool, clock: Clock, policy: CertificationPolicy
) -> CertificationContext:
    """The use cases' dependencies on PostgreSQL (certificates projected inline)."""
    return CertificationContext(
        store=PostgresEventStore(pool, projections=[project_certificates]),
        directory=PostgresEnrollmentDirectory(pool),
        index=PostgresCertificateIndex(pool),
        numbers=PostgresCertificateNumbers(pool),
        clock=clock,
        policy=policy,
    )


def build_app(settings: CertificationSettings) -> FastAPI:
    """The whole service as one ASGI app; nothing connects until its lifespan starts."""
    runtime = Runtime(SERVICE, settings, migrations())
    clock = SystemClock(settings.timezone)
    policy = CertificationPolicy.of(
        settings.min_attendance_ratio, settings.certificate_validity_years
    )

    async def wire(rt: Runtime) -> None:
        context = build_context(rt.pool, clock, policy)
        app.state.context = context
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
            ingress = command_ingress(context, settings)
            app.state.ingress = ingress
            rt.spawn("commands", ingress.run())
            rt.add_check("command-ingress", lambda: ingress.running)

    app = create_app(
        lifespan(runtime, wire), max_body_bytes=settings.http_max_body_bytes
    )
    runtime.install_probes(app)
    return app

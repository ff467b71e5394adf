"""Helpers for certification integration tests: enrollment events on Kafka, waiting, reading."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from certification.adapters.http.app import create_app
from certification.adapters.http.rate_limit import RateLimiter
from certification.adapters.postgres.queries import PostgresCertificateQueries
from certification.application.context import CertificationContext
from lintas_deploy.personas import Persona
from lintas_shared.audit.postgres import PostgresAuditTrail
from lintas_shared.contracts import IntegrationEvent, Kejuruan
from lintas_shared.contracts.enrollment import (
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.envelope import CloudEvent, EventMetadata
from lintas_shared.identity import Agency, Role, TokenVerifier, UnitKind
from lintas_shared.identity.fastapi import install_identity
from lintas_shared.messaging import OutgoingMessage
from tests.support.identity import Identity
from tests.support.kafka_login import admin_options

LAPAS = EventMetadata("DITJENPAS", "LAPAS-IIA-PADANG")
VERIFICATION_KEY = b"integration-tests-verification-key-0123456789"


def subject_of(event: IntegrationEvent) -> str:
    """The stream id the enrollment service would key the event by."""
    if isinstance(event, OfficerEnrolled | EnrollmentWithdrawn):
        return f"enrollment-{event.enrollment_id}"
    if isinstance(
        event, TrainingPackageOpened | TrainingPackageCancelled | TrainingPackageClosed
    ):
        return f"package-{event.package_id}"
    raise TypeError(type(event).__name__)


def message(
    topic: str, event: IntegrationEvent, event_id: uuid.UUID | None = None
) -> OutgoingMessage:
    """The event as the enrollment service's relay publishes it (CloudEvents binary)."""
    subject = subject_of(event)
    cloud = CloudEvent(
        id=event_id or uuid.uuid4(),
        source="lintas/enrollment",
        type=event.type_name(),
        subject=subject,
        time=datetime.now(UTC),
        stream_version=1,
        metadata=LAPAS,
        data=event.model_dump(mode="json"),
    )
    value, headers = cloud.to_kafka()
    return OutgoingMessage(topic, subject.encode(), value, headers)


async def wait_consumed(
    pool: asyncpg.Pool, consumer: str, count: int, timeout: float = 30.0
) -> int:
    """Wait until the consumer's checkpoints cover ``count`` records of a fresh topic."""
    deadline = asyncio.get_running_loop().time() + timeout
    done = 0
    while asyncio.get_running_loop().time() < deadline:
        done = await pool.fetchval(
            "SELECT coalesce(sum(next_offset), 0) FROM consumer_checkpoints"
            " WHERE consumer = $1",
            consumer,
        )
        if done >= count:
            return int(done)
        await asyncio.sleep(0.1)
    raise AssertionError(f"consumer {consumer} applied {done} of {count} records")


async def view_snapshot(
    pool: asyncpg.Pool | asyncpg.Connection,
) -> dict[str, list[dict[str, Any]]]:
    """Both view tables without their bookkeeping timestamps."""
    snapshot = {}
    for table, key in (("packages", "package_id"), ("enrollments", "enrollment_id")):
        rows = await pool.fetch(f"SELECT * FROM {table} ORDER BY {key}")
        snapshot[table] = [
            {k: v for k, v in dict(row).items() if k != "updated_at"} for row in rows
        ]
    return snapshot


async def read_keyed(
    bootstrap: str,
    topic: str,
    keys: Sequence[str],
    expected: int,
    timeout: float = 30.0,
) -> list[CloudEvent]:
    """Events of ``topic`` whose key is one of ``keys``, from the beginning."""
    wanted = {k.encode() for k in keys}
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **admin_options(),
    )
    await consumer.start()
    found: list[CloudEvent] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                found += [
                    CloudEvent.from_kafka(r.value, r.headers)
                    for r in records
                    if r.key in wanted
                ]
            if len(found) >= expected and not batch:
                break
    finally:
        await consumer.stop()
    return found


def http_app(
    context: CertificationContext,
    pool: asyncpg.Pool,
    verifier: TokenVerifier,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """The service's FastAPI app on these dependencies, without the runtime's lifespan."""
    app = create_app(verification_limiter=limiter)
    install_identity(app, verifier)
    app.state.context = context
    app.state.queries = PostgresCertificateQueries(pool)
    app.state.audit = PostgresAuditTrail(pool)
    return app


# Principals the pilot's personas do not cover, minted by the same local issuers.
OTHER_BLK = Persona(
    "test-bpvp-serang-operator",
    "Operator, BPVP Serang (tests)",
    "kemnaker",
    Agency.KEMNAKER,
    "BPVP-SERANG",
    UnitKind.BLK,
    frozenset({Role.OPERATOR}),
    "Banten",
)
LAS_ASSESSOR = Persona(
    "test-las-assessor",
    "Asesor las only (tests)",
    "kemnaker",
    Agency.LSP,
    "LSP-LAS-PADANG",
    UnitKind.LSP,
    frozenset({Role.ASSESSOR}),
    "Sumatera Barat",
    frozenset({Kejuruan.TEKNIK_LAS}),
)


def bearer(identity: Identity, who: Persona | tuple[str, str]) -> dict[str, str]:
    """``Authorization`` for a persona, or for (unit, role) of the pilot's personas."""
    if isinstance(who, Persona):
        return {"Authorization": f"Bearer {identity.token_of(who)}"}
    return identity.headers(*who)


BLK_OPERATOR = ("BPVP-PADANG", "operator")
LAPAS_OPERATOR = ("LAPAS-IIA-PADANG", "operator")
CENTRE_OPERATOR = ("KEMNAKER-PUSAT", "operator")
ASSESSOR = ("LSP-P2-BPVP-PADANG", "assessor")
AUDITOR = ("KEMNAKER-PUSAT", "auditor")


async def code_of(http: httpx.AsyncClient, number: str) -> str:
    """The certificate's verification code, as its BLK's signed-in view shows it."""
    answer = await http.get("/certificates", params={"number": number})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["verification_code"])


async def without_token(
    http: httpx.AsyncClient, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """The request with no Authorization header at all (the client's default removed)."""
    request = http.build_request(method, url, **kwargs)
    del request.headers["Authorization"]
    return await http.send(request)

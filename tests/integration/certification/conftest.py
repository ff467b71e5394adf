"""Certification integration fixtures: a migrated database, a fresh enrollment topic, Kafka."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from certification.application.context import CertificationContext
from certification.bootstrap import build_context
from certification.domain.policy import CertificationPolicy
from lintas_shared.db import create_pool, kernel_migrations, migrate, migrations_in
from lintas_shared.identity import TokenVerifier
from lintas_shared.messaging import KafkaPublisher
from tests.integration.certification.support import VERIFICATION_KEY
from tests.support.identity import Identity
from tests.support.kafka_login import admin_options, admin_security
from tests.unit.certification.certification_factories import TODAY
from tests.unit.certification.fakes import FixedClock


@pytest.fixture
async def cert_pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a new database with the kernel's and the service's migrations applied."""
    pool = await create_pool(fresh_database, max_size=20)
    async with pool.acquire() as conn:
        await migrate(
            conn,
            [*kernel_migrations(), *migrations_in("certification", "certification")],
        )
    yield pool
    await pool.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def context(cert_pool: asyncpg.Pool, clock: FixedClock) -> CertificationContext:
    """The use cases wired to PostgreSQL exactly as the service wires them."""
    return build_context(
        cert_pool, clock, CertificationPolicy.of(0.9), VERIFICATION_KEY
    )


@pytest.fixture
async def verifier(identity: Identity) -> AsyncIterator[TokenVerifier]:
    """A verifier trusting the session's two local issuers."""
    verifier = identity.verifier()
    yield verifier
    await verifier.aclose()


@pytest.fixture
async def enrollment_topic(kafka_bootstrap: str) -> str:
    """A private stand-in for lintas.enrollment.events, so offsets count only this test."""
    name = f"test.enrollment.{uuid.uuid4().hex[:12]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap, **admin_options())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 3, 1)])
    finally:
        await admin.close()
    return name


@pytest.fixture
async def publisher(kafka_bootstrap: str) -> AsyncIterator[KafkaPublisher]:
    publisher = KafkaPublisher(
        kafka_bootstrap, "certification-tests", security=admin_security()
    )
    yield publisher
    await publisher.close()

"""The local enrollment view from real Kafka: duplicates, replays and any order change nothing."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
import pytest

from certification.adapters.postgres.directory import PostgresEnrollmentDirectory
from certification.adapters.postgres.enrollment_view import (
    apply_enrollment_events,
    apply_event,
)
from lintas_shared.contracts import IntegrationEvent, Track, default_registry
from lintas_shared.contracts.enrollment import (
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.messaging import EventConsumer, KafkaPublisher
from tests.integration.certification.support import (
    message,
    view_snapshot,
    wait_consumed,
)
from tests.support.kafka_login import admin_security
from tests.unit.certification.certification_factories import (
    BLK_PADANG,
    END,
    START,
    officer_enrolled,
)

pytestmark = pytest.mark.integration


def _opened(
    package_id: uuid.UUID, track: Track = Track.INSTRUCTOR
) -> TrainingPackageOpened:
    return TrainingPackageOpened(
        package_id=package_id,
        code=f"PDG-{uuid.uuid4().hex[:6].upper()}",
        title="Meubel + metodologi",
        blk=BLK_PADANG,
        kejuruan=officer_enrolled().kejuruan,
        track=track,
        start_date=START,
        end_date=END,
        jp_technical=240,
        jp_methodology=80,
        seats=16,
        skkni_units=("C.16MEB01.001.1",),
    )


def _withdrawn(enrolled: OfficerEnrolled) -> EnrollmentWithdrawn:
    return EnrollmentWithdrawn(
        enrollment_id=enrolled.enrollment_id,
        package_id=enrolled.package_id,
        nip=enrolled.officer.nip,
        reason="dipindahtugaskan",
        withdrawn_at=datetime.now(UTC),
    )


def _pilot_history() -> tuple[list[IntegrationEvent], dict[str, uuid.UUID]]:
    """Two packages, six enrollments, withdrawals (one before its enrollment), a cancel."""
    package, cancelled = uuid.uuid4(), uuid.uuid4()
    enrolled = [officer_enrolled(package_id=package) for _ in range(6)]
    in_cancelled = officer_enrolled(package_id=cancelled, track=Track.RESKILLING)
    events: list[IntegrationEvent] = [
        _opened(package),
        _opened(cancelled, Track.RESKILLING),
        _withdrawn(enrolled[0]),  # arrives before the enrollment it withdraws
        *enrolled,
        in_cancelled,
        _withdrawn(enrolled[1]),
        TrainingPackageCancelled(package_id=cancelled, reason="instruktur berhalangan"),
        TrainingPackageClosed(package_id=package),
    ]
    ids = {
        "withdrawn_first": enrolled[0].enrollment_id,
        "withdrawn_after": enrolled[1].enrollment_id,
        "active": enrolled[2].enrollment_id,
        "cancelled_package": in_cancelled.enrollment_id,
    }
    return events, ids


@asynccontextmanager
async def _consuming(
    pool: asyncpg.Pool,
    bootstrap: str,
    topic: str,
    publisher: KafkaPublisher,
    name: str,
    group_id: str | None = None,
) -> AsyncIterator[EventConsumer]:
    consumer = EventConsumer(
        name=name,
        topics=[topic],
        bootstrap=bootstrap,
        pool=pool,
        handler=apply_enrollment_events,
        registry=default_registry(),
        publisher=publisher,
        group_id=group_id,
        security=admin_security(),
    )
    task = asyncio.create_task(consumer.run())
    try:
        yield consumer
    finally:
        await consumer.stop()
        await task


async def test_duplicated_and_replayed_enrollment_events_change_nothing(
    cert_pool: asyncpg.Pool,
    kafka_bootstrap: str,
    enrollment_topic: str,
    publisher: KafkaPublisher,
) -> None:
    events, ids = _pilot_history()
    messages = [message(enrollment_topic, e) for e in events]
    # A relay retry re-sends some records (same ids); a republish gives others new ids.
    duplicates = messages[:5]
    republished = [message(enrollment_topic, e) for e in events[3:7]]
    await publisher.publish([*messages, *duplicates, *republished])
    total = len(messages) + len(duplicates) + len(republished)
    name = f"cert-view-{uuid.uuid4().hex[:8]}"

    async with _consuming(
        cert_pool, kafka_bootstrap, enrollment_topic, publisher, name
    ):
        await wait_consumed(cert_pool, name, total)
    first = await view_snapshot(cert_pool)

    # Full replay from offset 0 under a new group, the inbox kept: nothing changes.
    await cert_pool.execute(
        "DELETE FROM consumer_checkpoints WHERE consumer = $1", name
    )
    async with _consuming(
        cert_pool, kafka_bootstrap, enrollment_topic, publisher, name, f"{name}-replay"
    ):
        await wait_consumed(cert_pool, name, total)
    assert await view_snapshot(cert_pool) == first

    # Even forgetting the processed ids, re-applying every record changes nothing.
    await cert_pool.execute(
        "DELETE FROM consumer_checkpoints WHERE consumer = $1", name
    )
    await cert_pool.execute("DELETE FROM processed_events WHERE consumer = $1", name)
    async with _consuming(
        cert_pool, kafka_bootstrap, enrollment_topic, publisher, name, f"{name}-again"
    ):
        await wait_consumed(cert_pool, name, total)
    assert await view_snapshot(cert_pool) == first

    directory = PostgresEnrollmentDirectory(cert_pool)
    assert len(first["enrollments"]) == 7 and len(first["packages"]) == 2
    withdrawn_first = await directory.get(ids["withdrawn_first"])
    assert withdrawn_first is not None and withdrawn_first.withdrawn
    withdrawn_after = await directory.get(ids["withdrawn_after"])
    assert withdrawn_after is not None and withdrawn_after.withdrawn
    active = await directory.get(ids["active"])
    assert active is not None and not active.withdrawn and not active.package_cancelled
    in_cancelled = await directory.get(ids["cancelled_package"])
    assert in_cancelled is not None and in_cancelled.package_cancelled


async def test_enrollment_events_in_any_order_converge_to_one_view(
    cert_pool: asyncpg.Pool,
) -> None:
    events, _ = _pilot_history()
    snapshots = []
    for seed in range(6):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        async with cert_pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            for event in shuffled:
                await apply_event(conn, event)
            snapshots.append(await view_snapshot(conn))
            await transaction.rollback()

    assert all(s == snapshots[0] for s in snapshots)
    assert sum(r["withdrawn"] for r in snapshots[0]["enrollments"]) == 2


async def test_withdrawal_alone_does_not_make_the_enrollment_known(
    cert_pool: asyncpg.Pool,
) -> None:
    enrolled = officer_enrolled()
    async with cert_pool.acquire() as conn:
        await apply_event(conn, _withdrawn(enrolled))
    directory = PostgresEnrollmentDirectory(cert_pool)

    assert await directory.get(enrolled.enrollment_id) is None
    async with cert_pool.acquire() as conn:
        await apply_event(conn, enrolled)
    facts = await directory.get(enrolled.enrollment_id)
    assert facts is not None and facts.withdrawn
    assert facts.officer_name == enrolled.officer.name

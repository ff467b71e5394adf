"""Consumer handler: keeps the local view of packages and enrollments from enrollment events."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from lintas_shared.contracts import IntegrationEvent
from lintas_shared.contracts.enrollment import (
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.messaging import Delivery

# Every statement is an upsert that only sets what its own event knows, so applying the
# same event twice, or events in any order, ends in the same row.
_OPENED = """
INSERT INTO packages (package_id, opened, code, title, blk, kejuruan, track, start_date,
                      end_date, jp_technical, jp_methodology, seats, skkni_units)
VALUES ($1, true, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (package_id) DO UPDATE SET
    opened = true, code = $2, title = $3, blk = $4, kejuruan = $5, track = $6,
    start_date = $7, end_date = $8, jp_technical = $9, jp_methodology = $10,
    seats = $11, skkni_units = $12, updated_at = now()
"""
_CANCELLED = """
INSERT INTO packages (package_id, cancelled, cancel_reason) VALUES ($1, true, $2)
ON CONFLICT (package_id) DO UPDATE SET cancelled = true, cancel_reason = $2,
    updated_at = now()
"""
_CLOSED = """
INSERT INTO packages (package_id, closed) VALUES ($1, true)
ON CONFLICT (package_id) DO UPDATE SET closed = true, updated_at = now()
"""
_ENROLLED = """
INSERT INTO enrollments (enrollment_id, package_id, nip, enrolled, officer_name,
                         package_code, kejuruan, track, blk, lapas, start_date, end_date,
                         jp_total, enrolled_at)
VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (enrollment_id) DO UPDATE SET
    package_id = $2, nip = $3, enrolled = true, officer_name = $4, package_code = $5,
    kejuruan = $6, track = $7, blk = $8, lapas = $9, start_date = $10, end_date = $11,
    jp_total = $12, enrolled_at = $13, updated_at = now()
"""
_WITHDRAWN = """
INSERT INTO enrollments (enrollment_id, package_id, nip, withdrawn, withdrawn_at,
                         withdraw_reason)
VALUES ($1, $2, $3, true, $4, $5)
ON CONFLICT (enrollment_id) DO UPDATE SET
    withdrawn = true, withdrawn_at = $4, withdraw_reason = $5, updated_at = now()
"""


async def apply_enrollment_events(
    conn: asyncpg.Connection, deliveries: Sequence[Delivery]
) -> None:
    """Handler for the kernel's EventConsumer; runs inside its transaction."""
    for delivery in deliveries:
        await apply_event(conn, delivery.payload)


async def apply_event(conn: asyncpg.Connection, event: IntegrationEvent) -> None:
    """Apply one enrollment event; events this service does not need are ignored."""
    if isinstance(event, TrainingPackageOpened):
        await conn.execute(
            _OPENED,
            event.package_id,
            event.code,
            event.title,
            event.blk.model_dump(mode="json"),
            event.kejuruan.value,
            event.track.value,
            event.start_date,
            event.end_date,
            event.jp_technical,
            event.jp_methodology,
            event.seats,
            list(event.skkni_units),
        )
    elif isinstance(event, TrainingPackageCancelled):
        await conn.execute(_CANCELLED, event.package_id, event.reason)
    elif isinstance(event, TrainingPackageClosed):
        await conn.execute(_CLOSED, event.package_id)
    elif isinstance(event, OfficerEnrolled):
        await conn.execute(
            _ENROLLED,
            event.enrollment_id,
            event.package_id,
            event.officer.nip,
            event.officer.name,
            event.package_code,
            event.kejuruan.value,
            event.track.value,
            event.blk.model_dump(mode="json"),
            event.lapas.model_dump(mode="json"),
            event.start_date,
            event.end_date,
            event.jp_total,
            event.enrolled_at,
        )
    elif isinstance(event, EnrollmentWithdrawn):
        await conn.execute(
            _WITHDRAWN,
            event.enrollment_id,
            event.package_id,
            event.nip,
            event.withdrawn_at,
            event.reason,
        )

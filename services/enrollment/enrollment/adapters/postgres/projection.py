"""Inline projection: keeps the query tables in the transaction that appends the events."""

from __future__ import annotations

import asyncpg

from enrollment.domain.events import decode, is_private
from lintas_shared.contracts.enrollment import (
    AgreementSigned,
    AgreementTerminated,
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.eventstore.ports import RecordedEvent


async def project(conn: asyncpg.Connection, events: list[RecordedEvent]) -> None:
    """Apply each published event of an append to the query tables."""
    for recorded in events:
        if is_private(recorded.type):
            continue
        event = decode(recorded.type, recorded.data)
        match event:
            case AgreementSigned():
                await conn.execute(
                    """INSERT INTO agreement_view (agreement_id, number, lapas, lapas_code,
                           blk, blk_code, kejuruan, valid_from, valid_until)
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
                    event.agreement_id,
                    event.number,
                    event.lapas.model_dump(),
                    event.lapas.code,
                    event.blk.model_dump(),
                    event.blk.code,
                    [str(k) for k in event.kejuruan],
                    event.valid_from,
                    event.valid_until,
                )
            case AgreementTerminated():
                await conn.execute(
                    """UPDATE agreement_view SET terminated_on = $2, termination_reason = $3
                       WHERE agreement_id = $1""",
                    event.agreement_id,
                    event.terminated_on,
                    event.reason,
                )
            case TrainingPackageOpened():
                await _opened(conn, event)
            case TrainingPackageCancelled():
                await _status(conn, event.package_id, "CANCELLED")
            case TrainingPackageClosed():
                await _status(conn, event.package_id, "CLOSED")
            case OfficerEnrolled():
                await _enrolled(conn, event)
            case EnrollmentWithdrawn():
                await _withdrawn(conn, event)


async def _opened(conn: asyncpg.Connection, event: TrainingPackageOpened) -> None:
    await conn.execute(
        """INSERT INTO package_view (package_id, code, title, blk, blk_code, kejuruan,
               track, start_date, end_date, jp_technical, jp_methodology, seats,
               skkni_units)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""",
        event.package_id,
        event.code,
        event.title,
        event.blk.model_dump(),
        event.blk.code,
        str(event.kejuruan),
        str(event.track),
        event.start_date,
        event.end_date,
        event.jp_technical,
        event.jp_methodology,
        event.seats,
        list(event.skkni_units),
    )


async def _status(conn: asyncpg.Connection, package_id: object, status: str) -> None:
    await conn.execute(
        "UPDATE package_view SET status = $2 WHERE package_id = $1", package_id, status
    )


async def _enrolled(conn: asyncpg.Connection, event: OfficerEnrolled) -> None:
    # One statement: the roster row and the seat count.
    await conn.execute(
        """WITH enrolled AS (
               INSERT INTO enrollment_view (enrollment_id, package_id, package_code,
                   kejuruan, start_date, end_date, nip, name, position, lapas,
                   agreement_id, enrolled_at, enrolled_on)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
               RETURNING package_id)
           UPDATE package_view SET seats_taken = seats_taken + 1
           WHERE package_id = (SELECT package_id FROM enrolled)""",
        event.enrollment_id,
        event.package_id,
        event.package_code,
        str(event.kejuruan),
        event.start_date,
        event.end_date,
        event.officer.nip,
        event.officer.name,
        event.officer.position,
        event.lapas.model_dump(),
        event.agreement_id,
        event.enrolled_at,
        event.enrolled_on or event.enrolled_at.date(),
    )


async def _withdrawn(conn: asyncpg.Connection, event: EnrollmentWithdrawn) -> None:
    await conn.execute(
        """UPDATE enrollment_view SET status = 'WITHDRAWN', withdrawn_at = $2,
               withdrawal_reason = $3
           WHERE enrollment_id = $1""",
        event.enrollment_id,
        event.withdrawn_at,
        event.reason,
    )
    await conn.execute(
        "UPDATE package_view SET seats_taken = seats_taken - 1 WHERE package_id = $1",
        event.package_id,
    )

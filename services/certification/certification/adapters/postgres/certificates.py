"""The certificates table: inline projection of the certification streams, and its index."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg

from certification.domain.verification import MIN_KEY_BYTES, verification_code
from lintas_shared.contracts import Kejuruan
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    InstructorCertified,
)
from lintas_shared.eventstore import RecordedEvent

_ISSUED = """
INSERT INTO certificates (certificate_number, nip, kejuruan, officer_name, blk, lapas,
                          enrollment_id, package_id, issued_on, expires_on, status,
                          verification_code)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'valid', $11)
"""
_REVOKED = """
UPDATE certificates SET status = 'revoked', revoked_on = $2, revoke_reason = $3
WHERE certificate_number = $1
"""
_EXPIRED = """
UPDATE certificates SET status = 'expired', expired_on = $2 WHERE certificate_number = $1
"""


Projection = Callable[[asyncpg.Connection, list[RecordedEvent]], Awaitable[None]]


def certificate_projection(verification_key: bytes) -> Projection:
    """The inline projection; each new certificate gets its verification code."""

    async def project(conn: asyncpg.Connection, events: list[RecordedEvent]) -> None:
        await project_certificates(conn, events, verification_key)

    return project


async def project_certificates(
    conn: asyncpg.Connection, events: list[RecordedEvent], verification_key: bytes
) -> None:
    """Runs in the append's transaction, so the table never lags the streams."""
    for recorded in events:
        if recorded.type == InstructorCertified.type_name():
            issued = InstructorCertified.model_validate(recorded.data)
            await conn.execute(
                _ISSUED,
                issued.certificate_number,
                issued.nip,
                issued.kejuruan.value,
                issued.officer_name,
                issued.blk.model_dump(mode="json"),
                issued.lapas.model_dump(mode="json"),
                issued.enrollment_id,
                issued.package_id,
                issued.issued_on,
                issued.expires_on,
                verification_code(verification_key, issued.certificate_number),
            )
        elif recorded.type == CertificationRevoked.type_name():
            revoked = CertificationRevoked.model_validate(recorded.data)
            await conn.execute(
                _REVOKED, revoked.certificate_number, revoked.revoked_on, revoked.reason
            )
        elif recorded.type == CertificationExpired.type_name():
            expired = CertificationExpired.model_validate(recorded.data)
            await conn.execute(_EXPIRED, expired.certificate_number, expired.expired_on)


class PostgresCertificateIndex:
    """CertificateIndex on the certificates table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def locate(self, number: str) -> tuple[str, Kejuruan] | None:
        row = await self._pool.fetchrow(
            "SELECT nip, kejuruan FROM certificates WHERE certificate_number = $1",
            number,
        )
        return None if row is None else (row["nip"], Kejuruan(row["kejuruan"]))

    async def issuing_blk(self, number: str) -> str | None:
        blk = await self._pool.fetchval(
            "SELECT blk ->> 'code' FROM certificates WHERE certificate_number = $1",
            number,
        )
        return None if blk is None else str(blk)

    async def due_for_expiry(
        self, today: date, limit: int
    ) -> list[tuple[str, Kejuruan]]:
        rows = await self._pool.fetch(
            """SELECT nip, kejuruan FROM certificates
               WHERE status = 'valid' AND expires_on < $1
               ORDER BY expires_on LIMIT $2""",
            today,
            limit,
        )
        return [(row["nip"], Kejuruan(row["kejuruan"])) for row in rows]


async def stored_verification_key(pool: asyncpg.Pool) -> bytes:
    """The key kept in the database, made on first use (when none is configured)."""
    await pool.execute(
        "INSERT INTO verification_key (key) VALUES ($1) ON CONFLICT DO NOTHING",
        secrets.token_bytes(MIN_KEY_BYTES),
    )
    return bytes(await pool.fetchval("SELECT key FROM verification_key"))


async def backfill_verification_codes(pool: asyncpg.Pool, key: bytes) -> int:
    """Give certificates issued before codes existed theirs; returns how many."""
    numbers = await pool.fetch(
        "SELECT certificate_number FROM certificates WHERE verification_code IS NULL"
    )
    await pool.executemany(
        "UPDATE certificates SET verification_code = $2"
        " WHERE certificate_number = $1 AND verification_code IS NULL",
        [
            (n["certificate_number"], verification_code(key, n["certificate_number"]))
            for n in numbers
        ],
    )
    return len(numbers)

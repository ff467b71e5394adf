"""The certificates table: inline projection of the certification streams, and its index."""

from __future__ import annotations

from datetime import date

import asyncpg

from lintas_shared.contracts import Kejuruan
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    InstructorCertified,
)
from lintas_shared.eventstore import RecordedEvent

_ISSUED = """
INSERT INTO certificates (certificate_number, nip, kejuruan, officer_name, blk, lapas,
                          enrollment_id, package_id, issued_on, expires_on, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'valid')
"""
_REVOKED = """
UPDATE certificates SET status = 'revoked', revoked_on = $2, revoke_reason = $3
WHERE certificate_number = $1
"""
_EXPIRED = """
UPDATE certificates SET status = 'expired', expired_on = $2 WHERE certificate_number = $1
"""


async def project_certificates(
    conn: asyncpg.Connection, events: list[RecordedEvent]
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

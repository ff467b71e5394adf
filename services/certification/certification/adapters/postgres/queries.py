"""Read queries on the certificates table for the HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg


def _status(row: asyncpg.Record, today: date) -> str:
    # Past its last day a certificate reads expired even before the scheduler's next pass.
    if row["status"] == "valid" and row["expires_on"] < today:
        return "expired"
    return str(row["status"])


class PostgresCertificateQueries:
    """CertificateQueries on the certificates table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def public_check(self, number: str, today: date) -> dict[str, Any] | None:
        """What a printed certificate shows, and its status: no NIP, no prison."""
        row = await self._pool.fetchrow(
            "SELECT * FROM certificates WHERE certificate_number = $1", number
        )
        if row is None:
            return None
        blk = row["blk"]
        return {
            "certificate_number": row["certificate_number"],
            "status": _status(row, today),
            "holder_name": row["officer_name"],
            "kejuruan": row["kejuruan"],
            "blk": {"code": blk["code"], "name": blk["name"]},
            "issued_on": row["issued_on"],
            "valid_until": row["expires_on"],
            "revoked_on": row["revoked_on"],
            "expired_on": row["expired_on"],
        }

    async def of_officer(self, nip: str, today: date) -> list[dict[str, Any]]:
        """Every certificate of an officer, newest first, for BLK and Lapas operators."""
        rows = await self._pool.fetch(
            """SELECT * FROM certificates WHERE nip = $1
               ORDER BY issued_on DESC, certificate_number""",
            nip,
        )
        return [
            {
                "certificate_number": row["certificate_number"],
                "status": _status(row, today),
                "kejuruan": row["kejuruan"],
                "officer_name": row["officer_name"],
                "blk": row["blk"],
                "lapas": row["lapas"],
                "enrollment_id": row["enrollment_id"],
                "package_id": row["package_id"],
                "issued_on": row["issued_on"],
                "expires_on": row["expires_on"],
                "revoked_on": row["revoked_on"],
                "revoke_reason": row["revoke_reason"],
                "expired_on": row["expired_on"],
            }
            for row in rows
        ]

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


def initials(name: str) -> str:
    """'Budi Santoso' -> 'B. S.': enough to match the person in front of the verifier."""
    return " ".join(
        f"{part[0].upper()}." for part in name.split() if part[:1].isalpha()
    )


def _full(row: asyncpg.Record, today: date) -> dict[str, Any]:
    return {
        "certificate_number": row["certificate_number"],
        "verification_code": row["verification_code"],
        "status": _status(row, today),
        "kejuruan": row["kejuruan"],
        "officer_name": row["officer_name"],
        "nip": row["nip"],
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


class PostgresCertificateQueries:
    """CertificateQueries on the certificates table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def verify(self, code: str, today: date) -> dict[str, Any] | None:
        """The public answer for a verification code: no NIP, no prison, initials only."""
        row = await self._pool.fetchrow(
            "SELECT * FROM certificates WHERE verification_code = $1", code
        )
        if row is None:
            return None
        blk = row["blk"]
        return {
            "certificate_number": row["certificate_number"],
            "status": _status(row, today),
            "holder_initials": initials(row["officer_name"]),
            "kejuruan": row["kejuruan"],
            "blk": {"code": blk["code"], "name": blk["name"]},
            "issued_on": row["issued_on"],
            "valid_until": row["expires_on"],
            "revoked_on": row["revoked_on"],
            "expired_on": row["expired_on"],
        }

    async def by_number(self, number: str, today: date) -> dict[str, Any] | None:
        """One certificate with its holder and verification code (signed-in readers)."""
        row = await self._pool.fetchrow(
            "SELECT * FROM certificates WHERE certificate_number = $1", number
        )
        return None if row is None else _full(row, today)

    async def of_officer(self, nip: str, today: date) -> list[dict[str, Any]]:
        """Every certificate of an officer, newest first, for BLK and Lapas operators."""
        rows = await self._pool.fetch(
            """SELECT * FROM certificates WHERE nip = $1
               ORDER BY issued_on DESC, certificate_number""",
            nip,
        )
        return [_full(row, today) for row in rows]

"""What operators and the public ask of the certification service (the read port)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol


class CertificateQueries(Protocol):
    """Read side backed by the certificates table (PostgreSQL)."""

    async def verify(self, code: str, today: date) -> dict[str, Any] | None:
        """The public answer for a verification code: status, trade, BLK, initials."""

    async def by_number(self, number: str, today: date) -> dict[str, Any] | None:
        """One certificate, with holder and verification code (scope checked by caller)."""

    async def of_officer(self, nip: str, today: date) -> list[dict[str, Any]]:
        """Every certificate of an officer, newest first (scope checked by caller)."""

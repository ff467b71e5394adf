"""What operators and the public ask of the certification service (the read port)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol


class CertificateQueries(Protocol):
    """Read side backed by the certificates table (PostgreSQL)."""

    async def public_check(self, number: str, today: date) -> dict[str, Any] | None:
        """What a printed certificate shows, and its status: no NIP, no prison."""

    async def of_officer(self, nip: str, today: date) -> list[dict[str, Any]]:
        """Every certificate of an officer, newest first."""

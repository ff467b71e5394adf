"""What the use cases need from outside: enrollment view, certificate index, numbers, clock."""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from certification.domain.enrollment import EnrollmentFacts
from lintas_shared.contracts import Kejuruan


class EnrollmentDirectory(Protocol):
    """The local view of enrollments built from the enrollment service's events."""

    async def get(self, enrollment_id: UUID) -> EnrollmentFacts | None:
        """The enrollment once its OfficerEnrolled arrived; None before that."""


class CertificateIndex(Protocol):
    """Finds certification streams by certificate number and by expiry date."""

    async def locate(self, number: str) -> tuple[str, Kejuruan] | None:
        """(NIP, kejuruan) of the certificate's stream, if the number exists."""

    async def issuing_blk(self, number: str) -> str | None:
        """The code of the BLK that issued the certificate, if the number exists."""

    async def due_for_expiry(
        self, today: date, limit: int
    ) -> list[tuple[str, Kejuruan]]:
        """Streams holding a valid certificate whose last valid day is before ``today``."""


class CertificateNumbers(Protocol):
    """Hands out each sequence number of a certificate series once."""

    async def next_sequence(self, blk_code: str, kejuruan: Kejuruan, year: int) -> int:
        """A number never handed out before in this series (starting at 1)."""


class Clock(Protocol):
    """Today's date where the service decides: injectable so tests can move time."""

    def today(self) -> date: ...

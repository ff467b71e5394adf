"""What the use cases need from the outside: the enrollment view, a certificate index, a clock."""

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
        ...


class CertificateIndex(Protocol):
    """Finds certification streams by certificate number and by expiry date."""

    async def locate(self, number: str) -> tuple[str, Kejuruan] | None:
        """(NIP, kejuruan) of the certificate's stream, if the number exists."""
        ...

    async def due_for_expiry(
        self, today: date, limit: int
    ) -> list[tuple[str, Kejuruan]]:
        """Streams holding a valid certificate whose last valid day is before ``today``."""
        ...


class Clock(Protocol):
    """Today's date where the service decides: injectable so tests can move time."""

    def today(self) -> date: ...

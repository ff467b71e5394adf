"""What this service knows about an enrollment, learnt from the enrollment service's events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from certification.domain.errors import (
    DateBeforePackageStart,
    DateInFuture,
    EnrollmentNotKnownYet,
    EnrollmentWithdrawn,
    PackageCancelled,
)
from lintas_shared.contracts import Kejuruan, Track, UnitRef


@dataclass(frozen=True, slots=True)
class EnrollmentFacts:
    """An officer's seat in a package, as this service's local view holds it."""

    enrollment_id: UUID
    package_id: UUID
    nip: str
    officer_name: str
    kejuruan: Kejuruan
    track: Track
    blk: UnitRef
    lapas: UnitRef
    start_date: date
    end_date: date
    jp_total: int
    withdrawn: bool = False
    package_cancelled: bool = False
    # The package lets its own BLK record assessments (else only an accredited LSP).
    blk_assesses: bool = False

    @property
    def instructor_track(self) -> bool:
        return self.track is Track.INSTRUCTOR

    def ensure_recordable(self) -> None:
        """Refuse records for a withdrawn seat or a cancelled package."""
        if self.withdrawn:
            raise EnrollmentWithdrawn.because(
                f"enrollment {self.enrollment_id} was withdrawn; nothing can be recorded"
            )
        if self.package_cancelled:
            raise PackageCancelled.because(
                f"package {self.package_id} was cancelled; nothing can be recorded"
            )

    def ensure_date_in_training(self, day: date, today: date, field: str) -> None:
        """A recorded day lies between the package start and today."""
        if day > today:
            raise DateInFuture.because(
                f"{field} {day} is after today ({today})", field=field
            )
        if day < self.start_date:
            raise DateBeforePackageStart.because(
                f"{field} {day} is before the package started ({self.start_date})",
                field=field,
            )


def require_known(
    facts: EnrollmentFacts | None, enrollment_id: UUID
) -> EnrollmentFacts:
    """The enrollment, or a retryable refusal saying it has not arrived yet."""
    if facts is None:
        raise EnrollmentNotKnownYet.because(
            f"enrollment {enrollment_id} is not known to the certification service yet."
            " If it was made just now, its OfficerEnrolled event may still be on its"
            " way: retry in a few seconds. If it keeps failing, check the enrollment id.",
            field="enrollment_id",
        )
    return facts

"""TrainingPackage: one class of one trade at a BLK; its stream holds the roster and seats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from enrollment.domain.events import Event
from enrollment.domain.package_terms import PackageTerms
from lintas_shared.contracts.enrollment import (
    EnrollmentWithdrawn,
    OfficerEnrolled,
    OfficerRef,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.contracts.units import UnitRef
from lintas_shared.domain import Aggregate, NotFound, RuleViolation

CANCELLATION_NOTE = "package cancelled: "


class PackageStatus(StrEnum):
    OPEN = "OPEN"
    CANCELLED = "CANCELLED"
    CLOSED = "CLOSED"


@dataclass(frozen=True, slots=True)
class Seat:
    """An active enrollment in the package."""

    enrollment_id: UUID
    nip: str
    lapas: str  # the officer's Lapas: who may withdraw the enrollment


class TrainingPackage(Aggregate[Event]):
    """Seat-taking appends to this stream, so its version serialises the roster."""

    def __init__(self, package_id: UUID) -> None:
        super().__init__()
        self.id = package_id
        self.terms: TrainingPackageOpened | None = None
        self.status = PackageStatus.OPEN
        self.seats: dict[UUID, Seat] = {}

    @staticmethod
    def stream_id(package_id: UUID) -> str:
        return f"package-{package_id}"

    @classmethod
    def open(cls, package_id: UUID, terms: PackageTerms) -> TrainingPackage:
        """The terms were checked when PackageTerms was built."""
        package = cls(package_id)
        package.record(terms.opened(package_id))
        return package

    @property
    def seats_left(self) -> int:
        return self.require().seats - len(self.seats)

    def require(self) -> TrainingPackageOpened:
        if self.terms is None:
            raise NotFound.of("package-exists", f"no package {self.id}", "package_id")
        return self.terms

    def enrol(
        self,
        enrollment_id: UUID,
        officer: OfficerRef,
        lapas: UnitRef,
        agreement_id: UUID,
        *,
        enrolled_on: date,
        grace_days: int,
        recorded_at: datetime,
    ) -> OfficerEnrolled:
        """Rules package-open, package-not-started, officer-not-enrolled-twice, and
        seats-exhausted (check the agreement before calling: it names the Lapas)."""
        terms = self.require()
        self._require_open()
        last_day = terms.start_date + timedelta(days=grace_days)
        if enrolled_on >= last_day:
            raise RuleViolation.of(
                "package-not-started",
                f"the package started on {terms.start_date}; enrollment closed on "
                f"{last_day} (grace {grace_days} day(s))",
                "package_id",
            )
        if any(seat.nip == officer.nip for seat in self.seats.values()):
            raise RuleViolation.of(
                "officer-not-enrolled-twice",
                f"officer {officer.nip} is already enrolled in this package",
                "nip",
            )
        if self.seats_left <= 0:
            raise RuleViolation.of(
                "seats-exhausted", f"all {terms.seats} seats are taken", "package_id"
            )
        event = OfficerEnrolled(
            enrollment_id=enrollment_id,
            package_id=self.id,
            package_code=terms.code,
            kejuruan=terms.kejuruan,
            track=terms.track,
            blk=terms.blk,
            lapas=lapas,
            agreement_id=agreement_id,
            officer=officer,
            start_date=terms.start_date,
            end_date=terms.end_date,
            jp_total=terms.jp_technical + terms.jp_methodology,
            enrolled_at=recorded_at,
            enrolled_on=enrolled_on,
        )
        self.record(event)
        return event

    def withdraw(
        self, enrollment_id: UUID, reason: str, at: datetime
    ) -> EnrollmentWithdrawn:
        """Rule enrollment-active: only a current enrollment can be withdrawn."""
        self.require()
        seat = self.seats.get(enrollment_id)
        if seat is None:
            raise NotFound.of(
                "enrollment-active",
                f"no active enrollment {enrollment_id} in package {self.id}",
                "enrollment_id",
            )
        event = EnrollmentWithdrawn(
            enrollment_id=enrollment_id,
            package_id=self.id,
            nip=seat.nip,
            reason=reason.strip(),
            withdrawn_at=at,
        )
        self.record(event)
        return event

    def cancel(
        self, reason: str, today: date, at: datetime
    ) -> list[EnrollmentWithdrawn]:
        """Rules package-open and cancel-before-start; every enrollment is withdrawn."""
        terms = self.require()
        self._require_open()
        if today > terms.start_date:
            raise RuleViolation.of(
                "cancel-before-start",
                f"the package started on {terms.start_date}; close it instead",
                "package_id",
            )
        note = (CANCELLATION_NOTE + reason.strip())[:500]
        withdrawn = [self.withdraw(seat_id, note, at) for seat_id in list(self.seats)]
        self.record(TrainingPackageCancelled(package_id=self.id, reason=reason.strip()))
        return withdrawn

    def close(self) -> None:
        """Rule package-open: a package closes once; enrollments stay."""
        self.require()
        self._require_open()
        self.record(TrainingPackageClosed(package_id=self.id))

    def _require_open(self) -> None:
        if self.status is not PackageStatus.OPEN:
            raise RuleViolation.of(
                "package-open", f"the package is {self.status.lower()}", "package_id"
            )

    def _opened(self, event: TrainingPackageOpened) -> None:
        self.terms = event

    def _enrolled(self, event: OfficerEnrolled) -> None:
        self.seats[event.enrollment_id] = Seat(
            event.enrollment_id, event.officer.nip, event.lapas.code
        )

    def _withdrawn(self, event: EnrollmentWithdrawn) -> None:
        self.seats.pop(event.enrollment_id, None)

    def _cancelled(self, event: TrainingPackageCancelled) -> None:
        self.status = PackageStatus.CANCELLED

    def _closed(self, event: TrainingPackageClosed) -> None:
        self.status = PackageStatus.CLOSED

    handlers = {  # noqa: RUF012
        TrainingPackageOpened: _opened,
        OfficerEnrolled: _enrolled,
        EnrollmentWithdrawn: _withdrawn,
        TrainingPackageCancelled: _cancelled,
        TrainingPackageClosed: _closed,
    }

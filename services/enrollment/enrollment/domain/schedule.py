"""The officer's schedule: one stream per NIP so overlapping enrollments are refused atomically."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from enrollment.domain.events import Event, OfficerBooked, OfficerReleased
from lintas_shared.domain import Aggregate, RuleViolation


class OfficerSchedule(Aggregate[Event]):
    """The training days each active enrollment of one officer holds."""

    def __init__(self, nip: str) -> None:
        super().__init__()
        self.nip = nip
        self.bookings: dict[UUID, OfficerBooked] = {}

    @staticmethod
    def stream_id(nip: str) -> str:
        return f"officer-{nip}"

    def book(
        self, enrollment_id: UUID, package_id: UUID, start_date: date, end_date: date
    ) -> None:
        """Rule no-overlapping-enrollments: an officer trains in one package at a time."""
        for booking in self.bookings.values():
            if booking.start_date <= end_date and start_date <= booking.end_date:
                raise RuleViolation.of(
                    "no-overlapping-enrollments",
                    f"officer {self.nip} is enrolled in package {booking.package_id} "
                    f"({booking.start_date}..{booking.end_date}), which overlaps",
                    "nip",
                )
        self.record(
            OfficerBooked(
                enrollment_id=enrollment_id,
                package_id=package_id,
                start_date=start_date,
                end_date=end_date,
            )
        )

    def release(self, enrollment_id: UUID) -> None:
        """Free the days of a withdrawn enrollment (a no-op if they are free already)."""
        if enrollment_id in self.bookings:
            self.record(OfficerReleased(enrollment_id=enrollment_id))

    def _booked(self, event: OfficerBooked) -> None:
        self.bookings[event.enrollment_id] = event

    def _released(self, event: OfficerReleased) -> None:
        self.bookings.pop(event.enrollment_id, None)

    handlers = {OfficerBooked: _booked, OfficerReleased: _released}  # noqa: RUF012

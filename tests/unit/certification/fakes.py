"""In-memory twins of the certification ports and a clock tests move, for unit tests."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from certification.domain.enrollment import EnrollmentFacts
from lintas_shared.audit import AuditEntry
from lintas_shared.contracts import IntegrationEvent, Kejuruan, default_registry
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    InstructorCertified,
)
from lintas_shared.contracts.enrollment import (
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
)
from lintas_shared.eventstore.ports import EventStore


class InMemoryEnrollmentDirectory:
    """Order-tolerant like the PostgreSQL view: a withdrawal or cancellation may come first."""

    def __init__(self) -> None:
        self._enrolled: dict[UUID, OfficerEnrolled] = {}
        self._withdrawn: set[UUID] = set()
        self._cancelled: set[UUID] = set()

    def apply(self, event: IntegrationEvent) -> None:
        if isinstance(event, OfficerEnrolled):
            self._enrolled[event.enrollment_id] = event
        elif isinstance(event, EnrollmentWithdrawn):
            self._withdrawn.add(event.enrollment_id)
        elif isinstance(event, TrainingPackageCancelled):
            self._cancelled.add(event.package_id)

    async def get(self, enrollment_id: UUID) -> EnrollmentFacts | None:
        enrolled = self._enrolled.get(enrollment_id)
        if enrolled is None:
            return None
        return EnrollmentFacts(
            enrollment_id=enrolled.enrollment_id,
            package_id=enrolled.package_id,
            nip=enrolled.officer.nip,
            officer_name=enrolled.officer.name,
            kejuruan=enrolled.kejuruan,
            track=enrolled.track,
            blk=enrolled.blk,
            lapas=enrolled.lapas,
            start_date=enrolled.start_date,
            end_date=enrolled.end_date,
            jp_total=enrolled.jp_total,
            withdrawn=enrollment_id in self._withdrawn,
            package_cancelled=enrolled.package_id in self._cancelled,
        )


class MemoryAudit:
    """The audit writer in memory: every entry, in order."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def write(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


class StoreCertificateIndex:
    """Scans the store's certification events: fine for tests, too slow for production."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self._registry = default_registry()

    async def _certificates(self) -> dict[str, tuple[InstructorCertified, str]]:
        types = [
            m.type_name()
            for m in (InstructorCertified, CertificationRevoked, CertificationExpired)
        ]
        found: dict[str, tuple[InstructorCertified, str]] = {}
        for recorded in await self._store.read_by_type(types):
            event = self._registry.parse(recorded.type, recorded.data)
            if isinstance(event, InstructorCertified):
                found[event.certificate_number] = (event, "valid")
            elif isinstance(event, CertificationRevoked | CertificationExpired):
                issued, _ = found[event.certificate_number]
                found[event.certificate_number] = (issued, "ended")
        return found

    async def locate(self, number: str) -> tuple[str, Kejuruan] | None:
        hit = (await self._certificates()).get(number)
        return None if hit is None else (hit[0].nip, hit[0].kejuruan)

    async def issuing_blk(self, number: str) -> str | None:
        hit = (await self._certificates()).get(number)
        return None if hit is None else hit[0].blk.code

    async def due_for_expiry(
        self, today: date, limit: int
    ) -> list[tuple[str, Kejuruan]]:
        due = [
            (issued.nip, issued.kejuruan)
            for issued, state in (await self._certificates()).values()
            if state == "valid" and issued.expires_on < today
        ]
        return due[:limit]


class InMemoryCertificateNumbers:
    """A counter per series, like the PostgreSQL table."""

    def __init__(self) -> None:
        self._issued: dict[tuple[str, Kejuruan, int], int] = {}

    async def next_sequence(self, blk_code: str, kejuruan: Kejuruan, year: int) -> int:
        key = (blk_code, kejuruan, year)
        self._issued[key] = self._issued.get(key, 0) + 1
        return self._issued[key]


class FixedClock:
    """A clock that says what it is told."""

    def __init__(self, day: date) -> None:
        self.day = day

    def today(self) -> date:
        return self.day

    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)

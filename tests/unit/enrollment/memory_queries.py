"""In-memory twin of the query tables for unit tests: folds the store's published events.

The contract suite (query_cases.py) runs the same cases on it and on PostgresQueries.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from enrollment.application.queries import (
    AgreementView,
    EnrollmentView,
    PackageView,
    RosterView,
)
from enrollment.domain.events import decode
from lintas_shared.contracts.enrollment import (
    ENROLLMENT_EVENTS,
    AgreementSigned,
    AgreementTerminated,
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.eventstore.ports import EventStore

_TYPES = [model.type_name() for model in ENROLLMENT_EVENTS]


class MemoryQueries:
    """Slow but obviously right; the PostgreSQL queries must answer the same."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    async def _fold(self) -> tuple[dict[UUID, Any], dict[UUID, Any], dict[UUID, Any]]:
        agreements: dict[UUID, dict[str, Any]] = {}
        packages: dict[UUID, dict[str, Any]] = {}
        enrollments: dict[UUID, dict[str, Any]] = {}
        for recorded in await self._store.read_by_type(_TYPES):
            event = decode(recorded.type, recorded.data)
            match event:
                case AgreementSigned():
                    row = event.model_dump(exclude={"kejuruan"})
                    agreements[event.agreement_id] = row | {
                        "kejuruan": list(event.kejuruan)
                    }
                case AgreementTerminated():
                    agreements[event.agreement_id] |= {
                        "terminated_on": event.terminated_on,
                        "termination_reason": event.reason,
                    }
                case TrainingPackageOpened():
                    packages[event.package_id] = event.model_dump() | {
                        "status": "OPEN",
                        "seats_taken": 0,
                        "skkni_units": list(event.skkni_units),
                    }
                case TrainingPackageCancelled():
                    packages[event.package_id]["status"] = "CANCELLED"
                case TrainingPackageClosed():
                    packages[event.package_id]["status"] = "CLOSED"
                case OfficerEnrolled():
                    packages[event.package_id]["seats_taken"] += 1
                    enrollments[event.enrollment_id] = _enrollment(event)
                case EnrollmentWithdrawn():
                    packages[event.package_id]["seats_taken"] -= 1
                    enrollments[event.enrollment_id] |= {
                        "status": "WITHDRAWN",
                        "withdrawn_at": event.withdrawn_at,
                        "withdrawal_reason": event.reason,
                    }
        return agreements, packages, enrollments

    async def agreement(self, agreement_id: UUID) -> AgreementView | None:
        agreements, _, _ = await self._fold()
        row = agreements.get(agreement_id)
        return AgreementView.model_validate(row) if row else None

    async def agreements(
        self, lapas_code: str | None = None, blk_code: str | None = None
    ) -> list[AgreementView]:
        agreements, _, _ = await self._fold()
        views = [
            AgreementView.model_validate(row)
            for row in agreements.values()
            if lapas_code in (None, row["lapas"]["code"])
            and blk_code in (None, row["blk"]["code"])
        ]
        return sorted(
            views, key=lambda v: (v.valid_from, v.number, str(v.agreement_id))
        )

    async def agreements_for_package(
        self, lapas_code: str, package_id: UUID
    ) -> list[UUID]:
        _, packages, _ = await self._fold()
        if package_id not in packages:
            return []
        blk_code = packages[package_id]["blk"]["code"]
        return [v.agreement_id for v in await self.agreements(lapas_code, blk_code)]

    async def package(self, package_id: UUID) -> PackageView | None:
        _, packages, _ = await self._fold()
        row = packages.get(package_id)
        return _package(row) if row else None

    async def packages(self, blk_code: str | None = None) -> list[PackageView]:
        _, packages, _ = await self._fold()
        views = [
            _package(row)
            for row in packages.values()
            if blk_code in (None, row["blk"]["code"])
        ]
        return sorted(views, key=lambda v: (v.start_date, v.code, str(v.package_id)))

    async def roster(self, package_id: UUID) -> RosterView | None:
        _, packages, enrollments = await self._fold()
        row = packages.get(package_id)
        if row is None:
            return None
        active = [
            EnrollmentView.model_validate(e)
            for e in enrollments.values()
            if e["package_id"] == package_id and e["status"] == "ENROLLED"
        ]
        active.sort(key=lambda v: (v.enrolled_at, v.nip))
        return RosterView(package=_package(row), enrollments=active)

    async def officer_enrollments(self, nip: str) -> list[EnrollmentView]:
        _, _, enrollments = await self._fold()
        views = [
            EnrollmentView.model_validate(e)
            for e in enrollments.values()
            if e["nip"] == nip
        ]
        return sorted(views, key=lambda v: (v.start_date, v.enrolled_at))


def _package(row: dict[str, Any]) -> PackageView:
    return PackageView.model_validate(
        row | {"seats_left": row["seats"] - row["seats_taken"]}
    )


def _enrollment(event: OfficerEnrolled) -> dict[str, Any]:
    return {
        "enrollment_id": event.enrollment_id,
        "package_id": event.package_id,
        "package_code": event.package_code,
        "kejuruan": event.kejuruan,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "nip": event.officer.nip,
        "name": event.officer.name,
        "position": event.officer.position,
        "lapas": event.lapas,
        "agreement_id": event.agreement_id,
        "enrolled_at": event.enrolled_at,
        "enrolled_on": event.enrolled_on or event.enrolled_at.date(),
        "status": "ENROLLED",
    }

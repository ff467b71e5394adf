"""What operators ask of the enrollment service, and the views it answers with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from lintas_shared.contracts.base import Kejuruan, Track
from lintas_shared.contracts.units import UnitRef


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class AgreementView(View):
    """An agreement as it stands now."""

    agreement_id: UUID
    number: str
    lapas: UnitRef
    blk: UnitRef
    kejuruan: list[Kejuruan]
    valid_from: date
    valid_until: date
    terminated_on: date | None = None
    termination_reason: str | None = None


class PackageView(View):
    """A package with its status and the seats still free."""

    package_id: UUID
    code: str
    title: str
    blk: UnitRef
    kejuruan: Kejuruan
    track: Track
    start_date: date
    end_date: date
    jp_technical: int
    jp_methodology: int
    seats: int
    seats_taken: int
    seats_left: int
    skkni_units: list[str]
    status: str = Field(description="OPEN, CLOSED or CANCELLED.")


class EnrollmentView(View):
    """One enrollment of one officer in one package."""

    enrollment_id: UUID
    package_id: UUID
    package_code: str
    kejuruan: Kejuruan
    start_date: date
    end_date: date
    nip: str
    name: str
    position: str
    lapas: UnitRef
    agreement_id: UUID
    enrolled_at: datetime
    enrolled_on: date
    status: str = Field(description="ENROLLED or WITHDRAWN.")
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None


class RosterView(View):
    """A package and its officers currently enrolled."""

    package: PackageView
    enrollments: list[EnrollmentView]


class EnrollmentQueries(Protocol):
    """Read side backed by the query tables (PostgreSQL) or folded events (memory)."""

    async def agreement(self, agreement_id: UUID) -> AgreementView | None: ...

    async def agreements(
        self, lapas_code: str | None = None, blk_code: str | None = None
    ) -> list[AgreementView]: ...

    async def agreements_for_package(
        self, lapas_code: str, package_id: UUID
    ) -> list[UUID]: ...

    async def package(self, package_id: UUID) -> PackageView | None: ...

    async def packages(self, blk_code: str | None = None) -> list[PackageView]: ...

    async def roster(self, package_id: UUID) -> RosterView | None: ...

    async def officer_enrollments(self, nip: str) -> list[EnrollmentView]: ...

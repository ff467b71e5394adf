"""Integration events published by the enrollment service (topic lintas.enrollment.events)."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from lintas_shared.contracts.base import IntegrationEvent, Kejuruan, Track
from lintas_shared.contracts.units import UnitRef

NIP_PATTERN = r"^\d{18}$"


class OfficerRef(BaseModel):
    """The corrections officer as the enrolling Lapas identified them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nip: str = Field(
        pattern=NIP_PATTERN, description="18-digit civil-servant number (NIP)."
    )
    name: str = Field(min_length=2, max_length=200, description="Full name.")
    position: str = Field(
        min_length=2, max_length=200, description="Position (jabatan)."
    )


class AgreementSigned(IntegrationEvent):
    """A cooperation agreement (PKS) between a Lapas and a BLK took effect."""

    event_name: ClassVar[str] = "AgreementSigned"
    version: ClassVar[int] = 1

    agreement_id: UUID = Field(description="Agreement stream id.")
    number: str = Field(
        min_length=1, max_length=100, description="PKS document number."
    )
    lapas: UnitRef = Field(description="The corrections unit party to the agreement.")
    blk: UnitRef = Field(description="The training centre party to the agreement.")
    kejuruan: tuple[Kejuruan, ...] = Field(min_length=1, description="Trades covered.")
    valid_from: date = Field(description="First day the agreement is in force.")
    valid_until: date = Field(description="Last day the agreement is in force.")


class AgreementTerminated(IntegrationEvent):
    """An agreement was ended before its term."""

    event_name: ClassVar[str] = "AgreementTerminated"
    version: ClassVar[int] = 1

    agreement_id: UUID = Field(description="Agreement stream id.")
    reason: str = Field(min_length=3, max_length=500, description="Why it was ended.")
    terminated_on: date = Field(description="Day from which it no longer applies.")


class TrainingPackageOpened(IntegrationEvent):
    """A BLK opened a training package (one class of one trade)."""

    event_name: ClassVar[str] = "TrainingPackageOpened"
    version: ClassVar[int] = 1

    package_id: UUID = Field(description="Package stream id.")
    code: str = Field(min_length=2, max_length=64, description="BLK's package code.")
    title: str = Field(min_length=2, max_length=200, description="Package title.")
    blk: UnitRef = Field(description="The training centre running the package.")
    kejuruan: Kejuruan = Field(description="Trade taught.")
    track: Track = Field(description="INSTRUCTOR track certifies instructors.")
    start_date: date = Field(description="First training day.")
    end_date: date = Field(description="Last training day.")
    jp_technical: int = Field(ge=0, description="Technical lesson hours (JP, 45 min).")
    jp_methodology: int = Field(ge=0, description="Methodology lesson hours (JP).")
    seats: int = Field(gt=0, description="Maximum number of officers.")
    skkni_units: tuple[str, ...] = Field(description="SKKNI competency unit codes.")


class TrainingPackageCancelled(IntegrationEvent):
    """A package was cancelled before it ran."""

    event_name: ClassVar[str] = "TrainingPackageCancelled"
    version: ClassVar[int] = 1

    package_id: UUID = Field(description="Package stream id.")
    reason: str = Field(
        min_length=3, max_length=500, description="Why it was cancelled."
    )


class TrainingPackageClosed(IntegrationEvent):
    """A package was closed to further enrollment."""

    event_name: ClassVar[str] = "TrainingPackageClosed"
    version: ClassVar[int] = 1

    package_id: UUID = Field(description="Package stream id.")


class OfficerEnrolled(IntegrationEvent):
    """An officer took a seat in a training package under an agreement."""

    event_name: ClassVar[str] = "OfficerEnrolled"
    version: ClassVar[int] = 1

    enrollment_id: UUID = Field(
        description="Enrollment id, the key of the training record."
    )
    package_id: UUID = Field(description="Package the officer joined.")
    package_code: str = Field(description="BLK's package code.")
    kejuruan: Kejuruan = Field(description="Trade of the package.")
    track: Track = Field(description="Track of the package.")
    blk: UnitRef = Field(description="Training centre running the package.")
    lapas: UnitRef = Field(description="The officer's corrections unit.")
    agreement_id: UUID = Field(
        description="Agreement under which the officer enrolled."
    )
    officer: OfficerRef = Field(description="The officer.")
    start_date: date = Field(description="Package start date.")
    end_date: date = Field(description="Package end date.")
    jp_total: int = Field(ge=0, description="Total lesson hours of the package.")
    enrolled_at: datetime = Field(description="When the enrollment was recorded.")
    enrolled_on: date | None = Field(
        default=None,
        description=(
            "Day the enrollment took effect: the recording day, or an earlier day "
            "when a paper enrollment is recorded late (absent in older events)."
        ),
    )


class EnrollmentWithdrawn(IntegrationEvent):
    """An enrollment was withdrawn; the seat is free again."""

    event_name: ClassVar[str] = "EnrollmentWithdrawn"
    version: ClassVar[int] = 1

    enrollment_id: UUID = Field(description="Enrollment withdrawn.")
    package_id: UUID = Field(description="Package the seat belongs to.")
    nip: str = Field(pattern=NIP_PATTERN, description="Officer's NIP.")
    reason: str = Field(
        min_length=3, max_length=500, description="Why it was withdrawn."
    )
    withdrawn_at: datetime = Field(description="When the withdrawal was recorded.")


ENROLLMENT_EVENTS: tuple[type[IntegrationEvent], ...] = (
    AgreementSigned,
    AgreementTerminated,
    TrainingPackageOpened,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    OfficerEnrolled,
    EnrollmentWithdrawn,
)

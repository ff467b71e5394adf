"""Integration events published by the certification service (lintas.certification.events)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from lintas_shared.contracts.base import (
    AssessmentKind,
    CompetencyResult,
    IntegrationEvent,
    Kejuruan,
    Track,
)
from lintas_shared.contracts.enrollment import NIP_PATTERN
from lintas_shared.contracts.units import UnitRef


class TrainingCompleted(IntegrationEvent):
    """The BLK recorded that an enrolled officer finished the package."""

    event_name: ClassVar[str] = "TrainingCompleted"
    version: ClassVar[int] = 1

    enrollment_id: UUID = Field(description="Enrollment the record belongs to.")
    package_id: UUID = Field(description="Package completed.")
    nip: str = Field(pattern=NIP_PATTERN, description="Officer's NIP.")
    kejuruan: Kejuruan = Field(description="Trade of the package.")
    track: Track = Field(description="Track of the package.")
    blk_code: str = Field(description="Code of the training centre.")
    lapas_code: str = Field(description="Code of the officer's Lapas.")
    completed_on: date = Field(description="Completion date.")
    attended_jp: int = Field(ge=0, description="Lesson hours attended.")
    jp_total: int = Field(ge=0, description="Lesson hours of the package.")


class CompetencyAssessed(IntegrationEvent):
    """An LSP assessed an officer: technical or methodology, K or BK."""

    event_name: ClassVar[str] = "CompetencyAssessed"
    version: ClassVar[int] = 1

    assessment_id: UUID = Field(description="Unique id of this assessment.")
    enrollment_id: UUID = Field(description="Enrollment assessed.")
    package_id: UUID = Field(description="Package of the enrollment.")
    nip: str = Field(pattern=NIP_PATTERN, description="Officer's NIP.")
    kejuruan: Kejuruan = Field(description="Trade assessed.")
    kind: AssessmentKind = Field(description="TECHNICAL or METHODOLOGY.")
    result: CompetencyResult = Field(description="K (competent) or BK (not yet).")
    lsp: str = Field(min_length=2, max_length=200, description="Assessing LSP.")
    assessed_on: date = Field(description="Assessment date.")
    skkni_units: tuple[str, ...] = Field(description="SKKNI unit codes assessed.")


class InstructorCertified(IntegrationEvent):
    """An officer became a certified instructor for a trade (valid three years)."""

    event_name: ClassVar[str] = "InstructorCertified"
    version: ClassVar[int] = 1

    certificate_number: str = Field(
        min_length=3,
        max_length=128,
        description="Unique number, e.g. LNT/BPVP-PADANG/MEUBEL/2026/000007.",
    )
    enrollment_id: UUID = Field(description="Enrollment that led to it.")
    package_id: UUID = Field(description="Instructor-track package.")
    nip: str = Field(pattern=NIP_PATTERN, description="Officer's NIP.")
    officer_name: str = Field(description="Name printed on the certificate.")
    kejuruan: Kejuruan = Field(description="Trade the officer may teach.")
    blk: UnitRef = Field(description="Certifying training centre.")
    lapas: UnitRef = Field(description="The officer's corrections unit.")
    issued_on: date = Field(description="Issue date.")
    expires_on: date = Field(description="Last valid day (three years).")


class CertificationRevoked(IntegrationEvent):
    """A certificate was revoked before it expired."""

    event_name: ClassVar[str] = "CertificationRevoked"
    version: ClassVar[int] = 1

    certificate_number: str = Field(description="Certificate revoked.")
    nip: str = Field(pattern=NIP_PATTERN, description="Officer's NIP.")
    kejuruan: Kejuruan = Field(description="Trade of the certificate.")
    reason: str = Field(min_length=3, max_length=500, description="Why it was revoked.")
    revoked_on: date = Field(description="Date of revocation.")


class CertificationExpired(IntegrationEvent):
    """A certificate reached its expiry date."""

    event_name: ClassVar[str] = "CertificationExpired"
    version: ClassVar[int] = 1

    certificate_number: str = Field(description="Certificate expired.")
    nip: str = Field(pattern=NIP_PATTERN, description="Officer's NIP.")
    kejuruan: Kejuruan = Field(description="Trade of the certificate.")
    expired_on: date = Field(description="Day it stopped being valid.")


CERTIFICATION_EVENTS: tuple[type[IntegrationEvent], ...] = (
    TrainingCompleted,
    CompetencyAssessed,
    InstructorCertified,
    CertificationRevoked,
    CertificationExpired,
)

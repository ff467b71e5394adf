"""Response bodies: what each endpoint answers, described for OpenAPI."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from certification.domain.certificate import CertificateStatus
from certification.domain.policy import Requirement
from lintas_shared.contracts import Kejuruan, Track, UnitRef


class CertificateBrief(BaseModel):
    certificate_number: str
    status: CertificateStatus
    issued_on: date
    expires_on: date = Field(description="Last valid day.")
    from_enrollment_id: UUID = Field(description="Enrollment that earned it.")


class RecordOutcome(BaseModel):
    """The training record after a command: what is done, missing, and earned."""

    enrollment_id: UUID
    completed: bool
    unmet_requirements: list[Requirement] = Field(
        description="Requirements of certification not met yet; empty once certified."
    )
    certificate: CertificateBrief | None = Field(
        description="Certificate earned by this enrollment, else the officer's valid one."
    )
    assessment_id: UUID | None = None


class Completion(BaseModel):
    completed_on: date
    attended_jp: int


class AssessmentView(BaseModel):
    assessment_id: UUID
    kind: str
    result: str
    lsp: str
    assessed_on: date
    skkni_units: list[str]


class TrainingRecordView(RecordOutcome):
    """An enrollment's whole training record, for BLK operators."""

    package_id: UUID
    officer_name: str
    nip: str
    kejuruan: Kejuruan
    track: Track
    blk: UnitRef
    lapas: UnitRef
    start_date: date
    end_date: date
    jp_total: int
    required_jp: int = Field(
        description="JP needed for certification at the policy share."
    )
    withdrawn: bool
    package_cancelled: bool
    completion: Completion | None
    assessments: list[AssessmentView]


class RevocationOutcome(BaseModel):
    certificate_number: str
    status: CertificateStatus
    revoked_on: date


class IssuerView(BaseModel):
    code: str
    name: str


class CertificateVerification(BaseModel):
    """Public check: whether the certificate holds, and what the printed one shows.

    A verifier has the certificate (and usually its holder) in front of them: the number,
    trade, BLK and dates confirm the paper, the initials that it is this person's. The
    full name, NIP, prison and any revocation reason are not shown to the public.
    """

    certificate_number: str = Field(description="Number printed on the certificate.")
    status: CertificateStatus
    holder_initials: str = Field(description="Initials of the holder, e.g. 'B. S.'.")
    kejuruan: Kejuruan
    blk: IssuerView = Field(description="Issuing training centre.")
    issued_on: date
    valid_until: date = Field(description="Last valid day.")
    revoked_on: date | None = None
    expired_on: date | None = None


class OfficerCertificate(BaseModel):
    """A certificate as its holder's Lapas and its BLK see it (signed in, in scope)."""

    certificate_number: str
    verification_code: str = Field(
        description="Give it to the holder: verifiers check the certificate with it."
    )
    status: CertificateStatus
    kejuruan: Kejuruan
    officer_name: str
    nip: str
    blk: UnitRef
    lapas: UnitRef
    enrollment_id: UUID
    package_id: UUID
    issued_on: date
    expires_on: date
    revoked_on: date | None = None
    revoke_reason: str | None = None
    expired_on: date | None = None

"""GET endpoints: the public certificate check and the operators' queries."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path

from certification.adapters.http.deps import ContextDep, QueriesDep
from certification.adapters.http.views import (
    CertificateCheck,
    OfficerCertificate,
    TrainingRecordView,
)
from certification.application.show_training_record import show_training_record
from certification.domain.errors import EnrollmentNotKnownYet
from lintas_shared.http.deps import Responses, problem
from lintas_shared.http.problems import Problem

router = APIRouter()
NOT_FOUND: Responses = {404: problem("No certificate with this number")}
NOT_KNOWN: Responses = {
    404: problem("The enrollment is not known here (yet: retryable)")
}
BAD_NIP: Responses = {422: problem("The NIP is not 18 digits")}


@router.get(
    "/certificates/{certificate_number:path}",
    response_model=CertificateCheck,
    tags=["public"],
    responses=NOT_FOUND,
    summary="Check a certificate by its number (public)",
)
async def check_certificate(
    certificate_number: str, queries: QueriesDep, context: ContextDep
) -> dict[str, Any]:
    """Valid, revoked or expired; kejuruan, BLK, validity. Shows no NIP and no prison."""
    found = await queries.public_check(certificate_number, context.clock.today())
    if found is None:
        raise Problem(
            404,
            "certificate-not-found",
            f"no certificate numbered {certificate_number!r}",
            errors=[{"field": "certificate_number", "message": "unknown number"}],
        )
    return found


@router.get(
    "/officers/{nip}/certificates",
    response_model=list[OfficerCertificate],
    tags=["queries"],
    responses=BAD_NIP,
    summary="Certificates of one officer, newest first",
)
async def officer_certificates(
    nip: Annotated[str, Path(pattern=r"^\d{18}$", description="18-digit NIP.")],
    queries: QueriesDep,
    context: ContextDep,
) -> list[dict[str, Any]]:
    return await queries.of_officer(nip, context.clock.today())


@router.get(
    "/enrollments/{enrollment_id}/training-record",
    response_model=TrainingRecordView,
    tags=["queries"],
    responses=NOT_KNOWN,
    summary="An enrollment's training record, assessments and certificate",
)
async def training_record(enrollment_id: UUID, context: ContextDep) -> dict[str, Any]:
    """404 with ``retryable`` while the enrollment has not reached this service yet."""
    try:
        return await show_training_record(context, enrollment_id)
    except EnrollmentNotKnownYet as exc:
        raise Problem(
            404,
            exc.rule,
            exc.message,
            errors=[{"field": "enrollment_id", "message": "not known here yet"}],
            retryable=True,
        ) from exc

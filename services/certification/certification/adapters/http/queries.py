"""GET endpoints of signed-in readers: training records and certificates, within scope.

Officer-level data (NIP, name): each read is authorized against the reader's scope
(own Lapas, own BLK, own province, national) and recorded in the audit trail.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query

from certification.adapters.http.deps import ContextDep, PrincipalDep, QueriesDep
from certification.adapters.http.views import OfficerCertificate, TrainingRecordView
from certification.application.resources import enrollment_resource
from certification.application.show_training_record import show_training_record
from certification.domain.enrollment import require_known
from certification.domain.errors import EnrollmentNotKnownYet
from lintas_shared.audit import audited_read, audited_scope
from lintas_shared.http.deps import Responses, problem
from lintas_shared.http.problems import Problem
from lintas_shared.identity import Action, Principal, Resource, authorize

router = APIRouter(tags=["queries"])
READER: Responses = {
    401: problem("No bearer token, or one that does not verify"),
    403: problem("Outside the reader's scope (the rule is named)"),
}
NOT_KNOWN: Responses = {
    **READER,
    404: problem("The enrollment is not known here (yet: retryable)"),
}
BAD_NIP: Responses = {**READER, 422: problem("The NIP is not 18 digits")}
NO_NUMBER: Responses = {**READER, 404: problem("No certificate with this number")}


def certificate_resource(row: dict[str, Any]) -> Resource:
    """A certificate's holder's Lapas and its issuing BLK, for the reader's scope."""
    lapas, blk = row["lapas"], row["blk"]
    return Resource(
        lapas=lapas["code"],
        blk=blk["code"],
        lapas_province=lapas["province"],
        blk_province=blk["province"],
    )


def _visible(principal: Principal, row: dict[str, Any]) -> bool:
    decision = authorize(
        principal, Action.OFFICER_CERTIFICATES_READ, certificate_resource(row)
    )
    return bool(decision)


@router.get(
    "/certificates",
    response_model=OfficerCertificate,
    responses=NO_NUMBER,
    summary="One certificate by its number, with its verification code (signed in)",
)
async def certificate_by_number(
    number: Annotated[
        str,
        Query(
            min_length=3,
            max_length=128,
            description="e.g. LNT/BPVP-PADANG/TEKNIK-LAS/2026/000007",
        ),
    ],
    principal: PrincipalDep,
    queries: QueriesDep,
    context: ContextDep,
) -> dict[str, Any]:
    """For the issuing BLK and the holder's Lapas (and their province, the centres):
    the holder, the status and the verification code to give the holder."""
    found = await queries.by_number(number, context.clock.today())
    if found is None:
        raise Problem(
            404,
            "certificate-not-found",
            "no certificate has this number",
            errors=[{"field": "number", "message": "unknown number"}],
        )
    await audited_read(
        context.audit,
        principal,
        Action.OFFICER_CERTIFICATES_READ,
        certificate_resource(found),
        ids={"certificate_number": number},
    )
    return found


@router.get(
    "/officers/{nip}/certificates",
    response_model=list[OfficerCertificate],
    responses=BAD_NIP,
    summary="Certificates of one officer within the reader's scope, newest first",
)
async def officer_certificates(
    nip: Annotated[str, Path(pattern=r"^\d{18}$", description="18-digit NIP.")],
    principal: PrincipalDep,
    queries: QueriesDep,
    context: ContextDep,
) -> list[dict[str, Any]]:
    """Only the certificates the reader's scope covers: a Lapas sees those of its own
    officers, a BLK those it issued, a Kanwil its province's, a centre all."""
    await audited_scope(context.audit, principal, Action.OFFICER_CERTIFICATES_READ)
    rows = await queries.of_officer(nip, context.clock.today())
    return [row for row in rows if _visible(principal, row)]


@router.get(
    "/enrollments/{enrollment_id}/training-record",
    response_model=TrainingRecordView,
    responses=NOT_KNOWN,
    summary="An enrollment's training record, assessments and certificate",
)
async def training_record(
    enrollment_id: UUID, principal: PrincipalDep, context: ContextDep
) -> dict[str, Any]:
    """404 with ``retryable`` while the enrollment has not reached this service yet."""
    try:
        facts = require_known(await context.directory.get(enrollment_id), enrollment_id)
    except EnrollmentNotKnownYet as exc:
        raise Problem(
            404,
            exc.rule,
            exc.message,
            errors=[{"field": "enrollment_id", "message": "not known here yet"}],
            retryable=True,
        ) from exc
    await audited_read(
        context.audit,
        principal,
        Action.TRAINING_RECORD_READ,
        enrollment_resource(facts),
        ids={"enrollment_id": enrollment_id},
    )
    return await show_training_record(context, enrollment_id)

"""POST endpoints: parse, call one use case, answer. Refusals become problems in app.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Response

from certification.adapters.bodies import (
    AssessmentBody,
    CompletionBody,
    RevocationBody,
)
from certification.adapters.http.deps import ContextDep, KeyDep, MetadataDep
from certification.adapters.http.views import RecordOutcome, RevocationOutcome
from certification.application.record_assessment import (
    RecordAssessment,
    record_assessment,
)
from certification.application.record_completion import (
    RecordCompletion,
    record_completion,
)
from certification.application.revoke_certification import (
    RevokeCertification,
    revoke_certification,
)
from lintas_shared.commands import Outcome, request_hash

router = APIRouter(tags=["commands"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/problem+json": {}}}
    for status, text in (
        (400, "Missing or malformed actor or Idempotency-Key header"),
        (404, "Certificate not found"),
        (409, "Refused in the current state (retryable if it says so)"),
        (422, "Invalid input or a broken rule"),
    )
}


def _answer(outcome: Outcome, response: Response) -> dict[str, Any]:
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return outcome.response


@router.post(
    "/enrollments/{enrollment_id}/completion",
    status_code=201,
    response_model=RecordOutcome,
    responses=PROBLEMS,
    summary="Record that an enrolled officer completed the training",
)
async def post_completion(
    enrollment_id: UUID,
    body: CompletionBody,
    context: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
    response: Response,
) -> dict[str, Any]:
    """Emits TrainingCompleted, and InstructorCertified if the requirements are now met."""
    command = RecordCompletion(enrollment_id, body.completed_on, body.attended_jp)
    outcome = await record_completion(
        context,
        command,
        metadata,
        idempotency_key=key,
        body_hash=request_hash(
            {"enrollment_id": str(enrollment_id), **body.model_dump(mode="json")}
        ),
    )
    return _answer(outcome, response)


@router.post(
    "/enrollments/{enrollment_id}/assessments",
    status_code=201,
    response_model=RecordOutcome,
    responses=PROBLEMS,
    summary="Record a competency assessment (technical or methodology, K or BK)",
)
async def post_assessment(
    enrollment_id: UUID,
    body: AssessmentBody,
    context: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
    response: Response,
) -> dict[str, Any]:
    """Emits CompetencyAssessed, and InstructorCertified if the requirements are now met."""
    command = RecordAssessment(
        enrollment_id=enrollment_id,
        assessment_id=body.assessment_id or uuid4(),
        kind=body.kind,
        result=body.result,
        lsp=body.lsp,
        assessed_on=body.assessed_on,
        skkni_units=tuple(body.skkni_units),
    )
    outcome = await record_assessment(
        context,
        command,
        metadata,
        idempotency_key=key,
        body_hash=request_hash(
            {"enrollment_id": str(enrollment_id), **body.model_dump(mode="json")}
        ),
    )
    return _answer(outcome, response)


@router.post(
    "/revocations",
    status_code=201,
    response_model=RevocationOutcome,
    responses=PROBLEMS,
    summary="Revoke a valid certificate, with a reason",
)
async def post_revocation(
    body: RevocationBody,
    context: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
    response: Response,
) -> dict[str, Any]:
    """Emits CertificationRevoked."""
    command = RevokeCertification(body.certificate_number, body.reason, body.revoked_on)
    outcome = await revoke_certification(
        context,
        command,
        metadata,
        idempotency_key=key,
        body_hash=request_hash(body.model_dump(mode="json")),
    )
    return _answer(outcome, response)

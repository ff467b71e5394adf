"""POST endpoints: one per command, each run through the catalogue as on the command topic.

The catalogue authorizes the verified principal (403 naming the rule), audits the
attempt and writes the principal as the events' actor.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from certification.adapters.http.bodies import AssessmentBody, CompletionBody
from certification.adapters.http.deps import ContextDep, KeyDep, PrincipalDep
from certification.adapters.http.views import RecordOutcome, RevocationOutcome
from certification.application.catalogue import CATALOGUE
from certification.application.record_assessment import RecordCompetencyAssessment
from certification.application.record_completion import RecordTrainingCompletion
from certification.application.revoke_certification import RevokeCertification
from lintas_shared.http.deps import CommandRoute, Responses, problem, replied

router = APIRouter(tags=["commands"], route_class=CommandRoute)
run = CATALOGUE.run
NOT_FOUND: Responses = {404: problem("Certificate not found")}


@router.post(
    "/enrollments/{enrollment_id}/completion",
    status_code=201,
    response_model=RecordOutcome,
    summary="Record that an enrolled officer completed the training",
)
async def post_completion(
    enrollment_id: UUID,
    body: CompletionBody,
    ctx: ContextDep,
    principal: PrincipalDep,
    key: KeyDep,
) -> JSONResponse:
    """Emits TrainingCompleted, and InstructorCertified if the requirements are now met."""
    cmd = RecordTrainingCompletion(enrollment_id=enrollment_id, **body.model_dump())
    return replied(await run(ctx, cmd, principal, key), 201)


@router.post(
    "/enrollments/{enrollment_id}/assessments",
    status_code=201,
    response_model=RecordOutcome,
    summary="Record a competency assessment (technical or methodology, K or BK)",
)
async def post_assessment(
    enrollment_id: UUID,
    body: AssessmentBody,
    ctx: ContextDep,
    principal: PrincipalDep,
    key: KeyDep,
) -> JSONResponse:
    """Emits CompetencyAssessed, and InstructorCertified if the requirements are now met."""
    cmd = RecordCompetencyAssessment(enrollment_id=enrollment_id, **body.model_dump())
    return replied(await run(ctx, cmd, principal, key), 201)


@router.post(
    "/revocations",
    status_code=201,
    response_model=RevocationOutcome,
    responses=NOT_FOUND,
    summary="Revoke a valid certificate, with a reason",
)
async def post_revocation(
    body: RevokeCertification, ctx: ContextDep, principal: PrincipalDep, key: KeyDep
) -> JSONResponse:
    """Emits CertificationRevoked."""
    return replied(await run(ctx, body, principal, key), 201)

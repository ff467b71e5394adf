"""POST endpoints: one per command, each a thin call into its use case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from enrollment.adapters.http.bodies import (
    CancellationBody,
    CommandResult,
    EnrolmentBody,
    TerminationBody,
    WithdrawalBody,
)
from enrollment.adapters.http.deps import ContextDep, KeyDep, MetadataDep
from enrollment.application.cancel_package import CancelTrainingPackage, cancel_package
from enrollment.application.close_package import CloseTrainingPackage, close_package
from enrollment.application.enrol_officer import EnrolOfficer, enrol_officer
from enrollment.application.open_package import OpenTrainingPackage, open_package
from enrollment.application.sign_agreement import SignAgreement, sign_agreement
from enrollment.application.terminate_agreement import (
    TerminateAgreement,
    terminate_agreement,
)
from enrollment.application.withdraw_enrollment import (
    WithdrawEnrollment,
    withdraw_enrollment,
)
from lintas_shared.commands import Outcome

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Missing actor headers or malformed Idempotency-Key",
        **_PROBLEM,
    },
    404: {"description": "Unknown agreement, package or enrollment", **_PROBLEM},
    409: {"description": "Conflicts with the current state (rule named)", **_PROBLEM},
    422: {"description": "Invalid data, or Idempotency-Key reused", **_PROBLEM},
}

router = APIRouter(tags=["commands"], responses=PROBLEMS)


def _reply(outcome: Outcome, status: int) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return JSONResponse(outcome.response, status_code=status, headers=headers)


@router.post("/agreements", status_code=201, response_model=CommandResult)
async def post_agreement(
    body: SignAgreement, ctx: ContextDep, metadata: MetadataDep, key: KeyDep
) -> JSONResponse:
    """Sign a cooperation agreement (PKS) between a Lapas and a BLK."""
    return _reply(await sign_agreement(ctx, body, metadata, key), 201)


@router.post("/agreements/{agreement_id}/termination", response_model=CommandResult)
async def post_termination(
    agreement_id: UUID,
    body: TerminationBody,
    ctx: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
) -> JSONResponse:
    """Terminate an agreement from a given day, with a reason."""
    cmd = TerminateAgreement(agreement_id=agreement_id, **body.model_dump())
    return _reply(await terminate_agreement(ctx, cmd, metadata, key), 200)


@router.post("/packages", status_code=201, response_model=CommandResult)
async def post_package(
    body: OpenTrainingPackage, ctx: ContextDep, metadata: MetadataDep, key: KeyDep
) -> JSONResponse:
    """Open a training package at a BLK."""
    return _reply(await open_package(ctx, body, metadata, key), 201)


@router.post("/packages/{package_id}/cancellation", response_model=CommandResult)
async def post_cancellation(
    package_id: UUID,
    body: CancellationBody,
    ctx: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
) -> JSONResponse:
    """Cancel a package that has not started; its enrollments are withdrawn."""
    cmd = CancelTrainingPackage(package_id=package_id, reason=body.reason)
    return _reply(await cancel_package(ctx, cmd, metadata, key), 200)


@router.post("/packages/{package_id}/closure", response_model=CommandResult)
async def post_closure(
    package_id: UUID, ctx: ContextDep, metadata: MetadataDep, key: KeyDep
) -> JSONResponse:
    """Close a package to further enrollment."""
    cmd = CloseTrainingPackage(package_id=package_id)
    return _reply(await close_package(ctx, cmd, metadata, key), 200)


@router.post(
    "/packages/{package_id}/enrollments", status_code=201, response_model=CommandResult
)
async def post_enrollment(
    package_id: UUID,
    body: EnrolmentBody,
    ctx: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
) -> JSONResponse:
    """Enrol an officer of a Lapas in the package (OfficerEnrolled)."""
    cmd = EnrolOfficer(package_id=package_id, **body.model_dump())
    return _reply(await enrol_officer(ctx, cmd, metadata, key), 201)


@router.post(
    "/packages/{package_id}/enrollments/{enrollment_id}/withdrawal",
    response_model=CommandResult,
)
async def post_withdrawal(
    package_id: UUID,
    enrollment_id: UUID,
    body: WithdrawalBody,
    ctx: ContextDep,
    metadata: MetadataDep,
    key: KeyDep,
) -> JSONResponse:
    """Withdraw an enrollment, with a reason; the seat is free again."""
    cmd = WithdrawEnrollment(
        package_id=package_id, enrollment_id=enrollment_id, reason=body.reason
    )
    return _reply(await withdraw_enrollment(ctx, cmd, metadata, key), 200)

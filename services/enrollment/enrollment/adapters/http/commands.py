"""POST endpoints: one per command, each run through the catalogue as on the command topic."""

from __future__ import annotations

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
from enrollment.adapters.http.deps import (
    ContextDep,
    CorrelationDep,
    KeyDep,
    PrincipalDep,
)
from enrollment.application.cancel_package import CancelTrainingPackage
from enrollment.application.catalogue import CATALOGUE
from enrollment.application.close_package import CloseTrainingPackage
from enrollment.application.countersign_agreement import CountersignAgreement
from enrollment.application.enrol_officer import EnrolOfficer
from enrollment.application.open_package import OpenTrainingPackage
from enrollment.application.sign_agreement import SignAgreement
from enrollment.application.terminate_agreement import TerminateAgreement
from enrollment.application.withdraw_enrollment import WithdrawEnrollment
from lintas_shared.http.deps import CommandRoute, Responses, problem, replied

router = APIRouter(tags=["commands"], route_class=CommandRoute)
NOT_FOUND: Responses = {404: problem("Unknown agreement, package or enrollment")}
run = CATALOGUE.run


@router.post("/agreements", status_code=201, response_model=CommandResult)
async def post_agreement(
    body: SignAgreement,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Sign a cooperation agreement (PKS) between a Lapas and a BLK."""
    return replied(
        await run(ctx, body, principal, key, correlation_id=correlation), 201
    )


@router.post(
    "/agreements/{agreement_id}/signature",
    response_model=CommandResult,
    responses=NOT_FOUND,
)
async def post_signature(
    agreement_id: UUID,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """The other party signs: the agreement is in force once both parties have."""
    cmd = CountersignAgreement(agreement_id=agreement_id)
    return replied(await run(ctx, cmd, principal, key, correlation_id=correlation), 200)


@router.post(
    "/agreements/{agreement_id}/termination",
    response_model=CommandResult,
    responses=NOT_FOUND,
)
async def post_termination(
    agreement_id: UUID,
    body: TerminationBody,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Terminate an agreement from a given day, with a reason."""
    cmd = TerminateAgreement(agreement_id=agreement_id, **body.model_dump())
    return replied(await run(ctx, cmd, principal, key, correlation_id=correlation), 200)


@router.post("/packages", status_code=201, response_model=CommandResult)
async def post_package(
    body: OpenTrainingPackage,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Open a training package at a BLK."""
    return replied(
        await run(ctx, body, principal, key, correlation_id=correlation), 201
    )


@router.post(
    "/packages/{package_id}/cancellation",
    response_model=CommandResult,
    responses=NOT_FOUND,
)
async def post_cancellation(
    package_id: UUID,
    body: CancellationBody,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Cancel a package that has not started; its enrollments are withdrawn."""
    cmd = CancelTrainingPackage(package_id=package_id, reason=body.reason)
    return replied(await run(ctx, cmd, principal, key, correlation_id=correlation), 200)


@router.post(
    "/packages/{package_id}/closure", response_model=CommandResult, responses=NOT_FOUND
)
async def post_closure(
    package_id: UUID,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Close a package to further enrollment."""
    cmd = CloseTrainingPackage(package_id=package_id)
    return replied(await run(ctx, cmd, principal, key, correlation_id=correlation), 200)


@router.post(
    "/packages/{package_id}/enrollments",
    status_code=201,
    response_model=CommandResult,
    responses=NOT_FOUND,
)
async def post_enrollment(
    package_id: UUID,
    body: EnrolmentBody,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Enrol an officer of a Lapas in the package (OfficerEnrolled)."""
    cmd = EnrolOfficer(package_id=package_id, **body.model_dump())
    return replied(await run(ctx, cmd, principal, key, correlation_id=correlation), 201)


@router.post(
    "/packages/{package_id}/enrollments/{enrollment_id}/withdrawal",
    response_model=CommandResult,
    responses=NOT_FOUND,
)
async def post_withdrawal(
    package_id: UUID,
    enrollment_id: UUID,
    body: WithdrawalBody,
    ctx: ContextDep,
    principal: PrincipalDep,
    correlation: CorrelationDep,
    key: KeyDep,
) -> JSONResponse:
    """Withdraw an enrollment, with a reason; the seat is free again."""
    cmd = WithdrawEnrollment(
        package_id=package_id, enrollment_id=enrollment_id, reason=body.reason
    )
    return replied(await run(ctx, cmd, principal, key, correlation_id=correlation), 200)

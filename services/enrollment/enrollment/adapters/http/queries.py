"""GET endpoints for operators: agreements, packages, rosters, an officer's enrollments."""

from __future__ import annotations

from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import APIRouter, Path, Query

from enrollment.adapters.http.deps import AuditDep, PrincipalDep, QueriesDep
from enrollment.application.queries import (
    AgreementView,
    EnrollmentView,
    PackageView,
    RosterView,
)
from enrollment.application.visibility import visible
from lintas_shared.audit import audited_scope
from lintas_shared.contracts.units import UnitRef
from lintas_shared.http.deps import Responses, problem
from lintas_shared.http.problems import Problem
from lintas_shared.identity import Action
from lintas_shared.identity.fastapi import require

SIGNED_IN: Responses = {
    401: problem("No bearer token, or one that does not verify"),
    403: problem("The principal may not read this (the rule is named)"),
}
router = APIRouter(tags=["queries"], responses=SIGNED_IN)
NOT_FOUND: Responses = {404: problem("No such agreement or package")}
BAD_NIP: Responses = {422: problem("The NIP is not 18 digits")}
T = TypeVar("T")
UnitCode = Annotated[str | None, Query(description="Unit code, e.g. BPVP-PADANG.")]


def _found(value: T | None, what: str) -> T:
    if value is None:
        raise Problem(404, f"{what}-not-found", f"no such {what}")
    return value


@router.get("/agreements", response_model=list[AgreementView])
async def list_agreements(
    queries: QueriesDep,
    principal: PrincipalDep,
    lapas_code: UnitCode = None,
    blk_code: UnitCode = None,
) -> list[AgreementView]:
    """Agreements of a Lapas and/or a BLK."""
    require(principal, Action.AGREEMENT_READ)
    return await queries.agreements(lapas_code, blk_code)


@router.get(
    "/agreements/{agreement_id}", response_model=AgreementView, responses=NOT_FOUND
)
async def get_agreement(
    agreement_id: UUID, queries: QueriesDep, principal: PrincipalDep
) -> AgreementView:
    require(principal, Action.AGREEMENT_READ)
    return _found(await queries.agreement(agreement_id), "agreement")


@router.get("/packages", response_model=list[PackageView])
async def list_packages(
    queries: QueriesDep, principal: PrincipalDep, blk_code: UnitCode = None
) -> list[PackageView]:
    """Packages, optionally of one BLK, by start date."""
    require(principal, Action.PACKAGE_READ)
    return await queries.packages(blk_code)


@router.get("/blks/{blk_code}/packages", response_model=list[PackageView])
async def list_blk_packages(
    blk_code: str, queries: QueriesDep, principal: PrincipalDep
) -> list[PackageView]:
    """The packages of one BLK, by start date."""
    require(principal, Action.PACKAGE_READ)
    return await queries.packages(blk_code)


@router.get("/packages/{package_id}", response_model=PackageView, responses=NOT_FOUND)
async def get_package(
    package_id: UUID, queries: QueriesDep, principal: PrincipalDep
) -> PackageView:
    """A package with its status and seats left."""
    require(principal, Action.PACKAGE_READ)
    return _found(await queries.package(package_id), "package")


@router.get(
    "/packages/{package_id}/roster", response_model=RosterView, responses=NOT_FOUND
)
async def get_roster(
    package_id: UUID, queries: QueriesDep, principal: PrincipalDep, audit: AuditDep
) -> RosterView:
    """The officers currently enrolled in a package, and the seats left.

    Officer-level rows: only those within the reader's scope (its own Lapas's
    officers, its own BLK's trainees, its province, or nationally); audited.
    """
    action = Action.ROSTER_READ
    await audited_scope(audit, principal, action, ids={"package_id": package_id})
    roster = _found(await queries.roster(package_id), "package")
    blk = roster.package.blk
    rows = [r for r in roster.enrollments if visible(principal, action, r, blk)]
    return roster.model_copy(update={"enrollments": rows})


@router.get(
    "/officers/{nip}/enrollments",
    response_model=list[EnrollmentView],
    responses=BAD_NIP,
)
async def officer_enrollments(
    nip: Annotated[str, Path(pattern=r"^\d{18}$", description="18-digit NIP.")],
    queries: QueriesDep,
    principal: PrincipalDep,
    audit: AuditDep,
) -> list[EnrollmentView]:
    """Every enrollment of one officer, withdrawn ones included (within the reader's
    scope, as the roster; audited without the NIP)."""
    action = Action.OFFICER_ENROLLMENTS_READ
    await audited_scope(audit, principal, action)
    rows = await queries.officer_enrollments(nip)
    blks: dict[UUID, UnitRef | None] = {}
    for row in rows:
        if row.package_id not in blks:
            package = await queries.package(row.package_id)
            blks[row.package_id] = package.blk if package else None
    return [r for r in rows if visible(principal, action, r, blks[r.package_id])]

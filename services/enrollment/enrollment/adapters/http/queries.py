"""GET endpoints for operators: agreements, packages, rosters, an officer's enrollments."""

from __future__ import annotations

from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import APIRouter, Path, Query

from enrollment.adapters.http.deps import QueriesDep
from enrollment.application.queries import (
    AgreementView,
    EnrollmentView,
    PackageView,
    RosterView,
)
from lintas_shared.http.deps import Responses, problem
from lintas_shared.http.problems import Problem

router = APIRouter(tags=["queries"])
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
    queries: QueriesDep, lapas_code: UnitCode = None, blk_code: UnitCode = None
) -> list[AgreementView]:
    """Agreements of a Lapas and/or a BLK."""
    return await queries.agreements(lapas_code, blk_code)


@router.get(
    "/agreements/{agreement_id}", response_model=AgreementView, responses=NOT_FOUND
)
async def get_agreement(agreement_id: UUID, queries: QueriesDep) -> AgreementView:
    return _found(await queries.agreement(agreement_id), "agreement")


@router.get("/packages", response_model=list[PackageView])
async def list_packages(
    queries: QueriesDep, blk_code: UnitCode = None
) -> list[PackageView]:
    """Packages, optionally of one BLK, by start date."""
    return await queries.packages(blk_code)


@router.get("/blks/{blk_code}/packages", response_model=list[PackageView])
async def list_blk_packages(blk_code: str, queries: QueriesDep) -> list[PackageView]:
    """The packages of one BLK, by start date."""
    return await queries.packages(blk_code)


@router.get("/packages/{package_id}", response_model=PackageView, responses=NOT_FOUND)
async def get_package(package_id: UUID, queries: QueriesDep) -> PackageView:
    """A package with its status and seats left."""
    return _found(await queries.package(package_id), "package")


@router.get(
    "/packages/{package_id}/roster", response_model=RosterView, responses=NOT_FOUND
)
async def get_roster(package_id: UUID, queries: QueriesDep) -> RosterView:
    """The officers currently enrolled in a package, and the seats left."""
    return _found(await queries.roster(package_id), "package")


@router.get(
    "/officers/{nip}/enrollments",
    response_model=list[EnrollmentView],
    responses=BAD_NIP,
)
async def officer_enrollments(
    nip: Annotated[str, Path(pattern=r"^\d{18}$", description="18-digit NIP.")],
    queries: QueriesDep,
) -> list[EnrollmentView]:
    """Every enrollment of one officer, withdrawn ones included."""
    return await queries.officer_enrollments(nip)

"""What each command touches, as authorization needs it: the parties, the BLK, the Lapas.

Read from the streams (the package's BLK, the enrollment's Lapas), never from what the
caller says about itself; an unknown package, agreement or enrollment is a 404.
"""

from __future__ import annotations

from uuid import UUID

from enrollment.application.cancel_package import CancelTrainingPackage
from enrollment.application.close_package import CloseTrainingPackage
from enrollment.application.context import Context
from enrollment.application.countersign_agreement import CountersignAgreement
from enrollment.application.enrol_officer import EnrolOfficer
from enrollment.application.open_package import OpenTrainingPackage
from enrollment.application.repository import load_agreement, load_package
from enrollment.application.sign_agreement import SignAgreement
from enrollment.application.terminate_agreement import TerminateAgreement
from enrollment.application.withdraw_enrollment import WithdrawEnrollment
from lintas_shared.domain.refusals import NotFound
from lintas_shared.identity import Resource


async def agreement_parties(ctx: Context, cmd: SignAgreement) -> Resource:
    """A new agreement: the Lapas and the BLK it names."""
    return Resource(
        parties=frozenset({cmd.lapas.code, cmd.blk.code}),
        lapas=cmd.lapas.code,
        blk=cmd.blk.code,
    )


async def signed_agreement_parties(
    ctx: Context, cmd: TerminateAgreement | CountersignAgreement
) -> Resource:
    """An agreement on record: its two parties, from its stream."""
    terms = (await load_agreement(ctx.store, cmd.agreement_id)).require()
    return Resource(
        parties=frozenset({terms.lapas.code, terms.blk.code}),
        lapas=terms.lapas.code,
        blk=terms.blk.code,
    )


async def new_package_blk(ctx: Context, cmd: OpenTrainingPackage) -> Resource:
    """A package to open: the BLK it names."""
    return Resource(blk=cmd.blk.code, kejuruan=cmd.kejuruan)


async def _package_blk(ctx: Context, package_id: UUID) -> Resource:
    terms = (await load_package(ctx.store, package_id)).require()
    return Resource(blk=terms.blk.code, kejuruan=terms.kejuruan)


async def cancelled_package_blk(ctx: Context, cmd: CancelTrainingPackage) -> Resource:
    """The package's BLK, from its stream."""
    return await _package_blk(ctx, cmd.package_id)


async def closed_package_blk(ctx: Context, cmd: CloseTrainingPackage) -> Resource:
    """The package's BLK, from its stream."""
    return await _package_blk(ctx, cmd.package_id)


async def enrolment_lapas(ctx: Context, cmd: EnrolOfficer) -> Resource:
    """The officer's Lapas (from the command) and the package's BLK (from its stream)."""
    package = await _package_blk(ctx, cmd.package_id)
    return Resource(lapas=cmd.lapas_code, blk=package.blk, kejuruan=package.kejuruan)


async def enrollment_lapas(ctx: Context, cmd: WithdrawEnrollment) -> Resource:
    """The Lapas of the officer enrolled, from the package's stream."""
    package = await load_package(ctx.store, cmd.package_id)
    terms = package.require()
    seat = package.seats.get(cmd.enrollment_id)
    if seat is None:
        raise NotFound.of(
            "enrollment-active",
            f"no active enrollment {cmd.enrollment_id} in package {cmd.package_id}",
            "enrollment_id",
        )
    return Resource(lapas=seat.lapas, blk=terms.blk.code)

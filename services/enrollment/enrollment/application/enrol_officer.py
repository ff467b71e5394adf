"""Use case: a Lapas enrols one of its officers in a training package (OfficerEnrolled)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from pydantic import Field

from enrollment.application.command import Command
from enrollment.application.context import Context
from enrollment.application.executor import run
from enrollment.application.repository import (
    append_pending,
    event_ids,
    load_agreement,
    load_package,
    load_schedule,
)
from enrollment.domain.agreement import Agreement, covering_agreement
from enrollment.domain.enrolment_date import effective_enrolment_date
from enrollment.domain.nip import parse_nip
from enrollment.domain.package import TrainingPackage
from enrollment.domain.schedule import OfficerSchedule
from lintas_shared.commands import Decision, Outcome
from lintas_shared.contracts.enrollment import OfficerRef
from lintas_shared.envelope import EventMetadata


class EnrolOfficer(Command):
    """Take a seat in a package for an officer of a Lapas, under an agreement."""

    package_id: UUID = Field(description="Package to join.")
    nip: str = Field(description="Officer's 18-digit NIP.")
    name: str = Field(min_length=2, max_length=200, description="Officer's full name.")
    position: str = Field(
        min_length=2, max_length=200, description="Position (jabatan)."
    )
    lapas_code: str = Field(
        description="Code of the officer's Lapas, e.g. LAPAS-IIA-PADANG."
    )
    agreement_id: UUID | None = Field(
        default=None,
        description="Agreement to enrol under; by default any that covers the package.",
    )
    enrolled_on: date | None = Field(
        default=None,
        description=(
            "Day the enrollment was made, when a paper enrollment is recorded late "
            "(at most the configured backdate window ago); default today."
        ),
    )


async def enrol_officer(
    ctx: Context, cmd: EnrolOfficer, metadata: EventMetadata, key: str | None
) -> Outcome:
    today = ctx.today()
    nip = parse_nip(cmd.nip, today)
    enrolled_on = effective_enrolment_date(
        cmd.enrolled_on, today, ctx.policy.backdate_days
    )
    officer = OfficerRef(
        nip=nip.value, name=cmd.name.strip(), position=cmd.position.strip()
    )

    async def decide() -> Decision:
        package = await load_package(ctx.store, cmd.package_id)
        terms = package.require()
        agreement = covering_agreement(
            await _candidates(ctx, cmd, terms.blk.code),
            lapas_code=cmd.lapas_code,
            blk_code=terms.blk.code,
            kejuruan=terms.kejuruan,
            start=terms.start_date,
            end=terms.end_date,
        )
        assert agreement.terms is not None
        enrollment_id = uuid4()
        package.enrol(
            enrollment_id,
            officer,
            agreement.terms.lapas,
            agreement.id,
            enrolled_on=enrolled_on,
            grace_days=ctx.policy.grace_days,
            recorded_at=ctx.now(),
        )
        schedule = await load_schedule(ctx.store, nip.value)
        schedule.book(enrollment_id, package.id, terms.start_date, terms.end_date)
        # One append to both streams: the package version serialises seats, the
        # officer's version serialises the officer's dates.
        appends = [
            append_pending(TrainingPackage.stream_id(package.id), package),
            append_pending(OfficerSchedule.stream_id(nip.value), schedule),
        ]
        response = {
            "enrollment_id": str(enrollment_id),
            "package_id": str(package.id),
            "agreement_id": str(agreement.id),
            "event_ids": event_ids(appends),
        }
        return Decision(appends, response)

    queue = TrainingPackage.stream_id(cmd.package_id)
    return await run(ctx, cmd, decide, metadata, key, queue)


async def _candidates(
    ctx: Context, cmd: EnrolOfficer, blk_code: str
) -> list[Agreement]:
    if cmd.agreement_id is not None:
        named = await load_agreement(ctx.store, cmd.agreement_id)
        named.require()
        return [named]
    ids = await ctx.directory.agreements_between(cmd.lapas_code, blk_code)
    return [await load_agreement(ctx.store, agreement_id) for agreement_id in ids]

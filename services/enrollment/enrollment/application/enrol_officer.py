"""Use case: a Lapas enrols one of its officers in a training package (OfficerEnrolled)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import append_pending, event_ids
from enrollment.domain.agreement import Agreement, covering_agreement
from enrollment.domain.enrolment_date import effective_enrolment_date
from enrollment.domain.nip import parse_nip
from enrollment.domain.package import TrainingPackage
from enrollment.domain.schedule import OfficerSchedule
from lintas_shared.application import Command
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

    package_stream = TrainingPackage.stream_id(cmd.package_id)
    officer_stream = OfficerSchedule.stream_id(nip.value)
    attempts = 0

    async def decide() -> Decision:
        nonlocal attempts
        attempts += 1
        # Two round trips: the candidate agreements, then every stream in one snapshot
        # (of the package and agreements only what this process has not seen yet).
        candidates = await _candidates(ctx, cmd)
        agreement_streams = [Agreement.stream_id(a) for a in candidates]
        streams = await ctx.events.read(
            ctx.store,
            [package_stream, *agreement_streams],
            [officer_stream],
            fresh=attempts > 1,
        )
        package = TrainingPackage.replay(streams[package_stream], cmd.package_id)
        terms = package.require()
        agreements = [
            Agreement.replay(streams[s], a)
            for s, a in zip(agreement_streams, candidates, strict=True)
        ]
        if cmd.agreement_id is not None:
            agreements[0].require()
        agreement = covering_agreement(
            agreements,
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
        schedule = OfficerSchedule.replay(streams[officer_stream], nip.value)
        schedule.book(enrollment_id, package.id, terms.start_date, terms.end_date)
        # One append to both streams: the package version serialises seats, the
        # officer's version serialises the officer's dates.
        appends = [
            append_pending(package_stream, package),
            append_pending(officer_stream, schedule),
        ]
        response = {
            "enrollment_id": str(enrollment_id),
            "package_id": str(package.id),
            "agreement_id": str(agreement.id),
            "event_ids": event_ids(appends),
        }
        return Decision(appends, response)

    return await ctx.runner.run(cmd, decide, metadata, key, queue_on=package_stream)


async def _candidates(ctx: Context, cmd: EnrolOfficer) -> list[UUID]:
    """The agreement named, or those joining the Lapas and the package's BLK."""
    if cmd.agreement_id is not None:
        return [cmd.agreement_id]
    return await ctx.directory.agreements_for_package(cmd.lapas_code, cmd.package_id)

"""Use case: the Lapas or the BLK withdraws an enrollment; the seat is free again."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import (
    append_pending,
    event_ids,
    load_package,
    load_schedule,
)
from enrollment.domain.package import TrainingPackage
from enrollment.domain.schedule import OfficerSchedule
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.envelope import EventMetadata


class WithdrawEnrollment(Command):
    """Withdraw an officer from a package, with a reason."""

    package_id: UUID = Field(description="Package of the enrollment.")
    enrollment_id: UUID = Field(description="Enrollment to withdraw.")
    reason: str = Field(
        min_length=3, max_length=500, description="Why it is withdrawn."
    )


async def withdraw_enrollment(
    ctx: Context, cmd: WithdrawEnrollment, metadata: EventMetadata, key: str | None
) -> Outcome:
    async def decide() -> Decision:
        package = await load_package(ctx.store, cmd.package_id)
        withdrawn = package.withdraw(cmd.enrollment_id, cmd.reason, ctx.now())
        schedule = await load_schedule(ctx.store, withdrawn.nip)
        schedule.release(cmd.enrollment_id)
        appends = [
            append_pending(TrainingPackage.stream_id(cmd.package_id), package),
            append_pending(OfficerSchedule.stream_id(withdrawn.nip), schedule),
        ]
        response = {
            "enrollment_id": str(cmd.enrollment_id),
            "package_id": str(cmd.package_id),
            "event_ids": event_ids(appends),
        }
        return Decision(appends, response)

    queue = TrainingPackage.stream_id(cmd.package_id)
    return await ctx.runner.run(cmd, decide, metadata, key, queue_on=queue)

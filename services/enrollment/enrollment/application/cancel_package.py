"""Use case: a BLK cancels a package before it runs; its enrollments are withdrawn."""

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


class CancelTrainingPackage(Command):
    """Cancel a package that has not started; every enrolled officer's seat is released."""

    package_id: UUID = Field(description="Package to cancel.")
    reason: str = Field(
        min_length=3, max_length=500, description="Why it is cancelled."
    )


async def cancel_package(
    ctx: Context, cmd: CancelTrainingPackage, metadata: EventMetadata, key: str | None
) -> Outcome:
    async def decide() -> Decision:
        package = await load_package(ctx.store, cmd.package_id)
        withdrawn = package.cancel(cmd.reason, ctx.today(), ctx.now())
        appends = [append_pending(TrainingPackage.stream_id(cmd.package_id), package)]
        # The officers' schedules are released in the same append, so their days are
        # free exactly when the cancellation commits.
        for event in withdrawn:
            schedule = await load_schedule(ctx.store, event.nip)
            schedule.release(event.enrollment_id)
            appends.append(
                append_pending(OfficerSchedule.stream_id(event.nip), schedule)
            )
        response = {
            "package_id": str(cmd.package_id),
            "withdrawn_enrollments": [str(e.enrollment_id) for e in withdrawn],
            "event_ids": event_ids(appends),
        }
        return Decision(appends, response)

    queue = TrainingPackage.stream_id(cmd.package_id)
    return await ctx.runner.run(cmd, decide, metadata, key, queue_on=queue)

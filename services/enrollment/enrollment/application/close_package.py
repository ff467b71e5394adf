"""Use case: a BLK closes a package to further enrollment (TrainingPackageClosed)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import append_pending, event_ids, load_package
from enrollment.domain.package import TrainingPackage
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.envelope import EventMetadata


class CloseTrainingPackage(Command):
    """Close a package: no new enrollments; the enrolled officers keep their seats."""

    package_id: UUID = Field(description="Package to close.")


async def close_package(
    ctx: Context, cmd: CloseTrainingPackage, metadata: EventMetadata, key: str | None
) -> Outcome:
    async def decide() -> Decision:
        package = await load_package(ctx.store, cmd.package_id)
        package.close()
        appends = [append_pending(TrainingPackage.stream_id(cmd.package_id), package)]
        response = {"package_id": str(cmd.package_id), "event_ids": event_ids(appends)}
        return Decision(appends, response)

    queue = TrainingPackage.stream_id(cmd.package_id)
    return await ctx.runner.run(cmd, decide, metadata, key, queue_on=queue)

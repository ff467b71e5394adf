"""Use case: the BLK records that an enrolled officer completed the training."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from certification.application.context import CertificationContext
from certification.application.evaluate import certify_if_due
from certification.application.repository import load_record, record_appends
from certification.domain.enrollment import require_known
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.envelope import EventMetadata


class RecordTrainingCompletion(Command):
    """The officer finished the package, having attended so many lesson hours."""

    enrollment_id: UUID = Field(description="Enrollment whose training was completed.")
    completed_on: date = Field(description="Day the officer finished the package.")
    attended_jp: int = Field(
        ge=0, le=10_000, description="Lesson hours (JP, 45 min) the officer attended."
    )


async def record_completion(
    ctx: CertificationContext,
    cmd: RecordTrainingCompletion,
    metadata: EventMetadata,
    key: str | None,
) -> Outcome:
    """TrainingCompleted, and InstructorCertified too if this completes the requirements."""

    async def decide() -> Decision:
        today = ctx.clock.today()
        facts = require_known(
            await ctx.directory.get(cmd.enrollment_id), cmd.enrollment_id
        )
        record = await load_record(ctx.store, cmd.enrollment_id)
        record.complete(facts, cmd.completed_on, cmd.attended_jp, today)
        certified, response = await certify_if_due(ctx, facts, record, today)
        return Decision([*record_appends(record), *certified], response)

    return await ctx.runner.run(cmd, decide, metadata, key)

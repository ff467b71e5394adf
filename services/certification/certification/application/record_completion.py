"""Use case: the BLK records that an enrolled officer completed the training."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from certification.application.context import CertificationContext
from certification.application.evaluate import certify_if_due
from certification.application.streams import load_record, record_appends
from certification.domain.enrollment import require_known
from lintas_shared.commands import Decision, Outcome, execute
from lintas_shared.envelope import EventMetadata


@dataclass(frozen=True, slots=True)
class RecordCompletion:
    enrollment_id: UUID
    completed_on: date
    attended_jp: int


async def record_completion(
    ctx: CertificationContext,
    command: RecordCompletion,
    metadata: EventMetadata,
    *,
    idempotency_key: str | None = None,
    body_hash: str = "",
) -> Outcome:
    """TrainingCompleted, and InstructorCertified too if this completes the requirements."""

    async def decide() -> Decision:
        today = ctx.clock.today()
        facts = require_known(
            await ctx.directory.get(command.enrollment_id), command.enrollment_id
        )
        record = await load_record(ctx.store, command.enrollment_id)
        record.complete(facts, command.completed_on, command.attended_jp, today)
        certified, response = await certify_if_due(ctx, facts, record, today)
        return Decision([*record_appends(record), *certified], response)

    return await execute(
        ctx.store,
        decide,
        metadata,
        idempotency_key=idempotency_key,
        body_hash=body_hash,
    )

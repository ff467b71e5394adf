"""Use case: the BLK records an LSP's competency assessment (technical or methodology, K or BK)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from certification.application.context import CertificationContext
from certification.application.evaluate import certify_if_due
from certification.application.streams import load_record, record_appends
from certification.domain.enrollment import require_known
from lintas_shared.commands import Decision, Outcome, execute
from lintas_shared.contracts import AssessmentKind, CompetencyResult
from lintas_shared.envelope import EventMetadata


@dataclass(frozen=True, slots=True)
class RecordAssessment:
    enrollment_id: UUID
    assessment_id: UUID
    kind: AssessmentKind
    result: CompetencyResult
    lsp: str
    assessed_on: date
    skkni_units: tuple[str, ...]


async def record_assessment(
    ctx: CertificationContext,
    command: RecordAssessment,
    metadata: EventMetadata,
    *,
    idempotency_key: str | None = None,
    body_hash: str = "",
) -> Outcome:
    """CompetencyAssessed, and InstructorCertified too if this completes the requirements."""

    async def decide() -> Decision:
        today = ctx.clock.today()
        facts = require_known(
            await ctx.directory.get(command.enrollment_id), command.enrollment_id
        )
        record = await load_record(ctx.store, command.enrollment_id)
        record.assess(
            facts,
            command.assessment_id,
            command.kind,
            command.result,
            command.lsp,
            command.assessed_on,
            command.skkni_units,
            today,
        )
        certified, response = await certify_if_due(ctx, facts, record, today)
        response["assessment_id"] = str(command.assessment_id)
        return Decision([*record_appends(record), *certified], response)

    return await execute(
        ctx.store,
        decide,
        metadata,
        idempotency_key=idempotency_key,
        body_hash=body_hash,
    )

"""Use case: the BLK records an LSP's competency assessment (technical or methodology, K or BK)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from pydantic import BaseModel, ConfigDict, Field

from certification.application.context import CertificationContext
from certification.application.evaluate import certify_if_due
from certification.application.repository import load_record, record_appends
from certification.domain.enrollment import require_known
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.contracts import AssessmentKind, CompetencyResult
from lintas_shared.envelope import EventMetadata

# Both SKKNI generations: C.25LAS01.001.1 (2016 on) and I.563030.006.01 (2012-15 style).
SKKNI_UNIT = r"^[A-Z]\.[0-9A-Z]{6,8}\.\d{3}\.\d{1,2}$"


class AssessmentFacts(BaseModel):
    """What an LSP reports of one test: the command's fields, and the HTTP body's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    assessment_id: UUID | None = Field(
        default=None,
        description="The BLK's id for this assessment; generated when omitted.",
    )
    kind: AssessmentKind = Field(description="TECHNICAL or METHODOLOGY.")
    result: CompetencyResult = Field(description="K (kompeten) or BK (belum kompeten).")
    lsp: str = Field(
        min_length=2, max_length=200, description="The LSP that assessed, by name."
    )
    assessed_on: date = Field(description="Day of the assessment.")
    skkni_units: list[Annotated[str, Field(pattern=SKKNI_UNIT)]] = Field(
        min_length=1,
        max_length=100,
        description="SKKNI unit codes assessed, e.g. C.25LAS01.001.1 or I.563030.006.01.",
    )


class _Assessed(BaseModel):
    enrollment_id: UUID = Field(description="Enrollment assessed.")


# The facts after the enrollment (bases give their fields in reverse order), so the
# published command schema keeps enrollment_id first.
class RecordCompetencyAssessment(AssessmentFacts, _Assessed, Command):
    """An LSP's result of one test of an enrolled officer."""


async def record_assessment(
    ctx: CertificationContext,
    cmd: RecordCompetencyAssessment,
    metadata: EventMetadata,
    key: str | None,
) -> Outcome:
    """CompetencyAssessed, and InstructorCertified too if this completes the requirements."""
    # Without an id of the BLK's, one derived from the idempotency key: a resent command
    # names the same assessment.
    assessment_id = cmd.assessment_id or (uuid5(NAMESPACE_URL, key) if key else uuid4())

    async def decide() -> Decision:
        today = ctx.clock.today()
        facts = require_known(
            await ctx.directory.get(cmd.enrollment_id), cmd.enrollment_id
        )
        record = await load_record(ctx.store, cmd.enrollment_id)
        record.assess(
            facts,
            assessment_id,
            cmd.kind,
            cmd.result,
            cmd.lsp,
            cmd.assessed_on,
            tuple(cmd.skkni_units),
            today,
        )
        certified, response = await certify_if_due(ctx, facts, record, today)
        response["assessment_id"] = str(assessment_id)
        return Decision([*record_appends(record), *certified], response)

    return await ctx.runner.run(cmd, decide, metadata, key)

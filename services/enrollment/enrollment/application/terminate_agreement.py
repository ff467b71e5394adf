"""Use case: either party ends an agreement before its term (AgreementTerminated)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import append_pending, event_ids, load_agreement
from enrollment.domain.agreement import Agreement
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.envelope import EventMetadata


class TerminateAgreement(Command):
    """End an agreement from a given day; enrollments already made stay."""

    agreement_id: UUID = Field(description="Agreement to end.")
    reason: str = Field(min_length=3, max_length=500, description="Why it ends.")
    terminated_on: date | None = Field(
        default=None, description="First day it no longer applies (default today)."
    )


async def terminate_agreement(
    ctx: Context, cmd: TerminateAgreement, metadata: EventMetadata, key: str | None
) -> Outcome:
    async def decide() -> Decision:
        agreement = await load_agreement(ctx.store, cmd.agreement_id)
        agreement.terminate(cmd.reason, cmd.terminated_on or ctx.today())
        appends = [append_pending(Agreement.stream_id(cmd.agreement_id), agreement)]
        response = {
            "agreement_id": str(cmd.agreement_id),
            "event_ids": event_ids(appends),
        }
        return Decision(appends, response)

    return await ctx.runner.run(cmd, decide, metadata, key)

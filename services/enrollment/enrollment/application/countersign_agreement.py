"""Use case: the other party's signatory signs; the agreement is in force from then on."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import append_pending, load_agreement
from enrollment.domain.agreement import Agreement
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.envelope import EventMetadata


class CountersignAgreement(Command):
    """Record the signature of the party that has not signed an agreement yet."""

    agreement_id: UUID = Field(description="Agreement to sign.")


async def countersign_agreement(
    ctx: Context, cmd: CountersignAgreement, metadata: EventMetadata, key: str | None
) -> Outcome:
    async def decide() -> Decision:
        agreement = await load_agreement(ctx.store, cmd.agreement_id)
        terms = agreement.require()
        party = Agreement.party_for(
            terms.lapas.code, terms.blk.code, metadata.actor_agency, metadata.actor_unit
        )
        agreement.countersign(party)
        appends = [append_pending(Agreement.stream_id(cmd.agreement_id), agreement)]
        response = {
            "agreement_id": str(cmd.agreement_id),
            "signed_by": party,
            "in_force": not agreement.awaiting,
            "event_ids": [],  # a private record: nothing is published
        }
        return Decision(appends, response)

    return await ctx.runner.run(cmd, decide, metadata, key)

"""Use case: one party of a cooperation agreement signs it (AgreementSigned).

It takes effect once the other party countersigns (``countersign_agreement``).
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import append_pending, event_ids, load_claim
from enrollment.domain.agreement import Agreement
from enrollment.domain.claim import NameClaim
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.contracts.units import UnitRef
from lintas_shared.envelope import EventMetadata


class SignAgreement(Command):
    """Record a PKS between a Lapas and a BLK, signed by the acting party."""

    number: str = Field(
        min_length=1, max_length=100, description="PKS document number."
    )
    lapas: UnitRef = Field(description="The corrections unit party to the agreement.")
    blk: UnitRef = Field(description="The training centre party to the agreement.")
    kejuruan: list[Kejuruan] = Field(min_length=1, description="Trades covered.")
    valid_from: date = Field(description="First day in force.")
    valid_until: date = Field(description="Last day in force.")


async def sign_agreement(
    ctx: Context, cmd: SignAgreement, metadata: EventMetadata, key: str | None
) -> Outcome:
    # The first signature: the actor's party (the other one countersigns).
    party = Agreement.party_for(
        cmd.lapas.code, cmd.blk.code, metadata.actor_agency, metadata.actor_unit
    )

    async def decide() -> Decision:
        agreement_id = uuid4()
        agreement = Agreement.sign(
            agreement_id,
            number=cmd.number,
            lapas=cmd.lapas,
            blk=cmd.blk,
            kejuruan=tuple(cmd.kejuruan),
            valid_from=cmd.valid_from,
            valid_until=cmd.valid_until,
            signed_by=party,
        )
        name = NameClaim.agreement_number(cmd.lapas.code, cmd.blk.code, cmd.number)
        claim = await load_claim(ctx.store, name)
        claim.claim(agreement_id, "agreement-number-unique", "number")
        appends = [
            append_pending(Agreement.stream_id(agreement_id), agreement),
            append_pending(name, claim),
        ]
        response = {"agreement_id": str(agreement_id), "event_ids": event_ids(appends)}
        return Decision(appends, response)

    return await ctx.runner.run(cmd, decide, metadata, key)

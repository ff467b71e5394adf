"""Use case: expire every certificate whose last valid day has passed (run by the scheduler)."""

from __future__ import annotations

from certification.application.context import CertificationContext
from certification.application.streams import (
    certification_appends,
    load_certification,
)
from lintas_shared.commands import Decision, execute
from lintas_shared.contracts import Kejuruan
from lintas_shared.envelope import EventMetadata

SCHEDULER = EventMetadata(actor_agency="LINTAS", actor_unit="CERTIFICATION-EXPIRY")


async def expire_due(ctx: CertificationContext, *, batch: int = 100) -> int:
    """Emit CertificationExpired for each due certificate; returns how many expired."""
    today = ctx.clock.today()
    expired = 0
    while True:
        due = await ctx.index.due_for_expiry(today, batch)
        done = 0
        for nip, kejuruan in due:
            done += await _expire(ctx, nip, kejuruan)
        expired += done
        # A full batch that changed nothing would come back unchanged: stop, do not spin.
        if len(due) < batch or done == 0:
            return expired


async def _expire(ctx: CertificationContext, nip: str, kejuruan: Kejuruan) -> int:
    count = 0

    async def decide() -> Decision:
        nonlocal count
        certification = await load_certification(ctx.store, nip, kejuruan)
        # Another replica may have expired it already: then there is nothing to append.
        certification.expire_due(ctx.clock.today())
        count = len(certification.pending)
        return Decision(certification_appends(certification))

    await execute(ctx.store, decide, SCHEDULER)
    return count

"""Use case: expire every certificate whose last valid day has passed, and its scheduler."""

from __future__ import annotations

import asyncio

import structlog
from pydantic import Field

from certification.application.context import CertificationContext
from certification.application.repository import (
    certification_appends,
    load_certification,
)
from lintas_shared.application import Command
from lintas_shared.commands import Decision
from lintas_shared.contracts import Kejuruan
from lintas_shared.envelope import EventMetadata

log = structlog.get_logger(__name__)

SCHEDULER = EventMetadata(actor_agency="LINTAS", actor_unit="CERTIFICATION-EXPIRY")


class ExpireCertificate(Command):
    """Expire the officer's certificate of a kejuruan if it is past its last day."""

    nip: str = Field(description="Officer's NIP.")
    kejuruan: Kejuruan = Field(description="Kejuruan of the certification.")


async def expire_due(ctx: CertificationContext, *, batch: int = 100) -> int:
    """Emit CertificationExpired for each due certificate; returns how many expired."""
    today = ctx.clock.today()
    expired = 0
    while True:
        due = await ctx.index.due_for_expiry(today, batch)
        done = 0
        for nip, kejuruan in due:
            done += await _expire(ctx, ExpireCertificate(nip=nip, kejuruan=kejuruan))
        expired += done
        # A full batch that changed nothing would come back unchanged: stop, do not spin.
        if len(due) < batch or done == 0:
            return expired


async def _expire(ctx: CertificationContext, cmd: ExpireCertificate) -> int:
    count = 0

    async def decide() -> Decision:
        nonlocal count
        certification = await load_certification(ctx.store, cmd.nip, cmd.kejuruan)
        # Another replica may have expired it already: then there is nothing to append.
        certification.expire_due(ctx.clock.today())
        count = len(certification.pending)
        return Decision(certification_appends(certification))

    await ctx.runner.run(cmd, decide, SCHEDULER, None)
    return count


async def run_expiry_scheduler(ctx: CertificationContext, interval: float) -> None:
    """Every replica may run it: the streams' expected versions keep expiry single."""
    while True:
        try:
            expired = await expire_due(ctx)
            if expired:
                log.info("certificates_expired", count=expired)
        except (
            Exception
        ) as exc:  # the next pass retries; an outage must not end the loop
            log.warning("expiry_pass_failed", error=repr(exc))
        await asyncio.sleep(interval)

"""The expiry scheduler: a background loop that expires due certificates every interval."""

from __future__ import annotations

import asyncio

import structlog

from certification.application.context import CertificationContext
from certification.application.expire_due import expire_due

log = structlog.get_logger(__name__)


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

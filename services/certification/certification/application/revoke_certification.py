"""Use case: revoke a valid certificate, with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certification.application.context import CertificationContext
from certification.application.streams import (
    certification_appends,
    load_certification,
)
from certification.domain.errors import CertificateNotFound
from lintas_shared.commands import Decision, Outcome, execute
from lintas_shared.envelope import EventMetadata


@dataclass(frozen=True, slots=True)
class RevokeCertification:
    certificate_number: str
    reason: str
    revoked_on: date | None = None  # today when not given


async def revoke_certification(
    ctx: CertificationContext,
    command: RevokeCertification,
    metadata: EventMetadata,
    *,
    idempotency_key: str | None = None,
    body_hash: str = "",
) -> Outcome:
    """CertificationRevoked; refused unless the certificate is valid today."""

    async def decide() -> Decision:
        today = ctx.clock.today()
        located = await ctx.index.locate(command.certificate_number)
        if located is None:
            raise CertificateNotFound(
                f"no certificate {command.certificate_number!r}",
                field="certificate_number",
            )
        certification = await load_certification(ctx.store, *located)
        certification.revoke(
            command.certificate_number,
            command.reason,
            command.revoked_on or today,
            today,
        )
        response = {
            "certificate_number": command.certificate_number,
            "status": "revoked",
            "revoked_on": (command.revoked_on or today).isoformat(),
        }
        return Decision(certification_appends(certification), response)

    return await execute(
        ctx.store,
        decide,
        metadata,
        idempotency_key=idempotency_key,
        body_hash=body_hash,
    )

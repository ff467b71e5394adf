"""Use case: revoke a valid certificate, with a reason."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from certification.application.context import CertificationContext
from certification.application.repository import (
    certification_appends,
    load_certification,
)
from certification.domain.errors import CertificateNotFound
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.envelope import EventMetadata


class RevokeCertification(Command):
    """Revoke a certificate that is valid today."""

    certificate_number: str = Field(
        min_length=3, max_length=128, description="Certificate to revoke."
    )
    reason: str = Field(min_length=3, max_length=500, description="Why it is revoked.")
    revoked_on: date | None = Field(
        default=None, description="Day the revocation takes effect; today if omitted."
    )


async def revoke_certification(
    ctx: CertificationContext,
    cmd: RevokeCertification,
    metadata: EventMetadata,
    key: str | None,
) -> Outcome:
    """CertificationRevoked; refused unless the certificate is valid today."""

    async def decide() -> Decision:
        today = ctx.clock.today()
        located = await ctx.index.locate(cmd.certificate_number)
        if located is None:
            raise CertificateNotFound.because(
                f"no certificate {cmd.certificate_number!r}", "certificate_number"
            )
        certification = await load_certification(ctx.store, *located)
        revoked_on = cmd.revoked_on or today
        certification.revoke(cmd.certificate_number, cmd.reason, revoked_on, today)
        response = {
            "certificate_number": cmd.certificate_number,
            "status": "revoked",
            "revoked_on": revoked_on.isoformat(),
        }
        return Decision(certification_appends(certification), response)

    return await ctx.runner.run(cmd, decide, metadata, key)

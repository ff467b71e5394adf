"""What authorization looks at for each command: the package's BLK, its trade, its rules.

Each resolver reads the local view (or the certificate table) and names the resource;
the kernel's catalogue then asks the rules whether the principal may act on it.
"""

from __future__ import annotations

from certification.application.context import CertificationContext
from certification.application.record_assessment import RecordCompetencyAssessment
from certification.application.record_completion import RecordTrainingCompletion
from certification.application.revoke_certification import RevokeCertification
from certification.domain.enrollment import EnrollmentFacts, require_known
from certification.domain.errors import CertificateNotFound
from lintas_shared.identity import Resource


def enrollment_resource(facts: EnrollmentFacts) -> Resource:
    """An enrollment's seat: the officer's Lapas, the package's BLK, trade and rules."""
    return Resource(
        lapas=facts.lapas.code,
        blk=facts.blk.code,
        lapas_province=facts.lapas.province,
        blk_province=facts.blk.province,
        kejuruan=facts.kejuruan,
        blk_assesses=facts.blk_assesses,
    )


async def completion_resource(
    ctx: CertificationContext, cmd: RecordTrainingCompletion
) -> Resource:
    """The package's BLK records its trainees' completions (retryable 409 if unknown)."""
    facts = require_known(await ctx.directory.get(cmd.enrollment_id), cmd.enrollment_id)
    return enrollment_resource(facts)


async def assessment_resource(
    ctx: CertificationContext, cmd: RecordCompetencyAssessment
) -> Resource:
    """The package's trade (for the assessor) and whether its BLK may assess."""
    facts = require_known(await ctx.directory.get(cmd.enrollment_id), cmd.enrollment_id)
    return enrollment_resource(facts)


async def revocation_resource(
    ctx: CertificationContext, cmd: RevokeCertification
) -> Resource:
    """The issuing BLK (or the centre) revokes; an unknown number is a 404."""
    blk = await ctx.index.issuing_blk(cmd.certificate_number)
    if blk is None:
        raise CertificateNotFound.because(
            f"no certificate {cmd.certificate_number!r}", "certificate_number"
        )
    return Resource(blk=blk)

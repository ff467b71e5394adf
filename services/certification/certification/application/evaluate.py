"""Shared step of the recording use cases: certify the officer if the record now qualifies."""

from __future__ import annotations

from datetime import date
from typing import Any

from certification.application.context import CertificationContext
from certification.application.repository import (
    certification_appends,
    load_certification,
)
from certification.domain.certification import InstructorCertification
from certification.domain.certify import certificate_due
from certification.domain.enrollment import EnrollmentFacts
from certification.domain.numbering import certificate_number
from certification.domain.training_record import TrainingRecord
from lintas_shared.eventstore.ports import StreamAppend


async def certify_if_due(
    ctx: CertificationContext,
    facts: EnrollmentFacts,
    record: TrainingRecord,
    today: date,
) -> tuple[list[StreamAppend], dict[str, Any]]:
    """Appends for the certification stream, and a summary of the record."""
    certification = await load_certification(ctx.store, facts.nip, facts.kejuruan)
    terms = certificate_due(ctx.policy, facts, record, certification, today)
    if terms is not None:
        year = terms.issued_on.year
        sequence = await ctx.numbers.next_sequence(facts.blk.code, facts.kejuruan, year)
        number = certificate_number(facts.blk.code, facts.kejuruan, year, sequence)
        certification.certify(facts, number, terms.issued_on, terms.expires_on)
    appends = certification_appends(certification)
    return appends, summary(ctx, facts, record, certification, today)


def summary(
    ctx: CertificationContext,
    facts: EnrollmentFacts,
    record: TrainingRecord,
    certification: InstructorCertification,
    today: date,
) -> dict[str, Any]:
    """What the operator needs to know after recording: done, missing, certificate."""
    certificate = (
        certification.issued_for(record.enrollment_id)
        or certification.valid_certificate()
    )
    return {
        "enrollment_id": str(record.enrollment_id),
        "assessment_id": None,  # set by the assessment use case
        "completed": record.completion is not None,
        "unmet_requirements": [r.value for r in ctx.policy.unmet(facts, record)],
        "certificate": None
        if certificate is None
        else {
            "certificate_number": certificate.number,
            "status": certificate.status_on(today).value,
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat(),
            "from_enrollment_id": str(certificate.enrollment_id),
        },
    }

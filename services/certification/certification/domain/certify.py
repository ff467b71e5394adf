"""Domain service: does a training record earn its officer a certificate now, and on what terms."""

from __future__ import annotations

from datetime import date

from certification.domain.certification import InstructorCertification
from certification.domain.enrollment import EnrollmentFacts
from certification.domain.policy import CertificateTerms, CertificationPolicy
from certification.domain.training_record import TrainingRecord


def certificate_due(
    policy: CertificationPolicy,
    facts: EnrollmentFacts,
    record: TrainingRecord,
    certification: InstructorCertification,
    today: date,
) -> CertificateTerms | None:
    """Terms of the certificate to issue, or None; expires an outdated one on the way."""
    if policy.unmet(facts, record):
        return None
    if certification.issued_for(record.enrollment_id) is not None:
        return None
    # A certificate past its last day must not block a new one until the scheduler runs.
    certification.expire_due(today)
    if certification.valid_certificate() is not None:
        return None
    return policy.terms(record)

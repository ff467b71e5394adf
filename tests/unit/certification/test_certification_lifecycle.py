"""A certificate's life: one valid at a time, numbered, revoked, expired, reissued."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from certification.domain import errors
from certification.domain.certificate import CertificateStatus
from certification.domain.certification import InstructorCertification
from certification.domain.certify import certificate_due
from certification.domain.enrollment import EnrollmentFacts
from certification.domain.numbering import certificate_number
from certification.domain.policy import CertificationPolicy
from certification.domain.training_record import TrainingRecord
from lintas_shared.contracts import AssessmentKind, CompetencyResult, Kejuruan
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    InstructorCertified,
)
from lintas_shared.domain import Refusal
from tests.unit.certification.certification_factories import (
    END,
    TODAY,
    facts_of,
    officer_enrolled,
)

pytestmark = pytest.mark.unit

POLICY = CertificationPolicy.of(0.9)
ISSUED = date(2026, 5, 4)


def _qualified(facts: EnrollmentFacts, day: date = ISSUED) -> TrainingRecord:
    today = max(day, TODAY)
    record = TrainingRecord(facts.enrollment_id)
    record.complete(facts, END, 320, today)
    for kind in AssessmentKind:
        record.assess(facts, uuid4(), kind, CompetencyResult.K, "LSP", day, (), today)
    return record


def _certified(facts: EnrollmentFacts) -> InstructorCertification:
    certification = InstructorCertification(facts.nip, facts.kejuruan)
    terms = certificate_due(POLICY, facts, _qualified(facts), certification, TODAY)
    assert terms is not None, "a qualified officer must be due a certificate"
    certification.certify(facts, "LNT/X/1", terms.issued_on, terms.expires_on)
    return certification


def test_second_qualifying_enrollment_gets_no_second_valid_certificate() -> None:
    first = facts_of(officer_enrolled())
    second = facts_of(officer_enrolled(nip=first.nip))
    certification = _certified(first)

    terms = certificate_due(POLICY, second, _qualified(second), certification, TODAY)

    assert terms is None
    with pytest.raises(errors.CertificateNotValid):
        certification.certify(second, "LNT/X/2", ISSUED, ISSUED)


def test_same_officer_may_hold_certificates_for_two_kejuruan() -> None:
    meubel = facts_of(officer_enrolled(kejuruan=Kejuruan.MEUBEL))
    las = facts_of(officer_enrolled(kejuruan=Kejuruan.TEKNIK_LAS, nip=meubel.nip))
    _certified(meubel)

    other = InstructorCertification(las.nip, las.kejuruan)

    assert certificate_due(POLICY, las, _qualified(las), other, TODAY) is not None


def test_revoked_certificate_is_not_reissued_from_the_same_enrollment() -> None:
    facts = facts_of(officer_enrolled())
    certification = _certified(facts)
    certification.revoke("LNT/X/1", "falsified attendance", TODAY, TODAY)

    assert (
        certificate_due(POLICY, facts, _qualified(facts), certification, TODAY) is None
    )


def test_after_revocation_a_new_enrollment_can_certify_again() -> None:
    first = facts_of(officer_enrolled())
    certification = _certified(first)
    certification.revoke("LNT/X/1", "falsified attendance", TODAY, TODAY)
    second = facts_of(officer_enrolled(nip=first.nip))

    terms = certificate_due(POLICY, second, _qualified(second), certification, TODAY)

    assert terms is not None, "a revoked certificate must not block a new one"
    assert terms.expires_on > terms.issued_on >= second.start_date


def test_revocation_records_the_reason_and_ends_validity() -> None:
    certification = _certified(facts_of(officer_enrolled()))
    certification.pending.clear()

    certification.revoke("LNT/X/1", "misconduct", TODAY, TODAY)

    (event,) = certification.pending
    assert isinstance(event, CertificationRevoked) and event.reason == "misconduct"
    assert certification.valid_certificate() is None
    assert certification.find("LNT/X/1").status is CertificateStatus.REVOKED


@pytest.mark.parametrize(
    ("number", "revoked_on", "refusal"),
    [
        ("LNT/UNKNOWN", TODAY, errors.CertificateNotFound),
        ("LNT/X/1", TODAY + timedelta(days=1), errors.DateInFuture),
        ("LNT/X/1", ISSUED - timedelta(days=1), errors.DateBeforeIssue),
    ],
)
def test_revocation_refusals_record_nothing(
    number: str, revoked_on: date, refusal: type[Refusal]
) -> None:
    certification = _certified(facts_of(officer_enrolled()))
    certification.pending.clear()

    with pytest.raises(refusal):
        certification.revoke(number, "misconduct", revoked_on, TODAY)

    assert certification.pending == []


def test_revoking_twice_is_refused() -> None:
    certification = _certified(facts_of(officer_enrolled()))
    certification.revoke("LNT/X/1", "misconduct", TODAY, TODAY)

    with pytest.raises(errors.CertificateNotValid):
        certification.revoke("LNT/X/1", "misconduct", TODAY, TODAY)


def test_certificate_expires_the_day_after_its_last_valid_day() -> None:
    certification = _certified(facts_of(officer_enrolled()))
    last_day = certification.find("LNT/X/1").expires_on
    certification.pending.clear()

    certification.expire_due(last_day)
    assert certification.pending == []
    certification.expire_due(last_day + timedelta(days=1))

    (event,) = certification.pending
    assert isinstance(event, CertificationExpired)
    assert event.expired_on == last_day + timedelta(days=1)
    certification.expire_due(last_day + timedelta(days=400))
    assert len(certification.pending) == 1


def test_expired_certificate_cannot_be_revoked() -> None:
    certification = _certified(facts_of(officer_enrolled()))
    after = certification.find("LNT/X/1").expires_on + timedelta(days=1)

    with pytest.raises(errors.CertificateNotValid, match="expired"):
        certification.revoke("LNT/X/1", "misconduct", after, after)


def test_outdated_certificate_is_expired_before_a_new_one_is_issued() -> None:
    first = facts_of(officer_enrolled())
    certification = _certified(first)
    later = certification.find("LNT/X/1").expires_on + timedelta(days=30)
    second = facts_of(officer_enrolled(nip=first.nip))
    certification.pending.clear()

    record = _qualified(second, day=later)
    terms = certificate_due(POLICY, second, record, certification, later)

    assert terms is not None and terms.issued_on == later
    assert [type(e) for e in certification.pending] == [CertificationExpired]


def test_status_reads_expired_past_the_last_day_even_before_the_scheduler_ran() -> None:
    certificate = _certified(facts_of(officer_enrolled())).find("LNT/X/1")

    assert certificate.status_on(certificate.expires_on) is CertificateStatus.VALID
    after = certificate.expires_on + timedelta(days=1)
    assert certificate.status_on(after) is CertificateStatus.EXPIRED


def test_certification_rebuilt_from_events_has_the_same_certificates() -> None:
    certification = _certified(facts_of(officer_enrolled()))
    certification.revoke("LNT/X/1", "misconduct", TODAY, TODAY)

    rebuilt = InstructorCertification.replay(
        certification.pending, certification.nip, certification.kejuruan
    )

    assert rebuilt.certificates == certification.certificates
    assert rebuilt.version == 2
    assert isinstance(certification.pending[0], InstructorCertified)


def test_certificate_numbers_are_readable_and_differ_by_series_and_sequence() -> None:
    numbers = {
        certificate_number("BPVP-PADANG", kejuruan, year, n)
        for kejuruan in (Kejuruan.TEKNIK_LAS, Kejuruan.MEUBEL)
        for year in (2026, 2027)
        for n in (1, 2, 10)
    }

    assert "LNT/BPVP-PADANG/TEKNIK-LAS/2026/000001" in numbers
    assert len(numbers) == 2 * 2 * 3
    with pytest.raises(ValueError, match="start at 1"):
        certificate_number("BPVP-PADANG", Kejuruan.MEUBEL, 2026, 0)

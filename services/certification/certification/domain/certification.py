"""InstructorCertification aggregate: one officer's certificates for one kejuruan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from certification.domain.certificate import Certificate, CertificateStatus
from certification.domain.enrollment import EnrollmentFacts
from certification.domain.errors import (
    CertificateNotFound,
    CertificateNotValid,
    DateBeforeIssue,
    DateInFuture,
)
from lintas_shared.contracts import IntegrationEvent, Kejuruan
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    InstructorCertified,
)
from lintas_shared.domain import Aggregate


class InstructorCertification(Aggregate[IntegrationEvent]):
    """At most one valid certificate at a time; the stream version guards concurrency."""

    def __init__(self, nip: str, kejuruan: Kejuruan) -> None:
        super().__init__()
        self.nip = nip
        self.kejuruan = kejuruan
        self.certificates: list[Certificate] = []

    def _certified(self, event: InstructorCertified) -> None:
        self.certificates.append(
            Certificate(
                event.certificate_number,
                event.enrollment_id,
                event.issued_on,
                event.expires_on,
            )
        )

    def _revoked(self, event: CertificationRevoked) -> None:
        self._set_status(event.certificate_number, CertificateStatus.REVOKED)

    def _expired(self, event: CertificationExpired) -> None:
        self._set_status(event.certificate_number, CertificateStatus.EXPIRED)

    handlers = {  # noqa: RUF012
        InstructorCertified: _certified,
        CertificationRevoked: _revoked,
        CertificationExpired: _expired,
    }

    def valid_certificate(self) -> Certificate | None:
        return next(
            (c for c in self.certificates if c.status is CertificateStatus.VALID), None
        )

    def issued_for(self, enrollment_id: UUID) -> Certificate | None:
        """A training record certifies once: a revoked certificate is not reissued from it."""
        return next(
            (c for c in self.certificates if c.enrollment_id == enrollment_id), None
        )

    def find(self, number: str) -> Certificate:
        for certificate in self.certificates:
            if certificate.number == number:
                return certificate
        raise CertificateNotFound.because(f"no certificate {number!r}")

    def expire_due(self, today: date) -> None:
        """Expire the valid certificate once its last valid day has passed."""
        current = self.valid_certificate()
        if current is not None and today > current.expires_on:
            self.record(
                CertificationExpired(
                    certificate_number=current.number,
                    nip=self.nip,
                    kejuruan=self.kejuruan,
                    expired_on=current.expires_on + timedelta(days=1),
                )
            )

    def certify(
        self, facts: EnrollmentFacts, number: str, issued_on: date, expires_on: date
    ) -> None:
        """Issue a certificate; the caller checked the policy and expired what was due."""
        current = self.valid_certificate()
        if current is not None:
            raise CertificateNotValid.because(
                f"officer already holds valid certificate {current.number}"
            )
        self.record(
            InstructorCertified(
                certificate_number=number,
                enrollment_id=facts.enrollment_id,
                package_id=facts.package_id,
                nip=facts.nip,
                officer_name=facts.officer_name,
                kejuruan=facts.kejuruan,
                blk=facts.blk,
                lapas=facts.lapas,
                issued_on=issued_on,
                expires_on=expires_on,
            )
        )

    def revoke(self, number: str, reason: str, revoked_on: date, today: date) -> None:
        certificate = self.find(number)
        if certificate.status_on(today) is not CertificateStatus.VALID:
            raise CertificateNotValid.because(
                f"certificate {number} is {certificate.status_on(today)}, not valid"
            )
        if revoked_on > today:
            raise DateInFuture.because(
                f"revoked_on {revoked_on} is after today ({today})", field="revoked_on"
            )
        if revoked_on < certificate.issued_on:
            raise DateBeforeIssue.because(
                f"revoked_on {revoked_on} is before the issue date"
                f" ({certificate.issued_on})",
                field="revoked_on",
            )
        self.record(
            CertificationRevoked(
                certificate_number=number,
                nip=self.nip,
                kejuruan=self.kejuruan,
                reason=reason,
                revoked_on=revoked_on,
            )
        )

    def _set_status(self, number: str, status: CertificateStatus) -> None:
        self.certificates = [
            replace(c, status=status) if c.number == number else c
            for c in self.certificates
        ]

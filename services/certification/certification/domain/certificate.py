"""A certificate as its officer's certification holds it: number, validity, status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Certificate:
    number: str
    enrollment_id: UUID
    issued_on: date
    expires_on: date
    status: CertificateStatus = CertificateStatus.VALID

    def status_on(self, today: date) -> CertificateStatus:
        """Status as a reader sees it: past its last day it is expired, event or not."""
        if self.status is CertificateStatus.VALID and today > self.expires_on:
            return CertificateStatus.EXPIRED
        return self.status

"""Everything a use case needs, built once by the composition root and passed in."""

from __future__ import annotations

from dataclasses import dataclass

from certification.application.ports import (
    CertificateIndex,
    CertificateNumbers,
    Clock,
    EnrollmentDirectory,
)
from certification.domain.policy import CertificationPolicy
from lintas_shared.eventstore import EventStore


@dataclass(frozen=True, slots=True)
class CertificationContext:
    store: EventStore
    directory: EnrollmentDirectory
    index: CertificateIndex
    numbers: CertificateNumbers
    clock: Clock
    policy: CertificationPolicy

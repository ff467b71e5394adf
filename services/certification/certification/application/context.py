"""What every use case needs: the store and its runner, the ports, the clock, the audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from certification.application.ports import (
    CertificateIndex,
    CertificateNumbers,
    Clock,
    EnrollmentDirectory,
)
from certification.domain.policy import CertificationPolicy
from lintas_shared.application import CommandRunner
from lintas_shared.audit import AuditWriter
from lintas_shared.eventstore.ports import EventStore


class SystemClock:
    """Today in the given zone.

    The default, Asia/Jayapura (UTC+9), is Indonesia's easternmost zone: a date counts as
    "in the future" only once it has begun nowhere in the country, so no BLK is refused.
    """

    def __init__(self, timezone: str = "Asia/Jayapura") -> None:
        self._zone = ZoneInfo(timezone)

    def today(self) -> date:
        return datetime.now(self._zone).date()


@dataclass(frozen=True, slots=True)
class CertificationContext:
    """Ports and policy, built once by the composition root and passed to every use case."""

    store: EventStore
    directory: EnrollmentDirectory
    index: CertificateIndex
    numbers: CertificateNumbers
    clock: Clock
    policy: CertificationPolicy
    # Where the command catalogue and the officer-level reads record each attempt.
    audit: AuditWriter
    runner: CommandRunner = field(init=False)

    def __post_init__(self) -> None:
        # Not pinned: the directory, index and numbers take their own connections (the
        # certificate numbers on purpose, in autocommit).
        object.__setattr__(self, "runner", CommandRunner(self.store))

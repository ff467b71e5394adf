"""What every use case needs: the store and its runner, the directory, the audit, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from enrollment.application.event_cache import EventCache
from enrollment.application.ports import AgreementDirectory
from lintas_shared.application import CommandRunner, StreamLocks
from lintas_shared.audit import AuditWriter
from lintas_shared.eventstore.ports import EventStore


@dataclass(frozen=True, slots=True)
class EnrollmentPolicy:
    """The configurable parts of the rules (see EnrollmentSettings for their meaning)."""

    grace_days: int = 0
    backdate_days: int = 366
    command_attempts: int = 30
    max_backoff: float = 0.1
    timezone: str = "Asia/Jakarta"


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Context:
    """Ports and policy, built once by the composition root and passed to every use case."""

    store: EventStore
    directory: AgreementDirectory
    policy: EnrollmentPolicy = EnrollmentPolicy()
    clock: Callable[[], datetime] = system_clock
    locks: StreamLocks = field(default_factory=StreamLocks)
    events: EventCache = field(default_factory=EventCache)
    # Where the command catalogue records every command, allowed or denied.
    audit: AuditWriter = field(kw_only=True)
    runner: CommandRunner = field(init=False)

    def __post_init__(self) -> None:
        runner = CommandRunner(
            self.store,
            attempts=self.policy.command_attempts,
            max_backoff=self.policy.max_backoff,
            # One connection per attempt: the use cases read only through the store
            # and the directory, and both take the session's connection.
            pinned=True,
            locks=self.locks,
        )
        object.__setattr__(self, "runner", runner)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The calendar day at the service's legal time zone (WIB by default)."""
        return self.clock().astimezone(ZoneInfo(self.policy.timezone)).date()

"""The audit trail as ports: a writer every edge records through, a reader for auditors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lintas_shared.audit.entry import AuditEntry


class AuditWriter(Protocol):
    """Where the edge records each command and each read of officer-level data."""

    async def write(self, entry: AuditEntry) -> None: ...


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries an auditor asks for (every field optional), and one page of them."""

    since: datetime | None = None
    until: datetime | None = None
    action: str | None = None
    unit: str | None = None
    limit: int = 100
    after_id: int | None = None  # keyset paging: entries with a larger id


@dataclass(frozen=True, slots=True)
class AuditRow:
    """A stored entry with its position in the trail (for paging)."""

    id: int
    entry: AuditEntry


class AuditReader(Protocol):
    """The trail as the auditor reads it, oldest first."""

    async def entries(self, query: AuditFilter) -> list[AuditRow]: ...


class AuditedContext(Protocol):
    """A use-case context that carries the audit writer the command edge records to."""

    @property
    def audit(self) -> AuditWriter: ...

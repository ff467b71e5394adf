"""The audit trail in memory, for unit tests (the service uses PostgresAuditTrail)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lintas_shared.audit import AuditEntry, AuditFilter, AuditRow


@dataclass
class MemoryAudit:
    """Keeps every entry in order; reads with the same filters as PostgreSQL."""

    rows: list[AuditRow] = field(default_factory=list)

    async def write(self, entry: AuditEntry) -> None:
        self.rows.append(AuditRow(len(self.rows) + 1, entry))

    async def entries(self, query: AuditFilter) -> list[AuditRow]:
        found = [
            r
            for r in self.rows
            if (query.since is None or r.entry.time >= query.since)
            and (query.until is None or r.entry.time < query.until)
            and (query.action is None or r.entry.action == query.action)
            and (query.unit is None or r.entry.unit == query.unit)
            and (query.after_id is None or r.id > query.after_id)
        ]
        return found[: query.limit]

    @property
    def entries_written(self) -> list[AuditEntry]:
        return [r.entry for r in self.rows]

"""The audit trail in the service's own database (table ``audit_log``, kernel migration)."""

from __future__ import annotations

from typing import Any

import asyncpg

from lintas_shared.audit.entry import AuditEntry, AuditOutcome
from lintas_shared.audit.ports import AuditFilter, AuditRow

_INSERT = """
INSERT INTO audit_log
    (at, subject, agency, unit, roles, action, outcome, rule, scope, correlation_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
"""


class PostgresAuditTrail:
    """Writes entries as they happen and reads them back, filtered and paged by id."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def write(self, entry: AuditEntry) -> None:
        await self._pool.execute(
            _INSERT,
            entry.time,
            entry.subject,
            entry.agency,
            entry.unit,
            list(entry.roles),
            entry.action,
            entry.outcome.value,
            entry.rule,
            dict(entry.scope),
            entry.correlation_id,
        )

    async def entries(self, query: AuditFilter) -> list[AuditRow]:
        where: list[str] = []
        args: list[Any] = []

        def bind(clause: str, value: Any) -> None:
            args.append(value)
            where.append(clause.format(f"${len(args)}"))

        if query.since is not None:
            bind("at >= {}", query.since)
        if query.until is not None:
            bind("at < {}", query.until)
        if query.action is not None:
            bind("action = {}", query.action)
        if query.unit is not None:
            bind("unit = {}", query.unit)
        if query.after_id is not None:
            bind("id > {}", query.after_id)
        args.append(query.limit)
        sql = (
            "SELECT * FROM audit_log"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY id LIMIT ${len(args)}"
        )
        rows = await self._pool.fetch(sql, *args)
        return [AuditRow(row["id"], _entry(row)) for row in rows]


def _entry(row: asyncpg.Record) -> AuditEntry:
    return AuditEntry(
        time=row["at"],
        subject=row["subject"],
        agency=row["agency"],
        unit=row["unit"],
        roles=tuple(row["roles"]),
        action=row["action"],
        outcome=AuditOutcome(row["outcome"]),
        rule=row["rule"],
        scope=row["scope"],
        correlation_id=row["correlation_id"],
    )

"""Record an attempt in the audit trail: the principal, the action, the decision, the scope."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import structlog

from lintas_shared.audit.entry import AuditEntry, AuditOutcome
from lintas_shared.audit.ports import AuditWriter
from lintas_shared.identity.policy import Decision, Denied
from lintas_shared.identity.principal import Principal
from lintas_shared.identity.rules import Action


def current_correlation_id() -> str:
    """The request's correlation id (bound by the correlation middleware), else a new one."""
    bound = structlog.contextvars.get_contextvars().get("correlation_id")
    return str(bound) if bound else str(uuid4())


async def record(
    writer: AuditWriter,
    principal: Principal,
    action: Action,
    decision: Decision,
    *,
    scope: Mapping[str, Any] | None = None,
    correlation_id: str | None = None,
    time: datetime | None = None,
) -> AuditEntry:
    """Write the entry for `decision` on `action`; returns what was written."""
    outcome = (
        AuditOutcome.DENIED if isinstance(decision, Denied) else AuditOutcome.ALLOWED
    )
    entry = AuditEntry.of(
        principal,
        action,
        outcome,
        decision.rule,
        time=time or datetime.now(UTC),
        scope=scope,
        correlation_id=correlation_id or current_correlation_id(),
    )
    await writer.write(entry)
    return entry


async def record_unresolved(
    writer: AuditWriter,
    principal: Principal,
    action: Action,
    rule: str,
    *,
    scope: Mapping[str, Any] | None = None,
    correlation_id: str | None = None,
) -> AuditEntry:
    """Write the entry of a command refused before authorization (unknown target)."""
    entry = AuditEntry.of(
        principal,
        action,
        AuditOutcome.UNRESOLVED,
        rule,
        time=datetime.now(UTC),
        scope=scope,
        correlation_id=correlation_id or current_correlation_id(),
    )
    await writer.write(entry)
    return entry

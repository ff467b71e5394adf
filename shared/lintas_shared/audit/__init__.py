"""The audit trail: every command and every read of officer-level data, for auditors.

``record`` writes an entry (the command catalogue does so for every command); a service
puts a ``PostgresAuditTrail`` on its context and ``app.state.audit`` and mounts
``audit_router()`` (``lintas_shared.audit.http``) for ``GET /audit``.
"""

from lintas_shared.audit.entry import AuditEntry, AuditOutcome, scope_summary
from lintas_shared.audit.ports import (
    AuditedContext,
    AuditFilter,
    AuditReader,
    AuditRow,
    AuditWriter,
)
from lintas_shared.audit.reads import audited_read, audited_scope
from lintas_shared.audit.record import current_correlation_id, record, record_unresolved

__all__ = [
    "AuditEntry",
    "AuditFilter",
    "AuditOutcome",
    "AuditReader",
    "AuditRow",
    "AuditWriter",
    "AuditedContext",
    "audited_read",
    "audited_scope",
    "current_correlation_id",
    "record",
    "record_unresolved",
    "scope_summary",
]

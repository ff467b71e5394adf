"""Reads of officer-level data: authorize, record in the audit trail, then answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from lintas_shared.audit.entry import scope_summary
from lintas_shared.audit.ports import AuditWriter
from lintas_shared.audit.record import record
from lintas_shared.identity.fastapi import forbid
from lintas_shared.identity.policy import (
    Allowed,
    Denied,
    OfficerScope,
    ScopeKind,
    authorize,
    officer_scope,
)
from lintas_shared.identity.principal import Principal
from lintas_shared.identity.rules import Action, Resource


async def audited_read(
    writer: AuditWriter,
    principal: Principal,
    action: Action,
    resource: Resource,
    *,
    ids: Mapping[str, UUID | str] | None = None,
) -> Allowed:
    """Allow `action` on `resource` or raise the 403 naming the rule; audited either way."""
    decision = authorize(principal, action, resource)
    await record(
        writer, principal, action, decision, scope=scope_summary(resource, ids)
    )
    if isinstance(decision, Denied):
        raise forbid(decision)
    return decision


async def audited_scope(
    writer: AuditWriter,
    principal: Principal,
    action: Action,
    *,
    ids: Mapping[str, UUID | str] | None = None,
) -> OfficerScope:
    """The reader's officer scope for a list query (403 if none); audited either way."""
    scope = officer_scope(principal)
    summary: dict[str, Any] = scope_summary(None, ids)
    if isinstance(scope, Denied):
        await record(writer, principal, action, scope, scope=summary)
        raise forbid(scope)
    summary["reader_scope"] = scope.kind.value
    if scope.kind is ScopeKind.PROVINCE:
        summary["province"] = scope.province
    elif scope.kind is not ScopeKind.NATIONAL:
        summary["unit"] = scope.unit
    await record(writer, principal, action, Allowed(scope.rule), scope=summary)
    return scope

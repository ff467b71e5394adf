"""Who may read what: aggregates for any signed-in reader, officer rows within a scope.

Every read of officer-level rows, allowed or refused, is written to the audit trail
before any row is read; the entry names the model, the format, the filters given (by
name: a filter value could hold personal data) and the reader's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lintas_shared.audit import AuditWriter, record
from lintas_shared.identity import Action, Allowed, Denied, Principal, officer_scope
from lintas_shared.identity.fastapi import forbid, require
from reporting.domain.access import RowScope, row_scope
from reporting.domain.models import ReadModel

AuditGetter = Callable[[], AuditWriter]


def aggregate_reader(principal: Principal) -> None:
    """Any signed-in reader may read aggregate figures (403 otherwise)."""
    require(principal, Action.REPORT_AGGREGATE_READ)


class ReadAccess:
    """The scope of each read, and the audit entry of each officer-level one."""

    def __init__(self, audit: AuditGetter) -> None:
        self._audit = audit

    async def model_scope(
        self,
        principal: Principal,
        model: ReadModel,
        *,
        form: str,
        filters: Iterable[str] = (),
    ) -> RowScope | None:
        """None for an aggregate model; the reader's scope for an officer-level one."""
        if not model.officer_level:
            aggregate_reader(principal)
            return None
        what = {"model": model.name, "format": form, "filters": sorted(filters)}
        return await self.officer_rows(principal, what)

    async def officer_rows(
        self, principal: Principal, what: dict[str, Any]
    ) -> RowScope:
        """The reader's officer scope, audited; 403 naming the rule if it has none."""
        scope = officer_scope(principal)
        if isinstance(scope, Denied):
            await record(
                self._audit(), principal, Action.REPORT_OFFICER_READ, scope, scope=what
            )
            raise forbid(scope)
        rows = row_scope(scope)
        summary = {**what, "reader_scope": rows.kind or "national"}
        if rows.kind is not None:
            summary[rows.kind] = rows.value
        await record(
            self._audit(),
            principal,
            Action.REPORT_OFFICER_READ,
            Allowed(rows.rule),
            scope=summary,
        )
        return rows

"""``GET /audit``: the trail for the auditor role, filtered and paged (every service)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from lintas_shared.audit.ports import AuditFilter, AuditReader
from lintas_shared.http.deps import app_state, problem
from lintas_shared.http.problems import Problem
from lintas_shared.identity.fastapi import Authenticated, require
from lintas_shared.identity.rules import Action

AUDIT_STATE = "audit"


class AuditEntryView(BaseModel):
    """One attempt: who (opaque subject, agency, unit, roles), what, when, which scope."""

    id: int = Field(description="Position in the trail; page with `after`.")
    time: datetime
    subject: str = Field(description="The principal's opaque subject id.")
    agency: str
    unit: str
    roles: list[str]
    action: str = Field(description="e.g. enrollment.enrol, package.roster.read.")
    outcome: str = Field(description="allowed, denied, or unresolved (unknown target).")
    rule: str = Field(description="The rule that allowed or denied it.")
    scope: dict[str, Any] = Field(description="Unit codes, trade and ids touched.")
    correlation_id: str | None


class AuditPage(BaseModel):
    """A page of the trail, oldest first."""

    entries: list[AuditEntryView]
    next_after: int | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )


UnitCode = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$",
        description="Only the attempts of this unit, e.g. LAPAS-IIA-PADANG.",
    ),
]


ReaderDep = Annotated[AuditReader, Depends(app_state(AUDIT_STATE))]
MAX_ID = 2**63 - 1  # audit_log.id is a bigint


def _instant(field: str, value: datetime | None) -> datetime | None:
    """The filter time in UTC (naive means UTC); 422 if it has no UTC equivalent."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=value.tzinfo or UTC).astimezone(UTC)
    except OverflowError:
        raise Problem(
            422,
            "invalid-request",
            f"{field} is outside the years 1..9999 once taken to UTC",
            errors=[{"field": field, "message": "out of range"}],
        ) from None


def audit_router() -> APIRouter:
    """The audit query route, reading the ``AuditReader`` at ``app.state.audit``."""
    router = APIRouter(tags=["audit"])

    @router.get(
        "/audit",
        response_model=AuditPage,
        responses={
            401: problem("No bearer token, or one that does not verify"),
            403: problem("Only the auditor role reads the audit trail"),
            422: problem("A filter is malformed"),
        },
    )
    async def audit_trail(
        principal: Authenticated,
        reader: ReaderDep,
        since: Annotated[
            datetime | None, Query(alias="from", description="From this time on.")
        ] = None,
        until: Annotated[
            datetime | None, Query(alias="to", description="Before this time.")
        ] = None,
        action: Annotated[
            str | None,
            Query(
                pattern=r"^[a-z][a-z.-]{2,63}$", description="e.g. enrollment.enrol."
            ),
        ] = None,
        unit: UnitCode = None,
        limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 100,
        after: Annotated[
            int | None,
            Query(ge=0, le=MAX_ID, description="`next_after` of the previous page."),
        ] = None,
    ) -> AuditPage:
        """Commands and officer-level reads, who tried them and what was decided."""
        require(principal, Action.AUDIT_READ)
        query = AuditFilter(
            _instant("from", since),
            _instant("to", until),
            action,
            unit,
            limit=limit,
            after_id=after,
        )
        rows = await reader.entries(query)
        views = [
            AuditEntryView(
                id=row.id,
                time=row.entry.time,
                subject=row.entry.subject,
                agency=row.entry.agency,
                unit=row.entry.unit,
                roles=list(row.entry.roles),
                action=row.entry.action,
                outcome=row.entry.outcome.value,
                rule=row.entry.rule,
                scope=dict(row.entry.scope),
                correlation_id=row.entry.correlation_id,
            )
            for row in rows
        ]
        next_after = views[-1].id if len(views) == limit else None
        return AuditPage(entries=views, next_after=next_after)

    return router

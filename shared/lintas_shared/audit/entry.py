"""One audit entry: who tried what, when, on which scope, and whether it was allowed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from lintas_shared.identity.principal import Principal
from lintas_shared.identity.rules import Action, Resource

# A scope summary holds unit codes, trades and ids; a NIP-like value is a bug upstream.
_NIP_LIKE = re.compile(r"\d{18}")


class AuditOutcome(StrEnum):
    """What became of the attempt at the edge."""

    ALLOWED = "allowed"
    DENIED = "denied"
    # Refused before authorization could decide: the target does not exist.
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A command or a read of officer-level data, as the audit trail keeps it."""

    time: datetime
    subject: str
    agency: str
    unit: str
    roles: tuple[str, ...]
    action: str
    outcome: AuditOutcome
    rule: str
    scope: Mapping[str, Any] = field(default_factory=dict)
    correlation_id: str | None = None

    def __post_init__(self) -> None:
        found = _NIP_LIKE.search(repr(dict(self.scope)))
        if found:
            raise ValueError("an audit scope never holds a NIP")

    @classmethod
    def of(
        cls,
        principal: Principal,
        action: Action,
        outcome: AuditOutcome,
        rule: str,
        *,
        time: datetime,
        scope: Mapping[str, Any] | None = None,
        correlation_id: str | None = None,
    ) -> AuditEntry:
        return cls(
            time=time,
            subject=principal.subject,
            agency=principal.agency.value,
            unit=principal.unit,
            roles=tuple(sorted(r.value for r in principal.roles)),
            action=action.value,
            outcome=outcome,
            rule=rule,
            scope=dict(scope or {}),
            correlation_id=correlation_id,
        )


def scope_summary(
    resource: Resource | None = None, ids: Mapping[str, UUID | str] | None = None
) -> dict[str, Any]:
    """The units, trade and ids an action touched (never a NIP or a name)."""
    summary: dict[str, Any] = {}
    if resource is not None:
        for name in ("lapas", "blk", "lapas_province", "blk_province"):
            value = getattr(resource, name)
            if value is not None:
                summary[name] = value
        if resource.parties:
            summary["parties"] = sorted(resource.parties)
        if resource.kejuruan is not None:
            summary["kejuruan"] = resource.kejuruan.value
        if resource.authority is not None:
            summary["authority"] = resource.authority.value
    if ids:
        summary["ids"] = {k: str(v) for k, v in sorted(ids.items())}
    return summary

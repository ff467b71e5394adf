"""Which officer-level rows a reader sees: the identity layer's scope as a row filter."""

from __future__ import annotations

from dataclasses import dataclass

from lintas_shared.identity import Agency, OfficerScope, ScopeKind


@dataclass(frozen=True)
class RowScope:
    """Rows whose ``kind`` column (a key of ``ReadModel.scope``) equals ``value``.

    ``kind`` None means every row (a centre's national scope). ``rule`` is the grant
    that gave the scope.
    """

    kind: str | None
    value: str | None
    rule: str


def row_scope(scope: OfficerScope) -> RowScope:
    """The row filter of an officer scope (own Lapas, own BLK, province, national)."""
    if scope.kind is ScopeKind.LAPAS:
        return RowScope("lapas", scope.unit, scope.rule)
    if scope.kind is ScopeKind.BLK:
        return RowScope("blk", scope.unit, scope.rule)
    if scope.kind is ScopeKind.PROVINCE:
        # A Ditjenpas Kanwil oversees its province's Lapas; a Kemnaker one its BLKs.
        kind = "lapas_province" if scope.agency is Agency.DITJENPAS else "blk_province"
        return RowScope(kind, scope.province, scope.rule)
    return RowScope(None, None, scope.rule)

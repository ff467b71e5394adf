"""Which officer-level rows a reader may see: the same rules as every other action."""

from __future__ import annotations

from enrollment.application.queries import EnrollmentView
from lintas_shared.contracts.units import UnitRef
from lintas_shared.identity import Action, Principal, Resource, authorize


def visible(
    principal: Principal, action: Action, row: EnrollmentView, blk: UnitRef | None
) -> bool:
    """True if `principal` may read this enrollment (its officer's Lapas, its BLK)."""
    resource = Resource(
        lapas=row.lapas.code,
        lapas_province=row.lapas.province,
        blk=blk.code if blk else None,
        blk_province=blk.province if blk else None,
    )
    return bool(authorize(principal, action, resource))

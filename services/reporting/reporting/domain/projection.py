"""Projection rules: which group of which fact row each integration event fills in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    CompetencyAssessed,
    InstructorCertified,
    TrainingCompleted,
)
from lintas_shared.contracts.enrollment import (
    AgreementSigned,
    AgreementTerminated,
    EnrollmentWithdrawn,
    OfficerEnrolled,
    TrainingPackageCancelled,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.contracts.units import UnitRef
from reporting.domain.facts import GROUPS


@dataclass(frozen=True, slots=True)
class FactWrite:
    """One event's values for one column group of one fact row."""

    group: str
    key: Any
    time: datetime
    event_id: UUID
    values: tuple[Any, ...]

    @property
    def version(self) -> tuple[datetime, UUID]:
        """Later (time, id) wins: the same rule the SQL upsert applies."""
        return (self.time, self.event_id)


# Programme dates are Indonesian western time (WIB): a month or a day of an enrollment
# recorded at 23:30 UTC belongs to the next day in Padang.
WIB = timezone(timedelta(hours=7))


def effective_day(e: OfficerEnrolled) -> date:
    """The day an enrollment took effect: stated, or the WIB day it was recorded."""
    if e.enrolled_on is not None:
        return e.enrolled_on
    at = e.enrolled_at if e.enrolled_at.tzinfo else e.enrolled_at.replace(tzinfo=UTC)
    return at.astimezone(WIB).date()


def _unit(unit: UnitRef) -> tuple[str, str, str]:
    return (unit.code, unit.name, unit.province)


Rule = Callable[[Any], tuple[str, Any, tuple[Any, ...]]]

RULES: dict[type[IntegrationEvent], Rule] = {
    OfficerEnrolled: lambda e: (
        "enrolled",
        e.enrollment_id,
        (e.package_id, e.package_code, e.kejuruan.value, e.track.value,
         *_unit(e.blk), *_unit(e.lapas), e.agreement_id, e.officer.nip,
         e.officer.name, e.officer.position, e.start_date, e.end_date,
         e.jp_total, e.enrolled_at, effective_day(e)),
    ),
    EnrollmentWithdrawn: lambda e: (
        "withdrawn",
        e.enrollment_id,
        (e.package_id, e.nip, e.reason, e.withdrawn_at),
    ),
    TrainingCompleted: lambda e: (
        "completed",
        e.enrollment_id,
        (e.package_id, e.nip, e.kejuruan.value, e.track.value, e.blk_code,
         e.lapas_code, e.completed_on, e.attended_jp, e.jp_total),
    ),
    CompetencyAssessed: lambda e: (
        "assessed",
        e.assessment_id,
        (e.enrollment_id, e.package_id, e.nip, e.kejuruan.value, e.kind.value,
         e.result.value, e.lsp, e.assessed_on),
    ),
    InstructorCertified: lambda e: (
        "certified",
        e.certificate_number,
        (e.enrollment_id, e.package_id, e.nip, e.officer_name, e.kejuruan.value,
         *_unit(e.blk), *_unit(e.lapas), e.issued_on, e.expires_on),
    ),
    CertificationRevoked: lambda e: (
        "revoked",
        e.certificate_number,
        (e.nip, e.kejuruan.value, e.reason, e.revoked_on),
    ),
    CertificationExpired: lambda e: (
        "expired",
        e.certificate_number,
        (e.nip, e.kejuruan.value, e.expired_on),
    ),
    TrainingPackageOpened: lambda e: (
        "opened",
        e.package_id,
        (e.code, e.title, *_unit(e.blk), e.kejuruan.value, e.track.value,
         e.start_date, e.end_date, e.jp_technical, e.jp_methodology, e.seats),
    ),
    TrainingPackageCancelled: lambda e: ("cancelled", e.package_id, (e.reason,)),
    TrainingPackageClosed: lambda e: ("closed", e.package_id, ()),
    AgreementSigned: lambda e: (
        "signed",
        e.agreement_id,
        (e.number, *_unit(e.lapas), *_unit(e.blk),
         ",".join(k.value for k in e.kejuruan), e.valid_from, e.valid_until),
    ),
    AgreementTerminated: lambda e: (
        "terminated",
        e.agreement_id,
        (e.reason, e.terminated_on),
    ),
}  # fmt: skip


class UnprojectableEvent(ValueError):
    """An event type the reporting projection has no rule for."""


def _unit_fields(kind: type[IntegrationEvent]) -> tuple[tuple[str, str], ...]:
    """(LAPAS|BLK, field) for the ``lapas`` and ``blk`` fields that hold a UnitRef."""
    fields = kind.model_fields
    return tuple(
        (unit_kind, name)
        for unit_kind, name in (("LAPAS", "lapas"), ("BLK", "blk"))
        if name in fields and fields[name].annotation is UnitRef
    )


def _named_units(payload: IntegrationEvent) -> list[tuple[str, UnitRef]]:
    """Units an event names: each one refreshes that unit's name and province."""
    return [
        (kind, getattr(payload, name)) for kind, name in _unit_fields(type(payload))
    ]


def fact_writes(
    event_id: UUID, time: datetime, payload: IntegrationEvent
) -> list[FactWrite]:
    """The group writes an event makes; values line up with each group's columns."""
    rule = RULES.get(type(payload))
    if rule is None:
        raise UnprojectableEvent(f"no projection rule for {type(payload).__name__}")
    group, key, values = rule(payload)
    assert len(values) == len(GROUPS[group].columns), group
    writes = [FactWrite(group, key, time, event_id, values)]
    for kind, unit in _named_units(payload):
        writes.append(
            FactWrite(
                "named", unit.code, time, event_id, (kind, unit.name, unit.province)
            )
        )
    return writes


def reduce_writes(
    writes: Iterable[FactWrite], tables: frozenset[str] | None = None
) -> dict[str, list[FactWrite]]:
    """Per group, the winning write per key (SQL cannot upsert one row twice per statement).

    Keeping only the latest (time, id) per key is exactly what applying them one by one
    would leave, so a batch gives the same rows as its events applied singly.
    """
    winners: dict[tuple[str, Any], FactWrite] = {}
    for write in writes:
        if tables is not None and GROUPS[write.group].table not in tables:
            continue
        slot = (write.group, write.key)
        current = winners.get(slot)
        if current is None or write.version > current.version:
            winners[slot] = write
    by_group: dict[str, list[FactWrite]] = {}
    for (group, _), write in winners.items():
        by_group.setdefault(group, []).append(write)
    return by_group


Row = tuple[Any, ...]
"""One group write as a statement parameter row: (key, *values, event time, event id)."""

_PLANS: dict[type[IntegrationEvent], tuple[Rule, tuple[tuple[str, str], ...]]] = {}


def _plan(kind: type[IntegrationEvent]) -> tuple[Rule, tuple[tuple[str, str], ...]]:
    rule = RULES.get(kind)
    if rule is None:
        raise UnprojectableEvent(f"no projection rule for {kind.__name__}")
    _PLANS[kind] = plan = (rule, _unit_fields(kind))
    return plan


def reduce_events(
    events: Iterable[tuple[UUID, datetime, IntegrationEvent]],
    tables: frozenset[str] | None = None,
) -> dict[str, list[Row]]:
    """``reduce_writes`` of every event's ``fact_writes``, as parameter rows per group.

    The same rule in one pass without a FactWrite per write: a rebuild spends its time
    here and in parsing, so this keeps the per-event work to one tuple per group write.
    """
    wanted = (
        None
        if tables is None
        else {g.name for g in GROUPS.values() if g.table in tables}
    )
    winners: dict[str, dict[Any, Row]] = {name: {} for name in GROUPS}
    named = winners["named"]
    with_units = wanted is None or "named" in wanted
    plans = _PLANS
    for event_id, time, payload in events:
        rule, units = plans.get(type(payload)) or _plan(type(payload))
        group, key, values = rule(payload)
        if wanted is None or group in wanted:
            rows = winners[group]
            current = rows.get(key)
            if current is None or (time, event_id) > current[-2:]:
                rows[key] = (key, *values, time, event_id)
        if units and with_units:
            for kind, name in units:
                unit = getattr(payload, name)
                code = unit.code
                current = named.get(code)
                if current is None or (time, event_id) > current[-2:]:
                    named[code] = (code, kind, unit.name, unit.province, time, event_id)
    return {name: list(rows.values()) for name, rows in winners.items() if rows}


def watermarks(
    positions: Iterable[tuple[str, int, datetime]],
) -> dict[tuple[str, int], datetime]:
    """Latest event time seen per (topic, partition): what "data as of" is made from."""
    marks: dict[tuple[str, int], datetime] = {}
    for topic, partition, time in positions:
        key = (topic, partition)
        if key not in marks or time > marks[key]:
            marks[key] = time
    return marks

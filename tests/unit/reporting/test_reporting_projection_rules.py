"""Projection rules: what each event fills in, and how a batch reduces to one write per row."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from lintas_shared.contracts import IntegrationEvent, default_registry
from lintas_shared.contracts.certification import CertificationRevoked
from lintas_shared.contracts.enrollment import OfficerEnrolled
from reporting.domain.facts import GROUPS
from reporting.domain.projection import (
    RULES,
    FactWrite,
    UnprojectableEvent,
    effective_day,
    fact_writes,
    reduce_events,
    reduce_writes,
    watermarks,
)
from tests.support.synthetic_history import HistoryBuilder, history

pytestmark = pytest.mark.unit

T0 = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)


def _enrolled() -> OfficerEnrolled:
    builder = HistoryBuilder(random.randrange(10**9))
    builder.package(officers=1)
    return next(
        e.payload for e in builder.events if isinstance(e.payload, OfficerEnrolled)
    )


def _revoked(number: str, reason: str) -> CertificationRevoked:
    return CertificationRevoked(
        certificate_number=number,
        nip="198501012010011001",
        kejuruan="MEUBEL",
        reason=reason,
        revoked_on=date(2024, 5, 1),
    )


def test_every_published_contract_has_a_projection_rule() -> None:
    names = {m.event_name for m in RULES}
    known = {t.split(".")[1] for t in default_registry().known_types()}
    assert names == known


def test_every_rule_fills_exactly_its_groups_columns() -> None:
    for e in history(random.randrange(10**9), packages=5):
        for write in fact_writes(e.event.id, e.event.time, e.payload):
            assert len(write.values) == len(GROUPS[write.group].columns)


def test_officer_enrolled_fills_the_enrolled_group_and_names_both_units() -> None:
    enrolled = _enrolled()
    writes = fact_writes(uuid.uuid4(), T0, enrolled)
    assert [w.group for w in writes] == ["enrolled", "named", "named"]
    assert writes[0].key == enrolled.enrollment_id
    assert {w.key for w in writes[1:]} == {enrolled.lapas.code, enrolled.blk.code}
    columns = [c.name for c in GROUPS["enrolled"].columns]
    assert writes[0].values[columns.index("nip")] == enrolled.officer.nip


def test_later_event_wins_within_a_batch_whatever_the_order() -> None:
    number = f"CERT-{uuid.uuid4().hex[:8]}"
    early = fact_writes(uuid.uuid4(), T0, _revoked(number, "first reason"))[0]
    late = fact_writes(
        uuid.uuid4(), T0 + timedelta(hours=1), _revoked(number, "later")
    )[0]
    for order in ([early, late], [late, early]):
        assert reduce_writes(order) == {"revoked": [late]}


def test_same_time_ties_are_broken_by_event_id() -> None:
    number = f"CERT-{uuid.uuid4().hex[:8]}"
    ids = sorted([uuid.uuid4(), uuid.uuid4()])
    a = fact_writes(ids[0], T0, _revoked(number, "reason a"))[0]
    b = fact_writes(ids[1], T0, _revoked(number, "reason b"))[0]
    assert reduce_writes([b, a])["revoked"] == [b]
    assert reduce_writes([a, b])["revoked"] == [b]


def test_duplicate_deliveries_reduce_to_one_write() -> None:
    event_id = uuid.uuid4()
    enrolled = _enrolled()
    writes = fact_writes(event_id, T0, enrolled) * 3
    reduced = reduce_writes(writes)
    assert len(reduced["enrolled"]) == 1
    assert len(reduced["named"]) == 2


def test_table_filter_keeps_only_the_rebuilt_tables() -> None:
    writes = fact_writes(uuid.uuid4(), T0, _enrolled())
    assert set(reduce_writes(writes, frozenset({"unit_f"}))) == {"named"}


def test_effective_day_is_the_wib_day_of_recording_when_not_stated() -> None:
    enrolled = _enrolled().model_copy(
        update={
            "enrolled_at": datetime(2024, 3, 1, 18, 30, tzinfo=UTC),
            "enrolled_on": None,
        }
    )
    assert effective_day(enrolled) == date(2024, 3, 2)  # 01:30 WIB next day
    stated = enrolled.model_copy(update={"enrolled_on": date(2024, 2, 20)})
    assert effective_day(stated) == date(2024, 2, 20)


def test_watermark_keeps_the_latest_event_time_per_partition() -> None:
    marks = watermarks(
        [
            ("t", 0, T0),
            ("t", 0, T0 - timedelta(days=1)),
            ("t", 1, T0 + timedelta(days=1)),
        ]
    )
    assert marks == {("t", 0): T0, ("t", 1): T0 + timedelta(days=1)}


def _as_rows(reduced: dict[str, list[FactWrite]]) -> dict[str, set[tuple[object, ...]]]:
    return {
        group: {(w.key, *w.values, w.time, w.event_id) for w in writes}
        for group, writes in reduced.items()
    }


@pytest.mark.parametrize(
    "tables", [None, frozenset({"unit_f"}), frozenset({"enrollment_f", "package_f"})]
)
def test_reduce_events_equals_reduce_writes_of_fact_writes(
    tables: frozenset[str] | None,
) -> None:
    """The rebuild's one-pass reduction against the readable reference, on a shuffled,
    duplicated history with same-time ties (units are renamed within it)."""
    rnd = random.Random(7)
    events = [
        (e.event.id, e.event.time, e.payload) for e in history(rnd.randrange(10**9), 6)
    ]
    events += rnd.choices(events, k=len(events) // 2)
    events += [(uuid.uuid4(), t, p) for _, t, p in rnd.choices(events, k=40)]
    rnd.shuffle(events)
    reference = reduce_writes(
        [w for event in events for w in fact_writes(*event)], tables
    )
    reduced = reduce_events(events, tables)
    assert {group: set(rows) for group, rows in reduced.items()} == _as_rows(reference)
    for rows in reduced.values():
        assert len({row[0] for row in rows}) == len(rows)  # one row per key


def test_reduce_events_refuses_an_event_without_a_rule() -> None:
    with pytest.raises(UnprojectableEvent):
        reduce_events([(uuid.uuid4(), T0, IntegrationEvent())])

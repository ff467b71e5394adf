"""Projection rules: what each event fills in, and how a batch reduces to one write per row."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from lintas_shared.contracts import default_registry
from lintas_shared.contracts.certification import CertificationRevoked
from lintas_shared.contracts.enrollment import OfficerEnrolled
from reporting.domain.facts import GROUPS
from reporting.domain.projection import (
    RULES,
    effective_day,
    fact_writes,
    reduce_writes,
    watermarks,
)
from reporting.synthetic import HistoryBuilder, history

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

"""A stream holding an event of an older schema version is upcast when it is replayed."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import pytest

from certification.application.repository import load_record, record_stream
from certification.domain import events
from lintas_shared.contracts import Kejuruan, Track
from lintas_shared.contracts.certification import TrainingCompleted
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import InMemoryEventStore, NewEvent, StreamAppend
from lintas_shared.eventstore.ports import EventStore
from tests.unit.certification.certification_factories import END, random_nip

pytestmark = pytest.mark.unit


class TrainingCompletedV2(TrainingCompleted):
    """As if v2 were current: v1 called the attended lesson hours ``attended``."""

    version: ClassVar[int] = 2


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    lifted = dict(data)
    lifted["attended_jp"] = lifted.pop("attended")
    return lifted


@pytest.fixture
def v2_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's registry with TrainingCompleted v2 and the v1 upcaster."""
    registry = events.REGISTRY.copy()
    registry.register(TrainingCompletedV2)
    registry.register_upcaster("TrainingCompleted", 1, _v1_to_v2)
    monkeypatch.setattr(events, "REGISTRY", registry)


async def stored_v1_completion_replays_as_v2(store: EventStore) -> None:
    """The case, run on the in-memory store here and on PostgreSQL in integration."""
    enrollment_id = uuid.uuid4()
    v1 = TrainingCompleted(
        enrollment_id=enrollment_id,
        package_id=uuid.uuid4(),
        nip=random_nip(),
        kejuruan=Kejuruan.TEKNIK_LAS,
        track=Track.INSTRUCTOR,
        blk_code="BPVP-PADANG",
        lapas_code="LAPAS-IIA-PADANG",
        completed_on=END,
        attended_jp=300,
        jp_total=320,
    ).model_dump(mode="json")
    v1["attended"] = v1.pop("attended_jp")
    await store.append(
        [
            StreamAppend(
                record_stream(enrollment_id),
                0,
                [NewEvent("lintas.TrainingCompleted.v1", v1)],
            )
        ],
        EventMetadata("KEMNAKER", "BPVP-PADANG"),
    )

    record = await load_record(store, enrollment_id)

    assert record.completion is not None
    assert (record.completion.attended_jp, record.version) == (300, 1)


async def test_a_stored_v1_completion_is_upcast_on_replay_in_memory(
    v2_current: None,
) -> None:
    await stored_v1_completion_replays_as_v2(InMemoryEventStore())

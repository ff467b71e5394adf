"""A stream holding an event of an older schema version is upcast when it is replayed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

import pytest

from enrollment.application.repository import load_agreement
from enrollment.domain import events
from enrollment.domain.agreement import Agreement
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.contracts.enrollment import AgreementSigned
from lintas_shared.eventstore import InMemoryEventStore, NewEvent, StreamAppend
from lintas_shared.eventstore.ports import EventStore
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.unit


class AgreementSignedV2(AgreementSigned):
    """As if v2 were current: v1 called the last day ``valid_to``."""

    version: ClassVar[int] = 2


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    lifted = dict(data)
    lifted["valid_until"] = lifted.pop("valid_to")
    return lifted


@pytest.fixture
def v2_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's registry with AgreementSigned v2 and the v1 upcaster."""
    registry = events.REGISTRY.copy()
    registry.register(AgreementSignedV2)
    registry.register_upcaster("AgreementSigned", 1, _v1_to_v2)
    monkeypatch.setattr(events, "REGISTRY", registry)


async def stored_v1_agreement_replays_as_v2(store: EventStore) -> None:
    """The case, run on the in-memory store here and on PostgreSQL in integration."""
    agreement_id = uuid.uuid4()
    v1 = AgreementSigned(
        agreement_id=agreement_id,
        number="PKS/OLD/2024",
        lapas=f.lapas(),
        blk=f.blk(),
        kejuruan=(Kejuruan.MEUBEL,),
        valid_from=date(2024, 1, 1),
        valid_until=date(2026, 12, 31),
    ).model_dump(mode="json")
    v1["valid_to"] = v1.pop("valid_until")
    await store.append(
        [
            StreamAppend(
                Agreement.stream_id(agreement_id),
                0,
                [NewEvent("lintas.AgreementSigned.v1", v1)],
            )
        ],
        f.metadata(),
    )

    agreement = await load_agreement(store, agreement_id)

    assert isinstance(agreement.terms, AgreementSignedV2)
    assert agreement.terms.valid_until == date(2026, 12, 31)
    assert agreement.version == 1


async def test_a_stored_v1_agreement_is_upcast_on_replay_in_memory(
    v2_current: None,
) -> None:
    await stored_v1_agreement_replays_as_v2(InMemoryEventStore())

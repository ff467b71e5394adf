"""Loads aggregates from their streams and turns their pending events into stream appends."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from enrollment.domain.agreement import Agreement
from enrollment.domain.claim import NameClaim
from enrollment.domain.events import PrivateEvent, decode, encode
from enrollment.domain.package import TrainingPackage
from enrollment.domain.schedule import OfficerSchedule
from lintas_shared.domain import Aggregate
from lintas_shared.eventstore.ports import EventStore, NewEvent, StreamAppend
from lintas_shared.topics import ENROLLMENT_EVENTS

A = TypeVar("A", bound=Aggregate)


async def _load(store: EventStore, cls: type[A], stream_id: str, key: object) -> A:
    recorded = await store.read_stream(stream_id)
    return cls.replay((decode(e.type, e.data) for e in recorded), key)


async def load_agreement(store: EventStore, agreement_id: UUID) -> Agreement:
    return await _load(
        store, Agreement, Agreement.stream_id(agreement_id), agreement_id
    )


async def load_package(store: EventStore, package_id: UUID) -> TrainingPackage:
    stream = TrainingPackage.stream_id(package_id)
    return await _load(store, TrainingPackage, stream, package_id)


async def load_schedule(store: EventStore, nip: str) -> OfficerSchedule:
    return await _load(store, OfficerSchedule, OfficerSchedule.stream_id(nip), nip)


async def load_claim(store: EventStore, name: str) -> NameClaim:
    return await _load(store, NameClaim, name, name)


def append_pending(stream_id: str, aggregate: Aggregate) -> StreamAppend:
    """The aggregate's new events at its loaded version; contracts go to the outbox."""
    events = []
    for event in aggregate.pending:
        type_name, data = encode(event)
        topic = None if isinstance(event, PrivateEvent) else ENROLLMENT_EVENTS
        events.append(NewEvent(type_name, data, topic=topic))
    return StreamAppend(stream_id, aggregate.version, events)


def event_ids(appends: list[StreamAppend]) -> list[str]:
    """Ids of the published events, for the command's response."""
    return [str(e.event_id) for a in appends for e in a.events if e.topic is not None]

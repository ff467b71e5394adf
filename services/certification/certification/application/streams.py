"""Stream naming, loading aggregates from the event store, and turning decisions into appends."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from certification.domain.certification import InstructorCertification
from certification.domain.training_record import TrainingRecord
from lintas_shared.contracts import IntegrationEvent, Kejuruan, default_registry
from lintas_shared.eventstore import EventStore, NewEvent, StreamAppend
from lintas_shared.topics import CERTIFICATION_EVENTS

_registry = default_registry()


def record_stream(enrollment_id: UUID) -> str:
    return f"training-record-{enrollment_id}"


def certification_stream(nip: str, kejuruan: Kejuruan) -> str:
    return f"instructor-certification-{nip}-{kejuruan.value}"


async def _history(store: EventStore, stream_id: str) -> list[IntegrationEvent]:
    # The registry upcasts events stored under older schema versions.
    return [_registry.parse(e.type, e.data) for e in await store.read_stream(stream_id)]


async def load_record(store: EventStore, enrollment_id: UUID) -> TrainingRecord:
    history = await _history(store, record_stream(enrollment_id))
    return TrainingRecord.from_history(enrollment_id, history)


async def load_certification(
    store: EventStore, nip: str, kejuruan: Kejuruan
) -> InstructorCertification:
    history = await _history(store, certification_stream(nip, kejuruan))
    return InstructorCertification.from_history(nip, kejuruan, history)


def _published(events: Sequence[IntegrationEvent]) -> list[NewEvent]:
    return [
        NewEvent(e.type_name(), e.model_dump(mode="json"), topic=CERTIFICATION_EVENTS)
        for e in events
    ]


def record_appends(record: TrainingRecord) -> list[StreamAppend]:
    """The record's new events, expected on top of the version it was loaded at."""
    if not record.pending:
        return []
    loaded_at = record.version - len(record.pending)
    stream = record_stream(record.enrollment_id)
    return [StreamAppend(stream, loaded_at, _published(record.pending))]


def certification_appends(certification: InstructorCertification) -> list[StreamAppend]:
    if not certification.pending:
        return []
    loaded_at = certification.version - len(certification.pending)
    stream = certification_stream(certification.nip, certification.kejuruan)
    return [StreamAppend(stream, loaded_at, _published(certification.pending))]

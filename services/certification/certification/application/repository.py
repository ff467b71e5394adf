"""Loads aggregates from their streams and turns their pending events into stream appends."""

from __future__ import annotations

from uuid import UUID

from certification.domain.certification import InstructorCertification
from certification.domain.events import decode, encode
from certification.domain.training_record import TrainingRecord
from lintas_shared.contracts import Kejuruan
from lintas_shared.domain import Aggregate
from lintas_shared.eventstore.ports import EventStore, NewEvent, StreamAppend
from lintas_shared.topics import CERTIFICATION_EVENTS


def record_stream(enrollment_id: UUID) -> str:
    return f"training-record-{enrollment_id}"


def certification_stream(nip: str, kejuruan: Kejuruan) -> str:
    return f"instructor-certification-{nip}-{kejuruan.value}"


async def load_record(store: EventStore, enrollment_id: UUID) -> TrainingRecord:
    recorded = await store.read_stream(record_stream(enrollment_id))
    return TrainingRecord.replay(
        (decode(e.type, e.data) for e in recorded), enrollment_id
    )


async def load_certification(
    store: EventStore, nip: str, kejuruan: Kejuruan
) -> InstructorCertification:
    recorded = await store.read_stream(certification_stream(nip, kejuruan))
    events = (decode(e.type, e.data) for e in recorded)
    return InstructorCertification.replay(events, nip, kejuruan)


def _appends(stream_id: str, aggregate: Aggregate) -> list[StreamAppend]:
    """The aggregate's new events at its loaded version, all published."""
    if not aggregate.pending:
        return []
    events = [
        NewEvent(*encode(e), topic=CERTIFICATION_EVENTS) for e in aggregate.pending
    ]
    return [StreamAppend(stream_id, aggregate.version, events)]


def record_appends(record: TrainingRecord) -> list[StreamAppend]:
    return _appends(record_stream(record.enrollment_id), record)


def certification_appends(certification: InstructorCertification) -> list[StreamAppend]:
    stream = certification_stream(certification.nip, certification.kejuruan)
    return _appends(stream, certification)

"""The published AsyncAPI contract: every event topic with each versioned payload schema."""

from __future__ import annotations

import sys

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.contracts.certification import CERTIFICATION_EVENTS
from lintas_shared.contracts.enrollment import ENROLLMENT_EVENTS
from lintas_shared.topics import CERTIFICATION_EVENTS as CERTIFICATION_TOPIC
from lintas_shared.topics import ENROLLMENT_EVENTS as ENROLLMENT_TOPIC

ENVELOPE = (
    "CloudEvents 1.0, Kafka binary mode. The record key is the stream id (``ce_subject``), so "
    "one stream's events share a partition and keep their order. The JSON body is the event "
    "data below. Headers: ce_specversion=1.0, ce_id (UUID, the deduplication key), ce_source "
    "(lintas/<service>), ce_type (lintas.<EventName>.v<version>), ce_subject (stream id), "
    "ce_time (RFC 3339), ce_streamversion (position in the stream), ce_correlationid, "
    "ce_causationid (optional), ce_actoragency and ce_actorunit (who acted), "
    "content-type=application/json. Delivery is at least once: deduplicate by ce_id. Across "
    "streams nothing is ordered."
)


def _describe(
    broker: KafkaBroker, topic: str, events: tuple[type[IntegrationEvent], ...]
) -> None:
    for model in events:
        broker.publisher(
            topic,
            title=f"{topic}:{model.type_name()}",
            description=f"{(model.__doc__ or '').strip()}\n\n{ENVELOPE}",
            schema=model,
        )


def specification() -> AsyncAPI:
    broker = KafkaBroker("kafka:9092")
    _describe(broker, ENROLLMENT_TOPIC, ENROLLMENT_EVENTS)
    _describe(broker, CERTIFICATION_TOPIC, CERTIFICATION_EVENTS)
    return AsyncAPI(
        broker,
        title="Lintas integration events",
        version="1.0.0",
        description=(
            "Events Lintas publishes for the corrections service (Ditjenpas) and the "
            "Ministry of Manpower (Kemnaker). Topics keep events forever."
        ),
    )


def render() -> str:
    return specification().to_specification().to_yaml()


if __name__ == "__main__":
    sys.stdout.write(render())

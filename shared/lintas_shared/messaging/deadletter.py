"""Dead letters: the failed record, unchanged, plus headers saying who failed, why, how often."""

from __future__ import annotations

from datetime import UTC, datetime

from aiokafka.structs import ConsumerRecord

from lintas_shared.messaging.producer import OutgoingMessage
from lintas_shared.topics import DEAD_LETTERS

DLQ_PREFIX = "dlq_"


def dead_letter(
    record: ConsumerRecord, *, consumer: str, reason: str, attempts: int
) -> OutgoingMessage:
    """The original key, body and headers, with ``dlq_*`` headers appended."""
    extra = {
        "dlq_consumer": consumer,
        "dlq_reason": reason[:2000],
        "dlq_attempts": str(attempts),
        "dlq_original_topic": record.topic,
        "dlq_original_partition": str(record.partition),
        "dlq_original_offset": str(record.offset),
        "dlq_failed_at": datetime.now(UTC).isoformat(),
    }
    headers = [
        (k, v) for k, v in (record.headers or ()) if not k.startswith(DLQ_PREFIX)
    ]
    headers += [(k, v.encode()) for k, v in extra.items()]
    return OutgoingMessage(
        topic=DEAD_LETTERS,
        key=record.key or b"",
        value=record.value or b"",
        headers=headers,
    )


def replay_of(record: ConsumerRecord) -> OutgoingMessage:
    """The dead letter as it was first published, back to its original topic."""
    attrs = dict(record.headers or ())
    topic = attrs[f"{DLQ_PREFIX}original_topic"].decode()
    headers = [
        (k, v) for k, v in (record.headers or ()) if not k.startswith(DLQ_PREFIX)
    ]
    return OutgoingMessage(
        topic=topic, key=record.key or b"", value=record.value or b"", headers=headers
    )


def describe(record: ConsumerRecord) -> dict[str, str]:
    """Readable summary of a dead letter for operators."""
    attrs = {k: v.decode("utf-8", "replace") for k, v in record.headers or ()}
    return {
        "dead_letter_offset": f"{record.partition}:{record.offset}",
        "consumer": attrs.get("dlq_consumer", "?"),
        "reason": attrs.get("dlq_reason", "?"),
        "attempts": attrs.get("dlq_attempts", "?"),
        "original": f"{attrs.get('dlq_original_topic')}[{attrs.get('dlq_original_partition')}]"
        f"@{attrs.get('dlq_original_offset')}",
        "ce_id": attrs.get("ce_id", "-"),
        "ce_type": attrs.get("ce_type", "-"),
        "failed_at": attrs.get("dlq_failed_at", "?"),
    }

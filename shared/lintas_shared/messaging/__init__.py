"""Kafka side of the kernel: safe producer, outbox relay, idempotent consumer, dead letters."""

from lintas_shared.messaging.consumer import Delivery, EventConsumer, RetryPolicy
from lintas_shared.messaging.producer import (
    KafkaPublisher,
    OutgoingMessage,
    create_producer,
)
from lintas_shared.messaging.relay import OutboxRelay

__all__ = [
    "Delivery",
    "EventConsumer",
    "KafkaPublisher",
    "OutboxRelay",
    "OutgoingMessage",
    "RetryPolicy",
    "create_producer",
]

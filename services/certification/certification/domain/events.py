"""Event types of the certification streams: the published contracts, read through a registry.

Training records and certifications record the integration contracts themselves (the
outbox publishes what the store holds). Their streams are read through ``REGISTRY``, so
an event stored under an older version of its schema is upcast to the current one.
"""

from __future__ import annotations

from typing import Any

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.contracts.certification import CERTIFICATION_EVENTS
from lintas_shared.contracts.registry import EventRegistry

REGISTRY: EventRegistry[IntegrationEvent] = EventRegistry(CERTIFICATION_EVENTS)


def decode(type_name: str, data: dict[str, Any]) -> IntegrationEvent:
    """Rebuild a stored event at its current version; an unknown type is a bug."""
    return REGISTRY.parse(type_name, data)


def encode(event: IntegrationEvent) -> tuple[str, dict[str, Any]]:
    """The type name and JSON payload to store."""
    return event.type_name(), event.model_dump(mode="json")

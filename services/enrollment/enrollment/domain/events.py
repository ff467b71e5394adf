"""Event types of the enrollment streams: the published contracts plus private bookkeeping.

The outbox publishes what the store holds, so the Agreement and TrainingPackage streams
record the integration contracts themselves. The officer-schedule and uniqueness-claim
streams exist only to make rules atomic; their events stay inside this service.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, TypeAlias
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.contracts.enrollment import ENROLLMENT_EVENTS
from lintas_shared.contracts.registry import EventRegistry


class PrivateEvent(BaseModel):
    """An event only this service reads; never published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_name: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def type_name(cls) -> str:
        return f"enrollment.{cls.event_name}.v{cls.version}"


class OfficerBooked(PrivateEvent):
    """The officer's days from start to end are taken by an enrollment."""

    event_name: ClassVar[str] = "OfficerBooked"

    enrollment_id: UUID = Field(description="Enrollment holding the dates.")
    package_id: UUID = Field(description="Package of the enrollment.")
    start_date: date = Field(description="First day taken.")
    end_date: date = Field(description="Last day taken.")


class OfficerReleased(PrivateEvent):
    """An enrollment no longer holds the officer's days."""

    event_name: ClassVar[str] = "OfficerReleased"

    enrollment_id: UUID = Field(description="Enrollment withdrawn.")


class NameClaimed(PrivateEvent):
    """A unique name (package code at a BLK, agreement number) was taken."""

    event_name: ClassVar[str] = "NameClaimed"

    owner_id: UUID = Field(description="Agreement or package that holds the name.")


class AgreementPartySigned(PrivateEvent):
    """One party's signatory signed the agreement; it is in force once both have."""

    event_name: ClassVar[str] = "AgreementPartySigned"

    agreement_id: UUID = Field(description="Agreement signed.")
    party: str = Field(description="Unit code of the party that signed (Lapas or BLK).")


Event: TypeAlias = IntegrationEvent | PrivateEvent

_MODELS: list[type[IntegrationEvent] | type[PrivateEvent]] = [
    *ENROLLMENT_EVENTS,
    OfficerBooked,
    OfficerReleased,
    NameClaimed,
    AgreementPartySigned,
]
# The streams are read through the registry, so an event stored under an older version
# of its schema is upcast to the current one (register upcasters on REGISTRY).
REGISTRY: EventRegistry[Event] = EventRegistry(_MODELS)
EVENT_TYPES: tuple[str, ...] = tuple(model.type_name() for model in _MODELS)


def is_private(type_name: str) -> bool:
    """An event type this service keeps to itself (never published or projected)."""
    return type_name.startswith("enrollment.")


def decode(type_name: str, data: dict[str, Any]) -> Event:
    """Rebuild a stored event at its current version; an unknown type is a bug."""
    return REGISTRY.parse(type_name, data)


def encode(event: Event) -> tuple[str, dict[str, Any]]:
    """The type name and JSON payload to store."""
    return event.type_name(), event.model_dump(mode="json")

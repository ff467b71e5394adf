"""Versioned integration-event contracts: the only code the services share about each other."""

from lintas_shared.contracts.base import (
    AssessmentKind,
    CompetencyResult,
    IntegrationEvent,
    Kejuruan,
    Track,
)
from lintas_shared.contracts.registry import (
    EventRegistry,
    UnknownEventType,
    default_registry,
)
from lintas_shared.contracts.units import UnitRef

__all__ = [
    "AssessmentKind",
    "CompetencyResult",
    "EventRegistry",
    "IntegrationEvent",
    "Kejuruan",
    "Track",
    "UnitRef",
    "UnknownEventType",
    "default_registry",
]

"""Event registry: current versions parse, old versions are upcast, unknown ones refused."""

from typing import Any, ClassVar

import pytest
from pydantic import Field, ValidationError

from lintas_shared.contracts import EventRegistry, IntegrationEvent, UnknownEventType
from lintas_shared.contracts.registry import default_registry

pytestmark = pytest.mark.unit


class Renamed(IntegrationEvent):
    event_name: ClassVar[str] = "Renamed"
    version: ClassVar[int] = 3

    full_name: str = Field(description="v3 name")
    unit: str = Field(description="added in v3")


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {"full_name": data["name"]}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "unit": "UNKNOWN"}


def test_upcasts_old_versions_step_by_step() -> None:
    registry = EventRegistry([Renamed])
    registry.register_upcaster("Renamed", 1, _v1_to_v2)
    registry.register_upcaster("Renamed", 2, _v2_to_v3)
    event = registry.parse("lintas.Renamed.v1", {"name": "Siti"})
    assert event == Renamed(full_name="Siti", unit="UNKNOWN")


def test_refuses_a_version_newer_than_the_reader() -> None:
    with pytest.raises(UnknownEventType, match="newer"):
        EventRegistry([Renamed]).parse("lintas.Renamed.v4", {})


def test_refuses_unknown_and_malformed_types() -> None:
    registry = default_registry()
    with pytest.raises(UnknownEventType, match="unknown"):
        registry.parse("lintas.Nope.v1", {})
    with pytest.raises(UnknownEventType, match="malformed"):
        registry.parse("OfficerEnrolled", {})


def test_contracts_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="extra"):
        EventRegistry([Renamed]).parse(
            "lintas.Renamed.v3", {"full_name": "a", "unit": "b", "surprise": 1}
        )


def test_every_published_field_is_described() -> None:
    registry = default_registry()
    for type_name in registry.known_types():
        name = type_name.split(".")[1]
        model = registry._current[name]
        undocumented = [
            f for f, info in model.model_fields.items() if not info.description
        ]
        assert undocumented == [], f"{type_name} lacks descriptions: {undocumented}"

"""Event registry: current versions parse, old versions are upcast, unknown ones refused."""

import json
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import uuid4

import pytest
from pydantic import Field, ValidationError

from lintas_shared.contracts import EventRegistry, IntegrationEvent, UnknownEventType
from lintas_shared.contracts.registry import default_registry
from lintas_shared.envelope import CloudEvent, EventMetadata

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


def _slow(registry: EventRegistry, value: bytes | None, headers: Any) -> Any:
    """What a consumer did before ``parse_kafka``: decode the envelope, then validate."""
    event = CloudEvent.from_kafka(value, headers)
    return event, registry.parse(event.type, event.data)


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as exc:  # compared by type and message
        return type(exc), str(exc)


def _record(type_name: str, body: bytes | None) -> tuple[bytes | None, Any]:
    event = CloudEvent(
        id=uuid4(),
        source="lintas/certification",
        type=type_name,
        subject="training-record-1",
        time=datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        stream_version=3,
        metadata=EventMetadata("KEMNAKER", "BPVP-PADANG"),
        data={},
    )
    return body, event.to_kafka()[1]


COMPLETED = {
    "enrollment_id": "646c8420-0f7b-45fc-8953-0cc034f022c9",
    "package_id": "0100aad6-3691-4fdd-a76c-00fa65bf42bf",
    "nip": "198405172014052327",
    "kejuruan": "MEUBEL",
    "track": "INSTRUCTOR",
    "blk_code": "BPVP-PADANG",
    "lapas_code": "LAPAS-IIA-PADANG",
    "completed_on": "2026-11-20",
    "attended_jp": 300,
    "jp_total": 320,
}
_TC = "lintas.TrainingCompleted.v1"


def _body(**changes: Any) -> bytes:
    return json.dumps({**COMPLETED, **changes}).encode()


@pytest.mark.parametrize(
    ("type_name", "body"),
    [
        (_TC, _body()),
        (_TC, _body(attended_jp="300", completed_on="2026-11-20T00:00:00")),
        (_TC, _body(attended_jp=300.0)),
        (_TC, _body(attended_jp=300.5)),
        (_TC, _body(attended_jp=2**70)),
        (_TC, _body(nip="123")),
        (_TC, _body(kejuruan="NOPE")),
        (_TC, _body(surprise=1)),
        (_TC, json.dumps({k: v for k, v in COMPLETED.items() if k != "nip"}).encode()),
        (_TC, _body()[:-1] + b', "nip": "198405172014052399"}'),  # duplicate key
        (_TC, _body(lapas_code="\ud800")),  # lone surrogate: stdlib JSON only
        (_TC, _body(attended_jp=float("nan"))),  # NaN: stdlib JSON only
        (_TC, json.dumps(COMPLETED).encode("utf-16")),  # stdlib detects UTF-16
        (_TC, b"{oops"),
        (_TC, b"[1, 2]"),
        (_TC, b"null"),
        (_TC, None),
        ("lintas.Nope.v1", _body()),
        ("lintas.TrainingCompleted.v2", _body()),
        ("TrainingCompleted", _body()),
    ],
)
def test_parse_kafka_answers_exactly_as_envelope_then_parse(
    type_name: str, body: bytes | None
) -> None:
    registry = default_registry()
    value, headers = _record(type_name, body)
    fast, slow = (
        _outcome(registry.parse_kafka, value, headers),
        _outcome(_slow, registry, value, headers),
    )
    assert fast == slow


def test_parse_kafka_upcasts_old_versions() -> None:
    registry = EventRegistry([Renamed])
    registry.register_upcaster("Renamed", 1, _v1_to_v2)
    registry.register_upcaster("Renamed", 2, _v2_to_v3)
    value, headers = _record("lintas.Renamed.v1", b'{"name": "Siti"}')
    event, payload = registry.parse_kafka(value, headers)
    assert payload == Renamed(full_name="Siti", unit="UNKNOWN")
    assert event.data == {"name": "Siti"}
    assert (event, payload) == _slow(registry, value, headers)


def test_parse_kafka_follows_a_re_registered_model() -> None:
    class RenamedV4(Renamed):
        version: ClassVar[int] = 4

    registry = EventRegistry([Renamed])
    registry.register(RenamedV4)
    value, headers = _record("lintas.Renamed.v3", b'{"full_name": "a", "unit": "b"}')
    with pytest.raises(UnknownEventType, match="no upcaster"):
        registry.parse_kafka(value, headers)


class Private(IntegrationEvent):
    """A service's own event: its namespace is the service, not ``lintas``."""

    event_name: ClassVar[str] = "Private"
    version: ClassVar[int] = 1

    @classmethod
    def type_name(cls) -> str:
        return f"enrollment.{cls.event_name}.v{cls.version}"


def test_a_private_namespace_parses_only_under_its_own_name() -> None:
    registry = EventRegistry([Private])
    assert registry.parse("enrollment.Private.v1", {}) == Private()
    with pytest.raises(UnknownEventType, match="unknown"):
        registry.parse("lintas.Private.v1", {})


def test_a_copy_is_extended_without_changing_the_original() -> None:
    original = EventRegistry([Renamed])
    original.register_upcaster("Renamed", 2, _v2_to_v3)
    copied = original.copy()
    copied.register_upcaster("Renamed", 1, _v1_to_v2)
    assert copied.parse("lintas.Renamed.v1", {"name": "Siti"}).full_name == "Siti"
    assert copied.parse("lintas.Renamed.v2", {"full_name": "A"}).unit == "UNKNOWN"
    with pytest.raises(UnknownEventType, match="no upcaster"):
        original.parse("lintas.Renamed.v1", {"name": "Siti"})

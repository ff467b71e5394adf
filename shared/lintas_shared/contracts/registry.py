"""Maps CloudEvents ``type`` strings to contract models, upcasting old versions on read."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.envelope import CloudEvent, Headers, read_body, read_headers

_loads: Callable[[bytes], Any] = json.loads
# A C JSON parser where installed; any body it refuses takes the stdlib path.
with contextlib.suppress(ImportError):
    from orjson import loads as _loads

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class VersionedEvent(Protocol):
    """A versioned event model: an integration contract or a service's private event."""

    event_name: ClassVar[str]
    version: ClassVar[int]

    @classmethod
    def type_name(cls) -> str: ...
    @classmethod
    def model_validate(cls, obj: Any) -> Self: ...
    @classmethod
    def model_validate_json(cls, json_data: bytes) -> Self: ...


E = TypeVar("E", bound=VersionedEvent)


class UnknownEventType(ValueError):
    """The ``ce_type`` names no contract this reader knows."""


class EventRegistry(Generic[E]):
    """Known event models by name; upcasters lift payloads of older versions to current.

    A type name is ``<namespace>.<EventName>.v<version>``: ``lintas`` for the published
    contracts, a service's own name for the private events of its streams (which a
    service reads through its own registry, so stored old versions are upcast too).
    """

    def __init__(self, models: Iterable[type[E]] = ()) -> None:
        self._current: dict[str, type[E]] = {}
        self._by_type: dict[str, type[E]] = {}  # current type names
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for model in models:
            self.register(model)

    def register(self, model: type[E]) -> None:
        replaced = self._current.get(model.event_name)
        if replaced is not None:
            self._by_type.pop(replaced.type_name(), None)
        self._current[model.event_name] = model
        self._by_type[model.type_name()] = model

    def copy(self) -> EventRegistry[E]:
        """A registry knowing the same models and upcasters, to extend separately."""
        copied: EventRegistry[E] = EventRegistry(self._current.values())
        copied._upcasters = dict(self._upcasters)
        return copied

    def register_upcaster(
        self, event_name: str, from_version: int, fn: Upcaster
    ) -> None:
        """``fn`` turns a payload of ``from_version`` into one of ``from_version + 1``."""
        self._upcasters[(event_name, from_version)] = fn

    def known_types(self) -> list[str]:
        return sorted(model.type_name() for model in self._current.values())

    def parse(self, type_name: str, data: dict[str, Any]) -> E:
        """Validate ``data`` as the current model, upcasting it first if it is older."""
        name, version = split_type_name(type_name)
        model = self._current.get(name)
        if model is None or _namespace(model.type_name()) != _namespace(type_name):
            raise UnknownEventType(f"unknown event type {type_name!r}")
        if version > model.version:
            raise UnknownEventType(
                f"{type_name!r} is newer than this reader (knows v{model.version})"
            )
        while version < model.version:
            upcast = self._upcasters.get((name, version))
            if upcast is None:
                raise UnknownEventType(f"no upcaster from {name} v{version}")
            data = upcast(data)
            version += 1
        return model.model_validate(data)

    def parse_kafka(
        self, value: bytes | None, headers: Headers
    ) -> tuple[CloudEvent, E]:
        """Envelope and contract of a Kafka record: ``CloudEvent.from_kafka`` then ``parse``.

        Raises exactly what those two raise (EnvelopeError, UnknownEventType,
        ValidationError). A body of the current version is validated straight from its
        bytes, which is about twice as fast as validating the decoded dict; if that fails
        for any reason, the record takes the general path, so errors are the same.
        """
        head = read_headers(headers)
        model = self._by_type.get(head.type)
        if model is not None and value is not None:
            try:
                payload = model.model_validate_json(value)
                data = _loads(value)
            except Exception:  # the general path below decides, and names the error
                pass
            else:
                if type(data) is dict:
                    return CloudEvent(*head, data), payload
        event = CloudEvent(*head, read_body(value))
        return event, self.parse(event.type, event.data)


def split_type_name(type_name: str) -> tuple[str, int]:
    """``lintas.OfficerEnrolled.v1`` -> (``OfficerEnrolled``, 1)."""
    parts = type_name.split(".")
    if (
        len(parts) != 3
        or not (parts[0].isascii() and parts[0].isalpha() and parts[0].islower())
        or not parts[2].startswith("v")
    ):
        raise UnknownEventType(f"malformed event type {type_name!r}")
    try:
        return parts[1], int(parts[2][1:])
    except ValueError as exc:
        raise UnknownEventType(f"malformed event type {type_name!r}") from exc


def _namespace(type_name: str) -> str:
    return type_name.split(".", 1)[0]


def default_registry() -> EventRegistry[IntegrationEvent]:
    """Every contract Lintas publishes, at its current version."""
    from lintas_shared.contracts.certification import CERTIFICATION_EVENTS
    from lintas_shared.contracts.enrollment import ENROLLMENT_EVENTS

    return EventRegistry((*ENROLLMENT_EVENTS, *CERTIFICATION_EVENTS))

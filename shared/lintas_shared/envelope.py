"""CloudEvents 1.0 in Kafka binary mode: ``ce_*`` headers carry attributes, the body data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"

Headers = Sequence[tuple[str, bytes]]


class EnvelopeError(ValueError):
    """A Kafka record is not a valid Lintas CloudEvent; the message says which part."""


@dataclass(frozen=True, slots=True)
class EventMetadata:
    """Who did what on whose behalf: kept with every stored event and every published one."""

    actor_agency: str
    actor_unit: str
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    causation_id: str | None = None
    # The verified principal's opaque subject (never a NIP or a name); None for the
    # service's own actions (a scheduler) and events stored before identity existed.
    actor_subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        raw = {
            "actor_agency": self.actor_agency,
            "actor_unit": self.actor_unit,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
        }
        if self.actor_subject is not None:
            raw["actor_subject"] = self.actor_subject
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> EventMetadata:
        return cls(
            actor_agency=raw["actor_agency"],
            actor_unit=raw["actor_unit"],
            correlation_id=raw["correlation_id"],
            causation_id=raw.get("causation_id"),
            actor_subject=raw.get("actor_subject"),
        )


@dataclass(frozen=True, slots=True)
class CloudEvent:
    """One event as it travels on Kafka."""

    id: UUID
    source: str
    type: str
    subject: str
    time: datetime
    stream_version: int
    metadata: EventMetadata
    data: dict[str, Any]

    def to_kafka(self) -> tuple[bytes, list[tuple[str, bytes]]]:
        """Body and headers for a binary-mode Kafka record."""
        body = json.dumps(self.data, separators=(",", ":"), default=str).encode()
        return body, self.kafka_headers()

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        """The ``ce_*`` headers alone (for a body that is already serialised)."""
        headers = {
            "ce_specversion": SPEC_VERSION,
            "ce_id": str(self.id),
            "ce_source": self.source,
            "ce_type": self.type,
            "ce_subject": self.subject,
            "ce_time": self.time.astimezone(UTC).isoformat(),
            "ce_correlationid": self.metadata.correlation_id,
            "ce_actoragency": self.metadata.actor_agency,
            "ce_actorunit": self.metadata.actor_unit,
            "ce_streamversion": str(self.stream_version),
            "content-type": CONTENT_TYPE,
        }
        if self.metadata.causation_id:
            headers["ce_causationid"] = self.metadata.causation_id
        if self.metadata.actor_subject:
            headers["ce_actorsubject"] = self.metadata.actor_subject
        return [(k, v.encode()) for k, v in headers.items()]

    @classmethod
    def from_kafka(cls, value: bytes | None, headers: Headers) -> CloudEvent:
        """Parse a binary-mode record; raise EnvelopeError naming the missing or bad part."""
        head = read_headers(headers)  # header errors first, then the body's
        return cls(*head, read_body(value))


class EnvelopeHeaders(NamedTuple):
    """A CloudEvent's attributes read from its ``ce_*`` headers (every field but data)."""

    id: UUID
    source: str
    type: str
    subject: str
    time: datetime
    stream_version: int
    metadata: EventMetadata


def read_headers(headers: Headers) -> EnvelopeHeaders:
    """The envelope attributes; raise EnvelopeError naming the missing or bad header."""
    attrs = {k: v.decode("utf-8", "replace") for k, v in headers or ()}
    if attrs.get("ce_specversion") != SPEC_VERSION:
        raise EnvelopeError(f"ce_specversion must be {SPEC_VERSION!r}")
    missing = [
        name
        for name in ("ce_id", "ce_source", "ce_type", "ce_subject", "ce_time")
        if not attrs.get(name)
    ]
    missing += [n for n in ("ce_actoragency", "ce_actorunit") if n not in attrs]
    if missing:
        raise EnvelopeError(f"missing header(s): {', '.join(missing)}")
    try:
        event_id = UUID(attrs["ce_id"])
    except ValueError as exc:
        raise EnvelopeError(f"ce_id is not a UUID: {attrs['ce_id']!r}") from exc
    try:
        time = datetime.fromisoformat(attrs["ce_time"])
    except ValueError as exc:
        raise EnvelopeError(f"ce_time is not RFC 3339: {attrs['ce_time']!r}") from exc
    try:
        version = int(attrs.get("ce_streamversion", "0"))
    except ValueError as exc:
        raise EnvelopeError("ce_streamversion is not an integer") from exc
    return EnvelopeHeaders(
        event_id,
        attrs["ce_source"],
        attrs["ce_type"],
        attrs["ce_subject"],
        time,
        version,
        EventMetadata(
            actor_agency=attrs["ce_actoragency"],
            actor_unit=attrs["ce_actorunit"],
            correlation_id=attrs.get("ce_correlationid") or str(event_id),
            causation_id=attrs.get("ce_causationid"),
            actor_subject=attrs.get("ce_actorsubject"),
        ),
    )


def read_body(value: bytes | None) -> dict[str, Any]:
    """The event data: a JSON object; raise EnvelopeError if it is absent or not one."""
    if value is None:
        raise EnvelopeError("record has no body")
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise EnvelopeError(f"body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise EnvelopeError("body must be a JSON object")
    return data

"""CloudEvents binary-mode envelope: round trip and precise errors."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from lintas_shared.envelope import CloudEvent, EnvelopeError, EventMetadata

pytestmark = pytest.mark.unit


def _event() -> CloudEvent:
    return CloudEvent(
        id=uuid4(),
        source="lintas/enrollment",
        type="lintas.OfficerEnrolled.v1",
        subject="package-123",
        time=datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        stream_version=7,
        metadata=EventMetadata("DITJENPAS", "LAPAS-IIA-PADANG", "corr-1", "cause-1"),
        data={"a": 1, "b": "dua"},
    )


def test_round_trips_through_kafka_headers_and_body() -> None:
    event = _event()
    value, headers = event.to_kafka()
    names = dict(headers)
    assert names["ce_specversion"] == b"1.0"
    assert names["ce_subject"] == b"package-123"
    assert names["ce_streamversion"] == b"7"
    assert names["ce_actorunit"] == b"LAPAS-IIA-PADANG"
    assert CloudEvent.from_kafka(value, headers) == event


@pytest.mark.parametrize("header", ["ce_id", "ce_type", "ce_subject", "ce_actoragency"])
def test_names_the_missing_header(header: str) -> None:
    value, headers = _event().to_kafka()
    stripped = [(k, v) for k, v in headers if k != header]
    with pytest.raises(EnvelopeError, match=header):
        CloudEvent.from_kafka(value, stripped)


def test_refuses_a_body_that_is_not_json() -> None:
    _, headers = _event().to_kafka()
    with pytest.raises(EnvelopeError, match="not JSON"):
        CloudEvent.from_kafka(b"{oops", headers)


def test_refuses_an_id_that_is_not_a_uuid() -> None:
    value, headers = _event().to_kafka()
    bad = [(k, b"42" if k == "ce_id" else v) for k, v in headers]
    with pytest.raises(EnvelopeError, match="ce_id is not a UUID"):
        CloudEvent.from_kafka(value, bad)

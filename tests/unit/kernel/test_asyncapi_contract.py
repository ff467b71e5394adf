"""The committed AsyncAPI document covers every topic and says what the code really sends."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import yaml
from aiokafka.structs import ConsumerRecord

from certification.application.catalogue import CATALOGUE as CERTIFICATION
from enrollment.application.catalogue import CATALOGUE as ENROLLMENT
from lintas_deploy.asyncapi import render
from lintas_shared import topics
from lintas_shared.envelope import CloudEvent, EventMetadata
from lintas_shared.messaging.deadletter import dead_letter

pytestmark = pytest.mark.unit

DOC = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(render())
    return document


def _message(spec: dict[str, Any], channel: str) -> dict[str, Any]:
    [ref] = spec["channels"][channel]["messages"].values()
    message: dict[str, Any] = spec["components"]["messages"][ref["$ref"].split("/")[-1]]
    return message


def _schema(spec: dict[str, Any], ref: dict[str, str]) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][ref["$ref"].split("/")[-1]]
    return schema


def test_committed_asyncapi_matches_the_contracts(spec: dict[str, Any]) -> None:
    committed = yaml.safe_load(DOC.read_text())
    assert committed == spec, (
        "docs/asyncapi.yaml is stale: run `make asyncapi` (python -m lintas_deploy.asyncapi)"
    )


def test_every_topic_an_outside_system_may_use_has_a_channel(
    spec: dict[str, Any],
) -> None:
    addresses = {c["address"] for c in spec["channels"].values()}
    assert addresses == set(topics.ALL_TOPICS)


def test_every_event_type_has_a_channel_with_its_schema(spec: dict[str, Any]) -> None:
    channels = spec["channels"]
    for name in ("OfficerEnrolled", "TrainingCompleted", "InstructorCertified"):
        matching = [c for c in channels if c.endswith(f"lintas.{name}.v1")]
        assert len(matching) == 1, name
    schemas = spec["components"]["schemas"]
    enrolled = next(s for k, s in schemas.items() if k.startswith("OfficerEnrolled"))
    assert "nip" not in enrolled["properties"]  # nested in OfficerRef
    assert enrolled["properties"]["enrollment_id"]["description"]


@pytest.mark.parametrize(
    ("topic", "catalogue"),
    [
        (topics.ENROLLMENT_COMMANDS, ENROLLMENT),
        (topics.CERTIFICATION_COMMANDS, CERTIFICATION),
    ],
)
def test_every_command_has_its_envelope_and_payload_schema(
    spec: dict[str, Any], topic: str, catalogue: Any
) -> None:
    documented = {
        name.split(":", 1)[1]
        for name, channel in spec["channels"].items()
        if channel["address"] == topic
    }
    assert documented == set(catalogue.names())
    for name, model in catalogue.models().items():
        envelope = _schema(spec, _message(spec, f"{topic}:{name}")["payload"])
        assert envelope["properties"]["command"]["const"] == name
        assert set(envelope["required"]) >= {"message_id", "command", "payload"}
        payload = _schema(spec, envelope["properties"]["payload"])
        assert set(payload["properties"]) == set(model.model_fields)
        assert all(p.get("description") for p in payload["properties"].values()), name


def test_each_command_operation_names_its_reply_channel(spec: dict[str, Any]) -> None:
    for name, operation in spec["operations"].items():
        topic = spec["channels"][name]["address"]
        if topic in (topics.ENROLLMENT_COMMANDS, topics.CERTIFICATION_COMMANDS):
            assert operation["action"] == "receive"
            reply = operation["reply"]["channel"]["$ref"].split("/")[-1]
            expected = topic.replace(".commands", ".replies")
            assert spec["channels"][reply]["address"] == expected
    reply = _message(spec, f"{topics.ENROLLMENT_REPLIES}:CommandReply")
    assert _schema(spec, reply["payload"])["title"] == "CommandReply"


def test_the_dead_letter_headers_are_the_ones_the_writer_sets(
    spec: dict[str, Any],
) -> None:
    record = ConsumerRecord(
        topic=topics.ENROLLMENT_EVENTS, partition=2, offset=7, timestamp=0,
        timestamp_type=0, key=b"k", value=b"{}", checksum=None,
        serialized_key_size=1, serialized_value_size=2, headers=[("ce_id", b"x")],
    )  # fmt: skip
    letter = dead_letter(record, consumer="reporting", reason="bad", attempts=3)
    written = {k for k, _ in letter.headers if k.startswith("dlq_")}
    headers = _message(spec, f"{topics.DEAD_LETTERS}:DeadLetter")["headers"]
    assert set(headers["required"]) == written
    assert set(headers["properties"]) == written


def test_the_event_headers_are_the_ones_the_envelope_sets(spec: dict[str, Any]) -> None:
    event = CloudEvent(
        id=uuid4(), source="lintas/enrollment", type="lintas.OfficerEnrolled.v1",
        subject="enrollment-1", time=datetime.now(UTC),
        metadata=EventMetadata("DITJENPAS", "LAPAS-IIA-PADANG", causation_id="c"),
        stream_version=1, data={},
    )  # fmt: skip
    written = {k for k, _ in event.kafka_headers()}
    channel = f"{topics.ENROLLMENT_EVENTS}:lintas.OfficerEnrolled.v1"
    headers = _message(spec, channel)["headers"]
    assert set(headers["properties"]) == written
    assert set(headers["required"]) == written - {"ce_causationid"}

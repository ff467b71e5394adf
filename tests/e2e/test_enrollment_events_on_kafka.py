"""E2E: the enrollment service as its own process; an enrollment made over HTTP arrives on
lintas.enrollment.events as a valid CloudEvent, and a Kafka command is answered."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from lintas_shared import topics
from lintas_shared.contracts import default_registry
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.envelope import CloudEvent
from tests.e2e.conftest import RunningSystem
from tests.support.kafka_login import admin_options
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.e2e

LAPAS_ACTOR = {"X-Actor-Agency": "DITJENPAS", "X-Actor-Unit": "LAPAS-IIA-PADANG"}
BLK_ACTOR = {"X-Actor-Agency": "KEMNAKER", "X-Actor-Unit": "BPVP-PADANG"}


@pytest.fixture
def service(e2e_system: RunningSystem) -> str:
    """The session's enrollment process. One instance only: a second one on the same
    command topic would answer the same commands from another database."""
    return e2e_system.enrollment


async def _tail(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    """A consumer positioned at the current end of every partition of ``topic``."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"e2e-tail-{uuid.uuid4().hex[:8]}",
        **admin_options(),
    )
    await consumer.start()
    while not consumer.assignment():
        await consumer.getmany(timeout_ms=200)
    partitions = list(consumer.assignment())
    await consumer.seek_to_end(*partitions)
    for tp in partitions:
        await consumer.position(tp)  # resolves the end offset now, before we produce
    return consumer


async def _find(consumer: AIOKafkaConsumer, match: Any, timeout: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for records in (await consumer.getmany(timeout_ms=300)).values():
            for record in records:
                if (found := match(record)) is not None:
                    return found
    raise AssertionError("nothing matching arrived")


async def test_an_enrollment_over_http_arrives_as_a_valid_cloudevent(
    service: str, kafka_bootstrap: str
) -> None:
    consumer = await _tail(kafka_bootstrap, topics.ENROLLMENT_EVENTS)
    try:
        async with httpx.AsyncClient(base_url=service, timeout=30) as http:
            lapas, blk = f.lapas(), f.blk()
            agreement = f.sign_agreement(lapas, blk).model_dump(mode="json")
            package = f.open_package(blk).model_dump(mode="json")
            assert (
                await http.post("/agreements", json=agreement, headers=BLK_ACTOR)
            ).is_success
            opened = await http.post("/packages", json=package, headers=BLK_ACTOR)
            package_id = opened.json()["package_id"]
            nip = f.nip()
            enrolled = await http.post(
                f"/packages/{package_id}/enrollments",
                json={
                    "nip": nip,
                    "name": "Rina Marlina",
                    "position": "Petugas Bimbingan Kerja",
                    "lapas_code": lapas.code,
                },
                headers=LAPAS_ACTOR | {"Idempotency-Key": f"e2e-{nip}"},
            )
        assert enrolled.status_code == 201, enrolled.text
        (event_id,) = enrolled.json()["event_ids"]

        def ours(record: Any) -> Any:
            headers = dict(record.headers)
            return record if headers.get("ce_id") == event_id.encode() else None

        record = await _find(consumer, ours)
    finally:
        await consumer.stop()
    event = CloudEvent.from_kafka(record.value, record.headers)
    assert record.key == f"package-{package_id}".encode()
    assert (event.type, event.subject, event.source) == (
        OfficerEnrolled.type_name(),
        f"package-{package_id}",
        "lintas/enrollment",
    )
    assert event.metadata.actor_unit == "LAPAS-IIA-PADANG"
    assert event.stream_version == 2  # opened, then this enrollment
    payload = default_registry().parse(event.type, event.data)
    assert isinstance(payload, OfficerEnrolled)
    assert (payload.officer.nip, str(payload.package_id)) == (nip, package_id)
    assert dict(record.headers)["content-type"] == b"application/json"


async def test_a_command_on_the_command_topic_is_answered_on_the_reply_topic(
    service: str, kafka_bootstrap: str
) -> None:
    consumer = await _tail(kafka_bootstrap, topics.ENROLLMENT_REPLIES)
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, acks="all", **admin_options()
    )
    await producer.start()
    try:
        message_id = str(uuid.uuid4())
        envelope = {
            "message_id": message_id,
            "command": "SignAgreement",
            "actor_agency": "DITJENPAS",
            "actor_unit": "LAPAS-IIA-PADANG",
            "payload": f.sign_agreement(f.lapas(), f.blk()).model_dump(mode="json"),
        }
        await producer.send_and_wait(
            topics.ENROLLMENT_COMMANDS, json.dumps(envelope).encode(), key=b"e2e"
        )

        def answer(record: Any) -> Any:
            reply = json.loads(record.value)
            return reply if reply["message_id"] == message_id else None

        reply = await _find(consumer, answer, timeout=60)
    finally:
        await producer.stop()
        await consumer.stop()
    assert reply["status"] == "ACCEPTED"
    async with httpx.AsyncClient(base_url=service) as http:
        agreement = await http.get(f"/agreements/{reply['result']['agreement_id']}")
    assert agreement.status_code == 200

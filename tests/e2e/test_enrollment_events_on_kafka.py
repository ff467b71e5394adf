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
from lintas_shared.identity import UnitKind
from tests.e2e.conftest import RunningSystem
from tests.support.identity import Identity
from tests.support.kafka_login import admin_options
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.identity import principal

pytestmark = pytest.mark.e2e


def _as(identity: Identity, unit: str, kind: UnitKind) -> dict[str, str]:
    """A real token of the operator of `unit` (a test's own Lapas or BLK)."""
    return {"Authorization": f"Bearer {identity.token_for(principal(unit, kind))}"}


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
    service: str, kafka_bootstrap: str, identity: Identity
) -> None:
    consumer = await _tail(kafka_bootstrap, topics.ENROLLMENT_EVENTS)
    try:
        async with httpx.AsyncClient(base_url=service, timeout=30) as http:
            lapas, blk = f.lapas(), f.blk()
            as_lapas = _as(identity, lapas.code, UnitKind.LAPAS)
            as_blk = _as(identity, blk.code, UnitKind.BLK)
            agreement = f.sign_agreement(lapas, blk).model_dump(mode="json")
            package = f.open_package(blk).model_dump(mode="json")
            signed = await http.post("/agreements", json=agreement, headers=as_blk)
            assert signed.is_success, signed.text
            countersigned = await http.post(
                f"/agreements/{signed.json()['agreement_id']}/signature",
                headers=as_lapas,
            )
            assert countersigned.is_success, countersigned.text
            opened = await http.post("/packages", json=package, headers=as_blk)
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
                headers=as_lapas | {"Idempotency-Key": f"e2e-{nip}"},
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
    assert event.metadata.actor_unit == lapas.code  # the principal's unit
    assert event.stream_version == 2  # opened, then this enrollment
    payload = default_registry().parse(event.type, event.data)
    assert isinstance(payload, OfficerEnrolled)
    assert (payload.officer.nip, str(payload.package_id)) == (nip, package_id)
    assert dict(record.headers)["content-type"] == b"application/json"


async def test_a_command_on_the_command_topic_is_answered_on_the_reply_topic(
    service: str, kafka_bootstrap: str, identity: Identity
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
            # The prisons' database of Lapas Padang (client credentials persona).
            "access_token": identity.persona_token("sdp-lapas-padang"),
            "payload": f.sign_agreement(
                f.lapas("LAPAS-IIA-PADANG"), f.blk()
            ).model_dump(mode="json"),
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
        agreement = await http.get(
            f"/agreements/{reply['result']['agreement_id']}",
            headers=identity.headers("BPVP-PADANG", "operator"),
        )
    assert agreement.status_code == 200

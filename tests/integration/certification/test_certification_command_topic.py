"""Commands from agency systems on Kafka: one reply each, refusals answered, resends replayed."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from certification.adapters.kafka.commands import command_ingress
from certification.adapters.postgres.enrollment_view import apply_event
from certification.application.context import CertificationContext
from certification.settings import CertificationSettings
from lintas_deploy.personas import persona
from lintas_shared.identity import TokenVerifier
from tests.support.identity import Identity
from tests.support.kafka_login import admin_options, admin_security
from tests.unit.certification.certification_factories import officer_enrolled

pytestmark = pytest.mark.integration


async def _topics(bootstrap: str) -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:10]
    names = (f"test.cert.commands.{suffix}", f"test.cert.replies.{suffix}")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **admin_options())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, 2, 1) for n in names])
    finally:
        await admin.close()
    return names


def _envelope(
    command: str, payload: dict[str, Any], message_id: str, token: str | None
) -> bytes:
    envelope = {"message_id": message_id, "command": command, "payload": payload}
    if token is not None:
        envelope["access_token"] = token
    return json.dumps(envelope).encode()


async def _replies(
    bootstrap: str, topic: str, expected: int, timeout: float = 40.0
) -> list[dict[str, Any]]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        **admin_options(),
    )
    await consumer.start()
    replies: list[dict[str, Any]] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(replies) < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                replies += [json.loads(r.value) for r in records]
    finally:
        await consumer.stop()
    return replies


async def test_commands_on_kafka_are_answered_once_each_and_certify(
    cert_pool: asyncpg.Pool,
    context: CertificationContext,
    kafka_bootstrap: str,
    identity: Identity,
    verifier: TokenVerifier,
) -> None:
    commands, replies = await _topics(kafka_bootstrap)
    enrolled = officer_enrolled()
    eid = str(enrolled.enrollment_id)
    done = {"enrollment_id": eid, "completed_on": "2026-04-30", "attended_jp": 300}
    assess = {
        "enrollment_id": eid,
        "lsp": "LSP Pelatihan Kerja Padang",
        "assessed_on": "2026-05-04",
        "skkni_units": ["C.16MEB01.001.1"],
        "result": "K",
    }
    early, late, tech, meth, bad, lapas, anonymous = (
        str(uuid.uuid4()) for _ in range(7)
    )
    # The BLK's training system (client credentials) and the LSP's assessor.
    system = identity.token_of(persona("training-system-bpvp-padang"))
    assessor = identity.token("LSP-P2-BPVP-PADANG", "assessor")
    lapas_system = identity.token_of(persona("sdp-lapas-padang"))
    settings = CertificationSettings(
        database_url="postgresql://unused",
        kafka_bootstrap=kafka_bootstrap,
        kafka_security=admin_security(),  # private test topics: no principal's ACLs
        command_topic=commands,
        reply_topic=replies,
        command_group_id=f"cert-commands-{uuid.uuid4().hex[:6]}",
    )
    ingress = command_ingress(context, settings, verifier)
    task = asyncio.create_task(ingress.run())
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, acks="all", **admin_options()
    )
    await producer.start()
    try:
        key = enrolled.enrollment_id.bytes
        await producer.send_and_wait(
            commands,
            _envelope("RecordTrainingCompletion", done, early, system),
            key=key,
        )
        (first,) = await _replies(kafka_bootstrap, replies, 1)
        async with cert_pool.acquire() as conn:
            await apply_event(conn, enrolled)
        tech_k = {**assess, "kind": "TECHNICAL"}
        for message_id, command, payload, token in (
            (late, "RecordTrainingCompletion", done, system),
            (late, "RecordTrainingCompletion", done, system),  # resent by the system
            (lapas, "RecordCompetencyAssessment", tech_k, lapas_system),
            (anonymous, "RecordCompetencyAssessment", tech_k, None),
            (tech, "RecordCompetencyAssessment", tech_k, assessor),
            (
                meth,
                "RecordCompetencyAssessment",
                {**assess, "kind": "METHODOLOGY"},
                assessor,
            ),
            (
                bad,
                "RecordCompetencyAssessment",
                {**assess, "kind": "PRACTICAL"},
                assessor,
            ),
        ):
            await producer.send_and_wait(
                commands, _envelope(command, payload, message_id, token), key=key
            )
        answers = await _replies(kafka_bootstrap, replies, 8)
    finally:
        await producer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    assert first["status"] == "REFUSED"
    assert first["problem"]["retryable"] is True
    # Replies of different commands may sit on different partitions: group them by id.
    by_id: dict[str, list[dict[str, Any]]] = {}
    for answer in answers:
        by_id.setdefault(answer["message_id"], []).append(answer)
    assert len(by_id[early]) == 1
    assert [a["replayed"] for a in by_id[late]] == [False, True]
    assert by_id[late][0]["result"] == by_id[late][1]["result"]
    assert by_id[tech][0]["status"] == by_id[meth][0]["status"] == "ACCEPTED"
    certificate = by_id[meth][0]["result"]["certificate"]
    assert certificate["certificate_number"].startswith("LNT/BPVP-PADANG/MEUBEL/")
    assert by_id[bad][0]["status"] == "REFUSED"
    assert by_id[bad][0]["problem"]["errors"][0]["field"] == "kind"
    # A Lapas's system may not assess; no token at all is a 401.
    assert by_id[lapas][0]["status"] == "REFUSED"
    assert by_id[lapas][0]["problem"]["status"] == 403
    assert by_id[lapas][0]["problem"]["type"].endswith(
        "/assessor-accredited-for-kejuruan"
    )
    assert by_id[anonymous][0]["problem"]["status"] == 401
    actors = await cert_pool.fetch(
        "SELECT DISTINCT metadata ->> 'actor_unit' AS unit FROM events ORDER BY 1"
    )
    assert [r["unit"] for r in actors] == ["BPVP-PADANG", "LSP-P2-BPVP-PADANG"]
    assert (
        await cert_pool.fetchval(
            "SELECT count(*) FROM events WHERE type = 'lintas.TrainingCompleted.v1'"
        )
        == 1
    )

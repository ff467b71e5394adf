"""A completion sent right after the enrollment, before its event arrived: retry, then certify."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
import httpx
import pytest

from certification.adapters.postgres.enrollment_view import apply_enrollment_events
from certification.application.context import CertificationContext
from certification.application.repository import certification_stream
from lintas_shared.contracts import default_registry
from lintas_shared.contracts.certification import InstructorCertified
from lintas_shared.identity import TokenVerifier
from lintas_shared.messaging import EventConsumer, KafkaPublisher, OutboxRelay
from lintas_shared.topics import CERTIFICATION_EVENTS
from tests.integration.certification.support import (
    ASSESSOR,
    BLK_OPERATOR,
    bearer,
    code_of,
    http_app,
    message,
    read_keyed,
    without_token,
)
from tests.support.identity import Identity
from tests.support.kafka_login import admin_security
from tests.unit.certification.certification_factories import END, officer_enrolled

pytestmark = pytest.mark.integration


def _assessment(kind: str, result: str, day: str) -> dict[str, object]:
    return {
        "kind": kind,
        "result": result,
        "lsp": "LSP Pelatihan Kerja Padang",
        "assessed_on": day,
        "skkni_units": ["C.16MEB01.001.1", "C.16MEB01.002.1"],
    }


async def test_completion_before_the_enrollment_event_is_retryable_then_certifies(
    cert_pool: asyncpg.Pool,
    context: CertificationContext,
    kafka_bootstrap: str,
    enrollment_topic: str,
    publisher: KafkaPublisher,
    verifier: TokenVerifier,
    identity: Identity,
) -> None:
    enrolled = officer_enrolled()
    consumer = EventConsumer(
        name=f"cert-view-{uuid.uuid4().hex[:8]}",
        topics=[enrollment_topic],
        bootstrap=kafka_bootstrap,
        pool=cert_pool,
        handler=apply_enrollment_events,
        registry=default_registry(),
        publisher=publisher,
        security=admin_security(),
    )
    relay = OutboxRelay(
        cert_pool, publisher, source="lintas/certification", lock_key="cert-test"
    )
    tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(relay.run())]
    url = f"/enrollments/{enrolled.enrollment_id}/completion"
    body = {"completed_on": END.isoformat(), "attended_jp": 300}
    headers = {"Idempotency-Key": f"done-{enrolled.enrollment_id}"}
    transport = httpx.ASGITransport(app=http_app(context, cert_pool, verifier))
    blk = bearer(identity, BLK_OPERATOR)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers=blk
        ) as http:
            early = await http.post(url, json=body, headers=headers)

            assert early.status_code == 409
            assert early.headers["content-type"] == "application/problem+json"
            assert early.headers["retry-after"] == "1"
            problem = early.json()
            assert problem["retryable"] is True
            assert problem["type"].endswith("/enrollment-not-known-yet")
            assert "retry" in problem["detail"]
            assert await cert_pool.fetchval("SELECT count(*) FROM events") == 0

            await publisher.publish([message(enrollment_topic, enrolled)])
            began = time.monotonic()
            answer = await http.post(url, json=body, headers=headers)
            retries = 0
            while answer.status_code == 409 and answer.json().get("retryable"):
                retries += 1
                await asyncio.sleep(0.1)
                answer = await http.post(url, json=body, headers=headers)
            waited = time.monotonic() - began
            assert answer.status_code == 201, answer.text
            assert waited < 20
            print(
                f"\ncompletion accepted {waited:.2f}s after publish ({retries} retries)"
            )

            for kind, result, day in (
                ("TECHNICAL", "BK", "2026-05-04"),
                ("METHODOLOGY", "K", "2026-05-05"),
                ("TECHNICAL", "K", "2026-05-20"),
            ):
                outcome = await http.post(
                    f"/enrollments/{enrolled.enrollment_id}/assessments",
                    json=_assessment(kind, result, day),
                    headers=bearer(identity, ASSESSOR),
                )
                assert outcome.status_code == 201, outcome.text
            certificate = outcome.json()["certificate"]
            assert certificate["status"] == "valid"
            assert certificate["issued_on"] == "2026-05-20"
            assert certificate["expires_on"] == "2029-05-19"

            number = certificate["certificate_number"]
            code = await code_of(http, number)
            check = await without_token(http, "GET", f"/certificates/{code}")
            assert check.status_code == 200
            assert check.json()["status"] == "valid"
            assert enrolled.officer.name not in check.text
            assert enrolled.officer.nip not in check.text
            assert "LAPAS" not in check.text.upper()

        stream = certification_stream(enrolled.officer.nip, enrolled.kejuruan)
        published = await read_keyed(kafka_bootstrap, CERTIFICATION_EVENTS, [stream], 1)
        (certified,) = published
        assert certified.type == InstructorCertified.type_name()
        assert certified.data["certificate_number"] == number
        assert certified.metadata.actor_unit == "LSP-P2-BPVP-PADANG"
    finally:
        await consumer.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

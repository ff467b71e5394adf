"""End to end: an HTTP enrollment becomes an InstructorCertified event on Kafka.

The services run as their own ``python -m`` processes (``e2e_system``); only HTTP and
Kafka connect the test to them.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, timedelta
from urllib.parse import quote

import httpx
import pytest

from certification.application.repository import certification_stream
from lintas_shared.contracts import Kejuruan
from lintas_shared.contracts.certification import InstructorCertified
from lintas_shared.topics import CERTIFICATION_EVENTS
from tests.e2e.conftest import RunningSystem
from tests.integration.certification.support import read_keyed
from tests.support.identity import Identity
from tests.unit.certification.certification_factories import random_nip

pytestmark = pytest.mark.e2e

BPVP = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}


async def _post(client: httpx.AsyncClient, url: str, body: dict, headers: dict) -> dict:
    answer = await client.post(url, json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


async def test_http_enrollment_ends_as_instructor_certified_on_kafka(
    e2e_system: RunningSystem, identity: Identity
) -> None:
    as_lapas = identity.headers("LAPAS-IIA-PADANG", "operator")
    as_blk = identity.headers("BPVP-PADANG", "operator")
    as_assessor = identity.headers("LSP-P2-BPVP-PADANG", "assessor")
    today = date.today()
    start, end = today - timedelta(days=75), today - timedelta(days=15)
    nip = random_nip()
    async with httpx.AsyncClient(
        base_url=e2e_system.enrollment, timeout=10
    ) as enrollment:
        agreement = await _post(
            enrollment,
            "/agreements",
            {
                "number": f"PKS/{uuid.uuid4().hex[:6]}/2026",
                "lapas": LAPAS,
                "blk": BPVP,
                "kejuruan": ["TEKNIK_LAS"],
                "valid_from": (start - timedelta(days=30)).isoformat(),
                "valid_until": (end + timedelta(days=365)).isoformat(),
            },
            as_lapas,
        )
        # In force once the BLK has countersigned (enrollment's two-party rule).
        await _post(
            enrollment, f"/agreements/{agreement['agreement_id']}/signature", {}, as_blk
        )
        package = await _post(
            enrollment,
            "/packages",
            {
                "code": f"PDG-LAS-{uuid.uuid4().hex[:4].upper()}",
                "title": "Welding SMAW + metodologi",
                "blk": BPVP,
                "kejuruan": "TEKNIK_LAS",
                "track": "INSTRUCTOR",
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "jp_technical": 240,
                "jp_methodology": 80,
                "seats": 16,
                "skkni_units": ["C.25LAS01.001.1"],
            },
            as_blk,
        )
        enrolled = await _post(
            enrollment,
            f"/packages/{package['package_id']}/enrollments",
            {
                "nip": nip,
                "name": "Rahmat Hidayat",
                "position": "Petugas Pembinaan",
                "lapas_code": "LAPAS-IIA-PADANG",
                "agreement_id": agreement["agreement_id"],
                "enrolled_on": (start - timedelta(days=7)).isoformat(),
            },
            as_lapas,
        )
    enrolled_at = time.monotonic()
    record = f"/enrollments/{enrolled['enrollment_id']}"
    async with httpx.AsyncClient(
        base_url=e2e_system.certification, timeout=10
    ) as certification:
        completion = {"completed_on": end.isoformat(), "attended_jp": 300}
        key = {**as_blk, "Idempotency-Key": f"e2e-done-{enrolled['enrollment_id']}"}
        answer = await certification.post(
            f"{record}/completion", json=completion, headers=key
        )
        while answer.status_code == 409 and answer.json().get("retryable"):
            assert time.monotonic() - enrolled_at < 60, answer.text
            await asyncio.sleep(0.2)
            answer = await certification.post(
                f"{record}/completion", json=completion, headers=key
            )
        assert answer.status_code == 201, answer.text
        propagation = time.monotonic() - enrolled_at
        steps = [
            ("TECHNICAL", "BK", end + timedelta(days=1)),
            ("METHODOLOGY", "K", end + timedelta(days=2)),
            ("TECHNICAL", "K", end + timedelta(days=9)),
        ]
        for kind, result, day in steps:
            outcome = await _post(
                certification,
                f"{record}/assessments",
                {
                    "kind": kind,
                    "result": result,
                    "lsp": "LSP Pelatihan Kerja Padang",
                    "assessed_on": day.isoformat(),
                    "skkni_units": ["C.25LAS01.001.1"],
                },
                as_assessor,
            )
        number = outcome["certificate"]["certificate_number"]
        view = await certification.get(
            "/certificates", params={"number": number}, headers=as_blk
        )
        assert view.status_code == 200, view.text
        code = view.json()["verification_code"]
        # The public check: no token, by the code the BLK gives the holder.
        check = (await certification.get(f"/certificates/{code}")).json()
        by_number = await certification.get(f"/certificates/{quote(number, safe='')}")
        record_anonymous = await certification.get(f"{record}/training-record")

    stream = certification_stream(nip, Kejuruan.TEKNIK_LAS)
    events = await read_keyed(
        e2e_system.kafka_bootstrap, CERTIFICATION_EVENTS, [stream], 1
    )
    certified = [e for e in events if e.type == InstructorCertified.type_name()]
    assert len(certified) == 1
    assert certified[0].data["certificate_number"] == number
    assert certified[0].data["nip"] == nip
    assert certified[0].data["issued_on"] == (end + timedelta(days=9)).isoformat()
    assert certified[0].metadata.actor_unit == "LSP-P2-BPVP-PADANG"
    assert check["status"] == "valid" and check["kejuruan"] == "TEKNIK_LAS"
    assert check["holder_initials"] == "R. H."
    assert nip not in str(check) and "Rahmat" not in str(check)
    assert by_number.status_code == 404
    assert record_anonymous.status_code == 401
    print(f"\nenrollment visible to certification after {propagation:.2f}s")

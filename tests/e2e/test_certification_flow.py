"""End to end: an HTTP enrollment becomes an InstructorCertified event on Kafka.

Both services run as their own ``python -m`` processes on a private broker and database
server; only HTTP and Kafka connect the test to them.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from certification.application.streams import certification_stream
from lintas_deploy.databases import create_database
from lintas_deploy.procs import free_ports
from lintas_shared.contracts import Kejuruan
from lintas_shared.contracts.certification import InstructorCertified
from lintas_shared.topics import CERTIFICATION_EVENTS
from tests.integration.certification.support import read_keyed
from tests.unit.certification.certification_factories import random_nip

pytestmark = pytest.mark.e2e

BPVP = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}
AS_LAPAS = {"X-Actor-Agency": "DITJENPAS", "X-Actor-Unit": "LAPAS-IIA-PADANG"}
AS_BLK = {"X-Actor-Agency": "KEMNAKER", "X-Actor-Unit": "BPVP-PADANG"}


@dataclass
class Services:
    enrollment: str
    certification: str


def _spawn(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", name],
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready:\n{log.read_text()[-3000:]}")


@pytest.fixture
def services(
    kafka_bootstrap: str, pg_admin_dsn: str, tmp_path: Path
) -> Iterator[Services]:
    run = uuid.uuid4().hex[:8]
    ports = free_ports(2)
    processes = []
    urls = []
    for name, port in zip(("enrollment", "certification"), ports, strict=True):
        prefix = f"LINTAS_{name.upper()}_"
        env = {
            f"{prefix}DATABASE_URL": create_database(pg_admin_dsn, f"e2e_{name}_{run}"),
            f"{prefix}KAFKA_BOOTSTRAP": kafka_bootstrap,
            f"{prefix}HTTP_PORT": str(port),
            # Own groups, so a broker shared across runs cannot hand over old offsets.
            f"{prefix}COMMAND_GROUP_ID": f"e2e-{name}-commands-{run}",
            f"{prefix}CONSUMER_GROUP": f"e2e-{name}-view-{run}",
        }
        log = tmp_path / f"{name}.log"
        processes.append((_spawn(name, env, log), log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, (process, log) in zip(urls, processes, strict=True):
            _wait_ready(url, process, log)
        yield Services(*urls)
    finally:
        for process, _ in processes:
            process.terminate()
        for process, _ in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


async def _post(client: httpx.AsyncClient, url: str, body: dict, headers: dict) -> dict:
    answer = await client.post(url, json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


async def test_http_enrollment_ends_as_instructor_certified_on_kafka(
    services: Services, kafka_bootstrap: str
) -> None:
    today = date.today()
    start, end = today - timedelta(days=75), today - timedelta(days=15)
    nip = random_nip()
    async with httpx.AsyncClient(
        base_url=services.enrollment, timeout=10
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
            AS_LAPAS,
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
            AS_BLK,
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
            AS_LAPAS,
        )
    enrolled_at = time.monotonic()
    record = f"/enrollments/{enrolled['enrollment_id']}"
    async with httpx.AsyncClient(
        base_url=services.certification, timeout=10
    ) as certification:
        completion = {"completed_on": end.isoformat(), "attended_jp": 300}
        key = {**AS_BLK, "Idempotency-Key": f"e2e-done-{enrolled['enrollment_id']}"}
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
                AS_BLK,
            )
        number = outcome["certificate"]["certificate_number"]
        check = (
            await certification.get(f"/certificates/{quote(number, safe='')}")
        ).json()

    stream = certification_stream(nip, Kejuruan.TEKNIK_LAS)
    events = await read_keyed(kafka_bootstrap, CERTIFICATION_EVENTS, [stream], 1)
    certified = [e for e in events if e.type == InstructorCertified.type_name()]
    assert len(certified) == 1
    assert certified[0].data["certificate_number"] == number
    assert certified[0].data["nip"] == nip
    assert certified[0].data["issued_on"] == (end + timedelta(days=9)).isoformat()
    assert check["status"] == "valid" and check["kejuruan"] == "TEKNIK_LAS"
    assert nip not in str(check)
    print(f"\nenrollment visible to certification after {propagation:.2f}s")

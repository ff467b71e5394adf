"""The foundation flow over HTTP with every process running: enrol → Kafka → read model → API."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import date, timedelta

import httpx
import pytest

from tests.e2e.conftest import RunningSystem
from tests.support.identity import Identity

pytestmark = pytest.mark.e2e

BPVP = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}


def fictitious_nip() -> str:
    """A valid-looking NIP nobody has: born 1980-1995, appointed at 25, random sequence."""
    born = date(1980, 1, 1) + timedelta(days=random.randrange(0, 15 * 365))
    appointed = f"{born.year + 25}{born.month:02d}"
    return (
        f"{born:%Y%m%d}{appointed}{random.choice('12')}{random.randrange(1, 999):03d}"
    )


async def _post(
    client: httpx.AsyncClient, path: str, body: dict | None, actor: dict
) -> dict:
    headers = {**actor, "Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _enrol(
    system: RunningSystem, nip: str, identity: Identity
) -> tuple[dict, dict]:
    as_blk = identity.headers("BPVP-PADANG", "operator")
    as_lapas = identity.headers("LAPAS-IIA-PADANG", "operator")
    start = date.today() + timedelta(days=30)
    async with httpx.AsyncClient(base_url=system.enrollment, timeout=20) as client:
        signed = await _post(
            client,
            "/agreements",
            {
                "number": f"PKS/{uuid.uuid4().hex[:6]}/2026",
                "lapas": LAPAS,
                "blk": BPVP,
                "kejuruan": ["TEKNIK_LAS"],
                "valid_from": (start - timedelta(days=60)).isoformat(),
                "valid_until": (start + timedelta(days=365)).isoformat(),
            },
            as_lapas,
        )
        # In force once the other party (the BLK) has signed too.
        await _post(
            client, f"/agreements/{signed['agreement_id']}/signature", None, as_blk
        )
        package = await _post(
            client,
            "/packages",
            {
                "code": f"PDG-LAS-{uuid.uuid4().hex[:6].upper()}",
                "title": "Welding SMAW + methodology",
                "blk": BPVP,
                "kejuruan": "TEKNIK_LAS",
                "track": "INSTRUCTOR",
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=60)).isoformat(),
                "jp_technical": 240,
                "jp_methodology": 80,
                "seats": 16,
                "skkni_units": ["C.25LAS01.001.1"],
            },
            as_blk,
        )
        enrolled = await _post(
            client,
            f"/packages/{package['package_id']}/enrollments",
            {
                "nip": nip,
                "name": "Rahmat Hidayat",
                "position": "Petugas Pembinaan",
                "lapas_code": LAPAS["code"],
            },
            as_lapas,
        )
    return package, enrolled


async def test_an_enrollment_over_http_reaches_the_reporting_api(
    e2e_system: RunningSystem, identity: Identity
) -> None:
    nip = fictitious_nip()
    package, enrolled = await _enrol(e2e_system, nip, identity)

    progress: dict = {}
    reader = identity.persona_headers("lapas-padang-operator")
    async with httpx.AsyncClient(base_url=e2e_system.reporting, timeout=10) as client:
        for _ in range(150):
            # The NIP goes in the body (never in a URL); the reader's scope applies.
            response = await client.post(
                "/api/v1/officers/lookup", json={"nip": nip}, headers=reader
            )
            if response.status_code == 200:
                progress = response.json()
                if progress["enrollments"]:
                    break
            await asyncio.sleep(0.2)
    assert [e["enrollment_id"] for e in progress["enrollments"]] == [
        enrolled["enrollment_id"]
    ]
    row = progress["enrollments"][0]
    assert row["package_id"] == package["package_id"]
    assert row["lapas_code"] == LAPAS["code"]
    assert progress["data_as_of"]

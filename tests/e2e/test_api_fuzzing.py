"""Schemathesis (--checks all, every phase) finds nothing on any running service.

The three services run as processes on real Kafka and PostgreSQL (``e2e_system``),
with a certified officer of the Padang pilot seeded over HTTP first, whose ids the
fuzzer mixes into the values it generates.
LINTAS_FUZZ_MAX_EXAMPLES=200 gives a longer fuzz run; LINTAS_FUZZ_SEED=random (or a
number) changes the fixed seed; LINTAS_FUZZ_REPORT_DIR keeps the reports.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import RunningSystem
from tests.e2e.fuzzing_support import FuzzSettings, run_schemathesis
from tests.support.identity import Identity

# Test cases per operation and phase: with the bound at 10 the three services take
# one to two minutes on two idle cores.
MAX_EXAMPLES = 10
SEED = 20261201

pytestmark = pytest.mark.e2e

# The fuzzer acts as this unit and role on every service (its bearer token, the one
# place that says who the fuzzer is); seeding acts as each unit would.
FUZZ_AS = ("BPVP-PADANG", "operator")
BPVP = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}
KEJURUAN = "TEKNIK_LAS"


@pytest.fixture(scope="module")
def pilot(e2e_system: RunningSystem, identity: Identity) -> Pilot:
    """One agreement, package, enrollment and certificate, visible in reporting."""
    return seed_pilot(e2e_system, identity)


@pytest.fixture(scope="module")
def report_root() -> Iterator[Path]:
    """Where the reports go: LINTAS_FUZZ_REPORT_DIR if set, else a temporary folder."""
    kept = os.environ.get("LINTAS_FUZZ_REPORT_DIR")
    if kept:
        yield Path(kept)
        return
    with tempfile.TemporaryDirectory(prefix="lintas-fuzz-") as folder:
        yield Path(folder)


@pytest.mark.parametrize("service", ["enrollment", "certification", "reporting"])
def test_schemathesis_reports_no_failure_on_the_running_service(
    service: str,
    e2e_system: RunningSystem,
    identity: Identity,
    pilot: Pilot,
    report_root: Path,
) -> None:
    settings = FuzzSettings.from_env(MAX_EXAMPLES, SEED)
    result = run_schemathesis(
        service,
        getattr(e2e_system, service),
        report_root / service,
        settings,
        known_values(service, pilot),
        identity.headers(*FUZZ_AS),
    )
    print(f"\n{result.summary()}")
    assert result.operations > 0, result.describe()
    assert result.clean, result.describe()


@dataclass(frozen=True)
class Pilot:
    """Real objects the fuzzer can reach: one certified officer of the Padang pilot."""

    agreement_id: str
    package_id: str
    enrollment_id: str
    nip: str
    certificate_number: str


def fictitious_nip() -> str:
    """A valid-looking NIP nobody has: born 1980-1995, appointed at 25, random sequence."""
    born = date(1980, 1, 1) + timedelta(days=random.randrange(0, 15 * 365))
    sequence = f"{random.choice('12')}{random.randrange(1, 999):03d}"
    return f"{born:%Y%m%d}{born.year + 25}{born.month:02d}{sequence}"


def seed_pilot(
    system: RunningSystem, identity: Identity, timeout: float = 90.0
) -> Pilot:
    """Agreement, package, enrollment, completion and K/K assessments over HTTP.

    Waits until certification knows the enrollment and reporting shows the officer,
    so that GET endpoints and the stateful phase find real objects.
    """
    as_lapas = identity.headers("LAPAS-IIA-PADANG", "operator")
    as_blk = identity.headers("BPVP-PADANG", "operator")
    as_assessor = identity.headers("LSP-P2-BPVP-PADANG", "assessor")
    today = date.today()
    start, end = today - timedelta(days=75), today - timedelta(days=15)
    nip = fictitious_nip()
    with httpx.Client(base_url=system.enrollment, timeout=20) as enrollment:
        agreement = _post(
            enrollment,
            "/agreements",
            {
                "number": f"PKS/{uuid.uuid4().hex[:6]}/2026",
                "lapas": LAPAS,
                "blk": BPVP,
                "kejuruan": [KEJURUAN],
                "valid_from": (start - timedelta(days=30)).isoformat(),
                "valid_until": (end + timedelta(days=365)).isoformat(),
            },
            as_lapas,
        )
        # In force once the BLK has countersigned (enrollment's two-party rule).
        _post(
            enrollment, f"/agreements/{agreement['agreement_id']}/signature", {}, as_blk
        )
        package = _post(
            enrollment,
            "/packages",
            {
                "code": f"PDG-LAS-{uuid.uuid4().hex[:6].upper()}",
                "title": "Welding SMAW + metodologi",
                "blk": BPVP,
                "kejuruan": KEJURUAN,
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
        enrolled = _post(
            enrollment,
            f"/packages/{package['package_id']}/enrollments",
            {
                "nip": nip,
                "name": "Rahmat Hidayat",
                "position": "Petugas Pembinaan",
                "lapas_code": LAPAS["code"],
                "agreement_id": agreement["agreement_id"],
                "enrolled_on": (start - timedelta(days=7)).isoformat(),
            },
            as_lapas,
        )
    record = f"/enrollments/{enrolled['enrollment_id']}"
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=system.certification, timeout=20) as certification:
        # Certification learns of the enrollment from Kafka: a retryable 409 until then.
        completion = {"completed_on": end.isoformat(), "attended_jp": 300}
        _post(certification, f"{record}/completion", completion, as_blk, deadline)
        outcome: dict = {}
        for kind, day in (("TECHNICAL", 1), ("METHODOLOGY", 2)):
            assessment = {
                "kind": kind,
                "result": "K",
                "lsp": "LSP Pelatihan Kerja Padang",
                "assessed_on": (end + timedelta(days=day)).isoformat(),
                "skkni_units": ["C.25LAS01.001.1"],
            }
            outcome = _post(
                certification, f"{record}/assessments", assessment, as_assessor
            )
    _wait_for_officer(system.reporting, nip, as_lapas, deadline)
    return Pilot(
        agreement_id=agreement["agreement_id"],
        package_id=package["package_id"],
        enrollment_id=enrolled["enrollment_id"],
        nip=nip,
        certificate_number=outcome["certificate"]["certificate_number"],
    )


def _post(
    client: httpx.Client,
    path: str,
    body: dict,
    actor: dict[str, str],
    deadline: float | None = None,
) -> dict:
    headers = {**actor, "Idempotency-Key": f"fuzz-seed-{uuid.uuid4()}"}
    while True:
        answer = client.post(path, json=body, headers=headers)
        if not _retryable(answer) or deadline is None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert answer.status_code in (200, 201), f"seeding {path}: {answer.text}"
    return dict(answer.json())


def _retryable(answer: httpx.Response) -> bool:
    if answer.status_code != 409:
        return False
    try:
        return bool(answer.json().get("retryable"))
    except ValueError:  # not JSON: the assertion after the loop shows it
        return False


def _wait_for_officer(
    reporting: str, nip: str, reader: dict[str, str], deadline: float
) -> None:
    with httpx.Client(base_url=reporting, timeout=10) as client:
        while time.monotonic() < deadline:
            # The NIP goes in the body, never in a URL; the reader's scope applies.
            answer = client.post(
                "/api/v1/officers/lookup", json={"nip": nip}, headers=reader
            )
            if answer.status_code == 200 and answer.json().get("enrollments"):
                return
            time.sleep(0.3)
    raise AssertionError("reporting never showed the seeded officer")


def known_values(service: str, pilot: Pilot) -> dict[str, list[str]]:
    """Real values per parameter ("path.name", "query.name") of one service."""
    units = {"lapas": [LAPAS["code"]], "blk": [BPVP["code"]]}
    per_service = {
        "enrollment": {
            "path.agreement_id": [pilot.agreement_id],
            "path.package_id": [pilot.package_id],
            "path.enrollment_id": [pilot.enrollment_id],
            "path.blk_code": units["blk"],
            "path.nip": [pilot.nip],
            "query.lapas_code": units["lapas"],
            "query.blk_code": units["blk"],
        },
        "certification": {
            "path.enrollment_id": [pilot.enrollment_id],
            "path.certificate_number": [pilot.certificate_number],
            "query.number": [pilot.certificate_number],
            "path.nip": [pilot.nip],
        },
        "reporting": {
            "path.nip": [pilot.nip],
            "query.nip": [pilot.nip],
            "query.lapas": units["lapas"],
            "query.blk": units["blk"],
            "query.province": [LAPAS["province"]],
        },
    }
    return per_service[service]

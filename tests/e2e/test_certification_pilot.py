"""The certification pilot loader over the public APIs: several certified, and rerun-safe."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from lintas_deploy.personas import Persona
from lintas_deploy.pilot_certification import load
from lintas_shared.identity import Agency, Role, UnitKind
from tests.e2e.conftest import RunningSystem
from tests.support.identity import Identity
from tests.unit.certification.certification_factories import NAMES, random_nip

pytestmark = pytest.mark.e2e

LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}


def _blk_operator(code: str) -> Persona:
    """The operator of a BLK of the test's own (the pilot's personas have one BLK)."""
    return Persona(
        f"test-{code.lower()}-operator",
        "Operator, BPVP Uji (tests)",
        "kemnaker",
        Agency.KEMNAKER,
        code,
        UnitKind.BLK,
        frozenset({Role.OPERATOR}),
        "Sumatera Barat",
    )


def _tokens(identity: Identity, blk_code: str) -> Callable[[str], str]:
    """Tokens as the pilot loader asks for them: by unit (the BLK, its LSP, the Lapas)."""

    def token(unit: str) -> str:
        if unit == blk_code:
            return identity.token_of(_blk_operator(blk_code))
        role = "assessor" if unit.startswith("LSP-") else "operator"
        return identity.token(unit, role)

    return token


def _post(client: httpx.Client, url: str, body: dict[str, Any], token: str) -> Any:
    answer = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _open_blk(
    client: httpx.Client, today: date, identity: Identity
) -> tuple[str, list[list[str]]]:
    """A BLK of its own (so other tests' packages stay out), packages and enrollments."""
    blk = {
        "code": f"BPVP-T{uuid.uuid4().hex[:6].upper()}",
        "name": "BPVP Uji",
        "province": "Sumatera Barat",
    }
    tokens = _tokens(identity, blk["code"])
    lapas = tokens(LAPAS["code"])
    start, end = today - timedelta(days=90), today - timedelta(days=30)
    trades = ["MEUBEL", "TEKNIK_LAS", "BARISTA", "PROCESSING"]
    agreement = _post(
        client,
        "/agreements",
        {
            "number": f"PKS/{uuid.uuid4().hex[:6]}",
            "lapas": LAPAS,
            "blk": blk,
            "kejuruan": trades,
            "valid_from": (start - timedelta(days=60)).isoformat(),
            "valid_until": (today + timedelta(days=400)).isoformat(),
        },
        lapas,
    )
    # In force once the BLK has countersigned (enrollment's two-party rule).
    countersigned = client.post(
        f"/agreements/{agreement['agreement_id']}/signature",
        headers={"Authorization": f"Bearer {tokens(blk['code'])}"},
    )
    assert countersigned.status_code == 200, countersigned.text
    plan = [  # kejuruan, track, officers, starts in the future
        ("MEUBEL", "INSTRUCTOR", 7, False),
        ("TEKNIK_LAS", "INSTRUCTOR", 3, False),
        ("PROCESSING", "RESKILLING", 2, False),
        ("BARISTA", "INSTRUCTOR", 2, True),
    ]
    rosters = []
    for kejuruan, track, officers, future in plan:
        first = today + timedelta(days=30) if future else start
        last = first + timedelta(days=60)
        package = _post(
            client,
            "/packages",
            {
                "code": f"T-{kejuruan[:6]}-{uuid.uuid4().hex[:4].upper()}",
                "title": f"{kejuruan} pilot",
                "blk": blk,
                "kejuruan": kejuruan,
                "track": track,
                "start_date": first.isoformat(),
                "end_date": (last if future else end).isoformat(),
                "jp_technical": 240,
                "jp_methodology": 80 if track == "INSTRUCTOR" else 0,
                "seats": 16,
                "skkni_units": ["C.16MEB01.001.1"],
            },
            tokens(blk["code"]),
        )
        enrolled = [
            _post(
                client,
                f"/packages/{package['package_id']}/enrollments",
                {
                    "nip": random_nip(),
                    "name": NAMES[n % len(NAMES)],
                    "position": "Petugas Pembinaan",
                    "lapas_code": LAPAS["code"],
                    "agreement_id": agreement["agreement_id"],
                    "enrolled_on": (
                        None if future else (start - timedelta(days=5)).isoformat()
                    ),
                },
                lapas,
            )["enrollment_id"]
            for n in range(officers)
        ]
        rosters.append(enrolled)
    return blk["code"], rosters


def test_pilot_certifies_several_officers_and_a_second_run_changes_nothing(
    e2e_system: RunningSystem, identity: Identity
) -> None:
    today = date.today()
    with httpx.Client(base_url=e2e_system.enrollment, timeout=15) as enrollment:
        blk_code, rosters = _open_blk(enrollment, today, identity)
    tokens = _tokens(identity, blk_code)
    as_blk = {"Authorization": f"Bearer {tokens(blk_code)}"}

    first = load(
        e2e_system.enrollment,
        e2e_system.certification,
        blk_code=blk_code,
        tokens=tokens,
    )
    with httpx.Client(
        base_url=e2e_system.certification, timeout=15, headers=as_blk
    ) as certification:
        records = [
            certification.get(f"/enrollments/{eid}/training-record").json()
            for eid in rosters[0] + rosters[1]
        ]
        second = load(
            e2e_system.enrollment,
            e2e_system.certification,
            blk_code=blk_code,
            tokens=tokens,
        )
        again = [
            certification.get(f"/enrollments/{eid}/training-record").json()
            for eid in rosters[0] + rosters[1]
        ]
        code = certification.get(
            "/certificates", params={"number": first.certified[0]}
        ).json()["verification_code"]
        check = httpx.get(f"{e2e_system.certification}/certificates/{code}").json()

    # Seven stories repeat: four of each seven certify, one of each seven waits.
    assert first.officers == 10
    assert first.completed == 6 + 3
    assert len(first.certified) == 4 + 3
    assert len(first.skipped_packages) == 1
    assert "still running" in first.skipped_packages[0]
    assert second == first
    assert again == records
    assert sum(r["certificate"] is not None for r in records) == 7
    bk_then_k = [
        r
        for r in records
        if [a["result"] for a in r["assessments"]] == ["BK", "K", "K"]
    ]
    assert bk_then_k and all(r["certificate"] for r in bk_then_k)
    low = [r for r in records if r["unmet_requirements"] == ["attendance"]]
    assert len(low) == 1
    assert check["status"] == "valid" and check["blk"]["code"] == blk_code

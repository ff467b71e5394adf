"""The authorization matrix's callers (real tokens) and the pilot objects its cells act on."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from lintas_deploy.personas import persona
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.identity import Agency, Principal
from lintas_shared.identity.principal import PrincipalKind, Role, UnitKind
from tests.support.identity import Identity
from tests.unit.certification.certification_factories import random_nip

LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}
BLK = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
SUMUT = "Sumatera Utara"
TODAY = date.today()
START, END = TODAY - timedelta(days=75), TODAY - timedelta(days=15)

# Pilot personas acting on the pilot's own units (Lapas Padang, BPVP Padang, TEKNIK_LAS).
OWN = {
    "lapas-operator": "lapas-padang-operator",
    "blk-operator": "bpvp-padang-operator",
    "lsp-assessor": "lsp-assessor",
    "kemnaker-centre-operator": "kemnaker-centre-operator",
    "kanwil-analyst": "kanwil-sumbar-analyst",
    "centre-analyst": "ditjenpas-centre-analyst",
    "ditjenpas-dpo": "ditjenpas-dpo",
    "kemnaker-dpo": "kemnaker-dpo",
    "ditjenpas-auditor": "ditjenpas-auditor",
    "kemnaker-auditor": "kemnaker-auditor",
    "lapas-system": "sdp-lapas-padang",
    "blk-system": "training-system-bpvp-padang",
}


def _other(
    unit: str,
    agency: Agency,
    unit_kind: UnitKind,
    role: Role,
    province: str | None,
    *,
    client: bool = False,
    kejuruan: frozenset[Kejuruan] = frozenset(),
) -> Principal:
    return Principal(
        subject=str(uuid.uuid5(uuid.NAMESPACE_URL, f"lintas-matrix/{unit}/{role}")),
        kind=PrincipalKind.CLIENT if client else PrincipalKind.PERSON,
        agency=agency,
        unit=unit,
        unit_kind=unit_kind,
        province=province,
        roles=frozenset({role}),
        kejuruan=kejuruan,
        issuer="minted-by-the-identity-fixture",
    )


_DJP, _KMN, OP = Agency.DITJENPAS, Agency.KEMNAKER, Role.OPERATOR
# The same roles at another unit (no pilot persona for most): the Bukittinggi Lapas,
# BBPVP Medan, an LSP accredited for another trade, the Kanwil of another province.
OTHER = {
    "lapas-operator": _other(
        "LAPAS-IIA-BUKITTINGGI", _DJP, UnitKind.LAPAS, OP, "Sumatera Barat"
    ),
    "blk-operator": _other("BBPVP-MEDAN", _KMN, UnitKind.BLK, OP, SUMUT),
    "lsp-assessor": _other(
        "LSP-P1-OTOMOTIF-MEDAN",
        Agency.LSP,
        UnitKind.LSP,
        Role.ASSESSOR,
        SUMUT,
        kejuruan=frozenset({Kejuruan.TEKNIK_OTOMOTIF}),
    ),
    "kanwil-analyst": _other(
        "KANWIL-DITJENPAS-SUMUT", _DJP, UnitKind.KANWIL, Role.ANALYST, SUMUT
    ),
    "lapas-system": _other(
        "LAPAS-IIA-BUKITTINGGI",
        _DJP,
        UnitKind.LAPAS,
        OP,
        "Sumatera Barat",
        client=True,
    ),
    "blk-system": _other("BBPVP-MEDAN", _KMN, UnitKind.BLK, OP, SUMUT, client=True),
}
NO_TOKEN = "anonymous/none"


def columns() -> list[str]:
    """Every caller of the matrix: `<role>/own`, `<role>/other`, and no token."""
    return [f"{r}/own" for r in OWN] + [f"{r}/other" for r in OTHER] + [NO_TOKEN]


def headers_of(identity: Identity, column: str) -> dict[str, str]:
    """The caller's Authorization header (none for the anonymous column)."""
    if column == NO_TOKEN:
        return {}
    role, where = column.split("/")
    own = where == "own"
    token = (
        identity.persona_token(OWN[role]) if own else identity.token_for(OTHER[role])
    )
    return {"Authorization": f"Bearer {token}"}


def unit_of(column: str) -> str:
    """The unit the caller's token names (for the actor checks)."""
    role, where = column.split("/")
    if where == "own":
        return persona(OWN[role]).unit
    return OTHER[role].unit


async def ok(answer: Awaitable[httpx.Response]) -> dict[str, Any]:
    response = await answer
    assert response.is_success, response.text
    return dict(response.json())


@dataclass
class Pilot:
    """The objects the matrix's cells act on, created through the API."""

    system: Any
    identity: Identity
    enrollment: httpx.AsyncClient
    certification: httpx.AsyncClient
    agreement_id: str = ""
    package_id: str = ""
    future_package: dict[str, Any] = field(default_factory=dict)
    nip: str = ""
    enrollment_id: str = ""
    certificate_number: str = ""
    verification_code: str = ""

    def h(self, column: str) -> dict[str, str]:
        return headers_of(self.identity, column)

    @property
    def as_lapas(self) -> dict[str, str]:
        return self.h("lapas-operator/own")

    @property
    def as_blk(self) -> dict[str, str]:
        return self.h("blk-operator/own")

    async def sign(self, first: str = "lapas-operator/own", both: bool = True) -> str:
        """A fresh Padang–BPVP agreement signed by `first` (and the other party)."""
        body = {
            "number": f"PKS/M/{uuid.uuid4().hex[:8]}/2026",
            "lapas": LAPAS,
            "blk": BLK,
            "kejuruan": ["TEKNIK_LAS"],
            "valid_from": (START - timedelta(days=30)).isoformat(),
            "valid_until": (END + timedelta(days=365)).isoformat(),
        }
        signed = await ok(
            self.enrollment.post("/agreements", json=body, headers=self.h(first))
        )
        agreement_id = str(signed["agreement_id"])
        if both:
            second = self.as_blk if first.startswith("lapas") else self.as_lapas
            await ok(
                self.enrollment.post(
                    f"/agreements/{agreement_id}/signature", headers=second
                )
            )
        return agreement_id

    def package_body(self, future: bool = False, seats: int = 16) -> dict[str, Any]:
        start, end = (TODAY + timedelta(days=30), TODAY + timedelta(days=90))
        if not future:
            start, end = START, END
        return {
            "code": f"M-LAS-{uuid.uuid4().hex[:6].upper()}",
            "title": "Welding SMAW + metodologi",
            "blk": BLK,
            "kejuruan": "TEKNIK_LAS",
            "track": "INSTRUCTOR",
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "jp_technical": 240,
            "jp_methodology": 80,
            "seats": seats,
            "skkni_units": ["C.25LAS01.001.1"],
        }

    async def open(self, future: bool = True, seats: int = 16) -> str:
        """A fresh BPVP Padang package (starting in a month unless `future` is off)."""
        body = self.package_body(future, seats)
        opened = await ok(
            self.enrollment.post("/packages", json=body, headers=self.as_blk)
        )
        return str(opened["package_id"])

    def enrolment_body(self, nip: str | None = None) -> dict[str, Any]:
        return {
            "nip": nip or random_nip(),
            "name": "Rahmat Hidayat",
            "position": "Petugas Pembinaan",
            "lapas_code": LAPAS["code"],
            "agreement_id": self.agreement_id,
            "enrolled_on": (START - timedelta(days=7)).isoformat(),
        }

    async def enrol(self, package_id: str | None = None) -> tuple[str, str]:
        """A fresh officer of Lapas Padang enrolled (in the shared package): (id, NIP)."""
        body = self.enrolment_body()
        done = await ok(
            self.enrollment.post(
                f"/packages/{package_id or self.package_id}/enrollments",
                json=body,
                headers=self.as_lapas,
            )
        )
        return str(done["enrollment_id"]), str(body["nip"])

    async def complete(self, enrollment_id: str) -> None:
        """The BLK records the completion, once certification knows the enrollment."""
        body = {"completed_on": END.isoformat(), "attended_jp": 300}
        deadline = time.monotonic() + 60
        while True:
            answer = await self.certification.post(
                f"/enrollments/{enrollment_id}/completion",
                json=body,
                headers=self.as_blk,
            )
            retry = answer.status_code in (404, 409) and answer.json().get("retryable")
            if not retry or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.3)
        assert answer.status_code == 201, answer.text

    def assessment(self, kind: str, result: str, days: int) -> dict[str, Any]:
        return {
            "kind": kind,
            "result": result,
            "lsp": "LSP Pelatihan Kerja Padang",
            "assessed_on": (END + timedelta(days=days)).isoformat(),
            "skkni_units": ["C.25LAS01.001.1"],
        }

    async def certify(self, enrollment_id: str) -> str:
        """Completion and both K results by the LSP assessor: the certificate number."""
        await self.complete(enrollment_id)
        assessor = self.h("lsp-assessor/own")
        outcome: dict[str, Any] = {}
        for kind, days in (("METHODOLOGY", 2), ("TECHNICAL", 9)):
            outcome = await ok(
                self.certification.post(
                    f"/enrollments/{enrollment_id}/assessments",
                    json=self.assessment(kind, "K", days),
                    headers=assessor,
                )
            )
        return str(outcome["certificate"]["certificate_number"])


Factory = Callable[[Pilot], Awaitable[dict[str, Any]]]

"""Certification on real PostgreSQL with real tokens: who may record, assess, revoke, read.

Tokens come from the two local issuers (Ditjenpas, Kemnaker) of the session; the app is
the service's own, with its verifier, its audit trail and its public rate limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from certification.adapters.http.rate_limit import RateLimiter
from certification.adapters.postgres.enrollment_view import apply_event
from certification.application.context import CertificationContext
from lintas_deploy.personas import Persona, persona
from lintas_shared.contracts import Kejuruan
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.identity import TokenVerifier
from tests.integration.certification.conftest import (  # noqa: F401 (fixtures)
    cert_pool,
    clock,
    context,
    verifier,
)
from tests.integration.certification.support import (
    ASSESSOR,
    AUDITOR,
    BLK_OPERATOR,
    CENTRE_OPERATOR,
    LAPAS_OPERATOR,
    LAS_ASSESSOR,
    OTHER_BLK,
    bearer,
    http_app,
)
from tests.support.identity import Identity
from tests.unit.certification.certification_factories import END, officer_enrolled

pytestmark = pytest.mark.integration

BURST = 5
DONE = {"completed_on": END.isoformat(), "attended_jp": 320}


def assessed(kind: str, units: str = "C.25LAS01.001.1") -> dict[str, Any]:
    return {
        "kind": kind,
        "result": "K",
        "lsp": "LSP P2 BPVP Padang",
        "assessed_on": "2026-05-04",
        "skkni_units": [units],
    }


class Api:
    """The app, and a caller per principal (or none at all)."""

    def __init__(self, client: httpx.AsyncClient, identity: Identity) -> None:
        self.client = client
        self.identity = identity

    def as_(self, who: Persona | tuple[str, str] | None) -> dict[str, str]:
        return {} if who is None else bearer(self.identity, who)

    async def post(
        self, who: Persona | tuple[str, str] | None, url: str, body: dict[str, Any]
    ) -> httpx.Response:
        return await self.client.post(url, json=body, headers=self.as_(who))

    async def get(
        self, who: Persona | tuple[str, str] | None, url: str, **params: str
    ) -> httpx.Response:
        return await self.client.get(url, headers=self.as_(who), params=params)


@pytest.fixture
async def api(
    cert_pool: asyncpg.Pool,  # noqa: F811
    context: CertificationContext,  # noqa: F811
    verifier: TokenVerifier,  # noqa: F811
    identity: Identity,
) -> AsyncIterator[Api]:
    app = http_app(context, cert_pool, verifier, RateLimiter(60, BURST))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield Api(client, identity)


async def _known(pool: asyncpg.Pool, **kwargs: Any) -> OfficerEnrolled:
    enrolled = officer_enrolled(**kwargs)
    async with pool.acquire() as conn:
        await apply_event(conn, enrolled)
    return enrolled


async def _certified(api: Api, pool: asyncpg.Pool) -> tuple[OfficerEnrolled, str]:
    """A TEKNIK_LAS instructor certified at BPVP Padang; its certificate number."""
    enrolled = await _known(pool, kejuruan=Kejuruan.TEKNIK_LAS)
    base = f"/enrollments/{enrolled.enrollment_id}"
    assert (await api.post(BLK_OPERATOR, f"{base}/completion", DONE)).is_success
    assert await api.post(ASSESSOR, f"{base}/assessments", assessed("TECHNICAL"))
    last = await api.post(
        LAS_ASSESSOR, f"{base}/assessments", assessed("METHODOLOGY", "I.563030.006.01")
    )
    assert last.status_code == 201, last.text
    return enrolled, str(last.json()["certificate"]["certificate_number"])


def _refused(answer: httpx.Response, status: int, rule: str) -> None:
    assert answer.status_code == status, answer.text
    problem = answer.json()
    assert problem["type"].endswith(f"/{rule}")
    assert problem["errors"][0]["rule"] == rule


async def _events(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM events"))


async def test_a_lapas_operator_records_neither_completions_nor_assessments(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    enrolled = await _known(cert_pool)
    base = f"/enrollments/{enrolled.enrollment_id}"
    # A claimed BLK in the old headers changes nothing: only the token counts.
    pretending = {**api.as_(LAPAS_OPERATOR), "X-Actor-Agency": "KEMNAKER"}
    pretending["X-Actor-Unit"] = "BPVP-PADANG"

    completion = await api.client.post(
        f"{base}/completion", json=DONE, headers=pretending
    )
    assessment = await api.post(
        LAPAS_OPERATOR, f"{base}/assessments", assessed("TECHNICAL")
    )

    _refused(completion, 403, "blk-owns-package")
    _refused(assessment, 403, "assessor-accredited-for-kejuruan")
    assert await _events(cert_pool) == 0
    denied = await cert_pool.fetch(
        "SELECT action, outcome, unit FROM audit_log ORDER BY id"
    )
    assert [tuple(r) for r in denied] == [
        ("training.complete", "denied", "LAPAS-IIA-PADANG"),
        ("competency.assess", "denied", "LAPAS-IIA-PADANG"),
    ]


async def test_an_assessor_assesses_only_the_kejuruan_it_is_accredited_for(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    barista = await _known(cert_pool, kejuruan=Kejuruan.BARISTA)
    welding = await _known(cert_pool, kejuruan=Kejuruan.TEKNIK_LAS)

    refused = await api.post(
        LAS_ASSESSOR,
        f"/enrollments/{barista.enrollment_id}/assessments",
        assessed("TECHNICAL"),
    )
    allowed = await api.post(
        LAS_ASSESSOR,
        f"/enrollments/{welding.enrollment_id}/assessments",
        assessed("TECHNICAL"),
    )

    _refused(refused, 403, "assessor-accredited-for-kejuruan")
    assert "TEKNIK_LAS" in refused.json()["detail"]
    assert allowed.status_code == 201, allowed.text
    assert await _events(cert_pool) == 1


async def test_a_blk_operator_assesses_only_where_the_package_says_so(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    enrolled = await _known(cert_pool)
    url = f"/enrollments/{enrolled.enrollment_id}/assessments"

    refused = await api.post(BLK_OPERATOR, url, assessed("TECHNICAL"))
    await cert_pool.execute(
        "INSERT INTO packages (package_id, blk_assesses) VALUES ($1, true)"
        " ON CONFLICT (package_id) DO UPDATE SET blk_assesses = true",
        enrolled.package_id,
    )
    allowed = await api.post(BLK_OPERATOR, url, assessed("TECHNICAL"))
    other_blk = await api.post(OTHER_BLK, url, assessed("TECHNICAL"))

    _refused(refused, 403, "blk-assesses-where-package-says")
    assert allowed.status_code == 201, allowed.text
    _refused(other_blk, 403, "blk-assesses-where-package-says")
    assert "BPVP-PADANG" in other_blk.json()["detail"]


async def test_another_blk_neither_completes_nor_revokes_for_bpvp_padang(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    _, number = await _certified(api, cert_pool)
    other = await _known(cert_pool)
    before = await _events(cert_pool)

    completion = await api.post(
        OTHER_BLK, f"/enrollments/{other.enrollment_id}/completion", DONE
    )
    revocation = await api.post(
        OTHER_BLK, "/revocations", {"certificate_number": number, "reason": "uji"}
    )

    _refused(completion, 403, "blk-owns-package")
    _refused(revocation, 403, "issuing-blk-revokes")
    assert await _events(cert_pool) == before
    status = await cert_pool.fetchval(
        "SELECT status FROM certificates WHERE certificate_number = $1", number
    )
    assert status == "valid"


async def test_the_centre_revokes_and_the_event_names_the_principal(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    _, number = await _certified(api, cert_pool)

    revoked = await api.post(
        CENTRE_OPERATOR,
        "/revocations",
        {"certificate_number": number, "reason": "pelanggaran disiplin"},
    )

    assert revoked.status_code == 201, revoked.text
    meta = await cert_pool.fetchval(
        "SELECT metadata FROM events WHERE type = 'lintas.CertificationRevoked.v1'"
    )
    assert meta["actor_agency"] == "KEMNAKER"
    assert meta["actor_unit"] == "KEMNAKER-PUSAT"
    assert meta["actor_subject"] == persona("kemnaker-centre-operator").subject


async def test_no_token_is_401_for_commands_and_officer_reads(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    enrolled = await _known(cert_pool)
    base = f"/enrollments/{enrolled.enrollment_id}"

    answers = [
        await api.post(None, f"{base}/completion", DONE),
        await api.post(None, "/revocations", {"certificate_number": "LNT/X/Y/1"}),
        await api.get(None, f"{base}/training-record"),
        await api.get(None, f"/officers/{enrolled.officer.nip}/certificates"),
        await api.get(None, "/certificates", number="LNT/BPVP-PADANG/X/2026/1"),
        await api.get(None, "/audit"),
    ]

    for answer in answers:
        assert answer.status_code == 401, answer.text
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert await _events(cert_pool) == 0


async def test_officer_level_reads_stay_within_the_readers_scope(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    enrolled, number = await _certified(api, cert_pool)
    record = f"/enrollments/{enrolled.enrollment_id}/training-record"
    mine = f"/officers/{enrolled.officer.nip}/certificates"

    by_lapas = await api.get(LAPAS_OPERATOR, record)
    by_bukittinggi = await api.get(("LAPAS-IIA-BUKITTINGGI", "operator"), record)
    by_other_blk = await api.get(OTHER_BLK, "/certificates", number=number)
    listed_to_other_blk = await api.get(OTHER_BLK, mine)
    listed_to_lapas = await api.get(LAPAS_OPERATOR, mine)
    by_assessor = await api.get(ASSESSOR, mine)

    assert by_lapas.status_code == 200
    _refused(by_bukittinggi, 403, "lapas-sees-own-officers")
    _refused(by_other_blk, 403, "blk-sees-own-trainees")
    assert listed_to_other_blk.json() == []
    assert [c["certificate_number"] for c in listed_to_lapas.json()] == [number]
    _refused(by_assessor, 403, "officer-rows-need-a-reader-scope")
    reads = await cert_pool.fetch(
        "SELECT action, outcome, scope FROM audit_log"
        " WHERE action LIKE '%.read' ORDER BY id"
    )
    assert [(r["action"], r["outcome"]) for r in reads] == [
        ("training-record.read", "allowed"),
        ("training-record.read", "denied"),
        ("officer.certificates.read", "denied"),
        ("officer.certificates.read", "allowed"),
        ("officer.certificates.read", "allowed"),
        ("officer.certificates.read", "denied"),
    ]
    assert all(enrolled.officer.nip not in str(r["scope"]) for r in reads)


async def test_public_verification_needs_no_token_reveals_little_and_is_rate_limited(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    enrolled, number = await _certified(api, cert_pool)
    view = await api.get(BLK_OPERATOR, "/certificates", number=number)
    code = view.json()["verification_code"]

    check = await api.get(None, f"/certificates/{code}")
    unknown = await api.get(None, f"/certificates/{'A' * 26}")
    by_number = await api.get(None, f"/certificates/{number.replace('/', '%2F')}")
    rest = [await api.get(None, f"/certificates/{code}") for _ in range(BURST)]

    assert check.status_code == 200, check.text
    assert check.json()["status"] == "valid"
    assert check.json()["kejuruan"] == "TEKNIK_LAS"
    assert check.json()["blk"] == {"code": "BPVP-PADANG", "name": "BPVP Padang"}
    assert check.json()["certificate_number"] == number
    assert enrolled.officer.nip not in check.text
    assert enrolled.officer.name not in check.text
    assert "LAPAS" not in check.text.upper()
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no certificate has this verification code"
    assert by_number.status_code == 404  # a number is no code: nothing to list
    # The burst covers the first two checks and three more; then 429 with Retry-After.
    assert [r.status_code for r in rest] == [200] * (BURST - 2) + [429] * 2
    limited = rest[-1]
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["type"].endswith("/too-many-requests")


async def test_only_the_auditor_reads_the_trail_of_these_attempts(
    api: Api,
    cert_pool: asyncpg.Pool,  # noqa: F811
) -> None:
    enrolled = await _known(cert_pool)
    await api.post(
        LAPAS_OPERATOR, f"/enrollments/{enrolled.enrollment_id}/completion", DONE
    )

    trail = await api.get(AUDITOR, "/audit", action="training.complete")
    by_operator = await api.get(BLK_OPERATOR, "/audit")

    assert trail.status_code == 200, trail.text
    (entry,) = trail.json()["entries"]
    assert (entry["unit"], entry["outcome"], entry["rule"]) == (
        "LAPAS-IIA-PADANG",
        "denied",
        "blk-owns-package",
    )
    assert entry["scope"]["blk"] == "BPVP-PADANG"
    assert enrolled.officer.nip not in trail.text
    _refused(by_operator, 403, "auditor-reads-audit-trail")

"""The enrollment service as it runs (build_app, PostgreSQL, Kafka) with real tokens.

Tokens come from the session's two local issuers; the app verifies them against their
published keys. A Lapas operator acts only for its own officers, never for a BLK's
packages or for agreements it is not party to; every attempt is in the audit trail.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest

from enrollment.bootstrap import build_app
from enrollment.settings import EnrollmentSettings
from lintas_deploy.issuer.token_command import choose
from lintas_deploy.pilot_data import BLK, LAPAS_BUKITTINGGI, LAPAS_PADANG
from lintas_shared.contracts.units import UnitRef
from lintas_shared.db import create_pool
from lintas_shared.kafka_security import KafkaSecurity
from tests.support.identity import Identity
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.integration

PADANG, BUKITTINGGI, BPVP = (
    UnitRef(**LAPAS_PADANG),
    UnitRef(**LAPAS_BUKITTINGGI),
    UnitRef(**BLK),
)


@dataclass
class Service:
    client: httpx.AsyncClient
    identity: Identity
    pool: asyncpg.Pool

    def as_(self, unit: str, role: str = "operator") -> dict[str, str]:
        return self.identity.headers(unit, role)

    async def post(
        self, path: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> httpx.Response:
        return await self.client.post(path, json=body, headers=headers)


@pytest.fixture
async def service(
    fresh_database: str,
    kafka_bootstrap: str,
    kafka_principal: Any,
    identity: Identity,
) -> AsyncIterator[Service]:
    security: KafkaSecurity = kafka_principal("enrollment")
    settings = EnrollmentSettings(
        database_url=fresh_database,
        kafka_bootstrap=kafka_bootstrap,
        kafka_security=security,
        commands_enabled=False,
    )
    app = build_app(settings, identity=identity.settings())
    async with app.router.lifespan_context(app):
        pool = await create_pool(fresh_database, max_size=2)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://enrollment"
            ) as client:
                yield Service(client, identity, pool)
        finally:
            await pool.close()


def _json(model: Any, *exclude: str) -> dict[str, Any]:
    return dict(model.model_dump(mode="json", exclude=set(exclude)))


async def _scene(svc: Service) -> tuple[UUID, UUID, UUID]:
    """Padang's agreement, Bukittinggi's agreement (both in force), one BPVP package."""
    ids = []
    for lapas in (PADANG, BUKITTINGGI):
        signed = await svc.post(
            "/agreements",
            _json(f.sign_agreement(lapas, BPVP)),
            svc.as_(BPVP.code),
        )
        assert signed.status_code == 201, signed.text
        agreement_id = UUID(signed.json()["agreement_id"])
        # In force only once the Lapas has countersigned.
        countersigned = await svc.post(
            f"/agreements/{agreement_id}/signature", None, svc.as_(lapas.code)
        )
        assert countersigned.status_code == 200, countersigned.text
        ids.append(agreement_id)
    opened = await svc.post(
        "/packages", _json(f.open_package(BPVP)), svc.as_(BPVP.code)
    )
    assert opened.status_code == 201, opened.text
    return ids[0], ids[1], UUID(opened.json()["package_id"])


async def _events(svc: Service) -> int:
    return int(await svc.pool.fetchval("SELECT count(*) FROM events"))


def _rule(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["errors"][0]["rule"])


async def test_a_lapas_operator_acts_only_for_its_own_officers(
    service: Service,
) -> None:
    _, bukittinggi_pks, package_id = await _scene(service)
    padang = service.as_(PADANG.code)
    before = await _events(service)

    other_officer = f.enrol(package_id, BUKITTINGGI.code)
    enrol = await service.post(
        f"/packages/{package_id}/enrollments",
        _json(other_officer, "package_id"),
        padang,
    )
    cancel = await service.post(
        f"/packages/{package_id}/cancellation", {"reason": "tidak jadi"}, padang
    )
    close = await service.post(f"/packages/{package_id}/closure", None, padang)
    open_ = await service.post("/packages", _json(f.open_package(BPVP)), padang)
    terminate = await service.post(
        f"/agreements/{bukittinggi_pks}/termination", {"reason": "bukan milik"}, padang
    )

    assert enrol.status_code == 403 and _rule(enrol) == "lapas-acts-for-own-officers"
    assert "LAPAS-IIA-BUKITTINGGI" in enrol.json()["detail"]
    for refused in (cancel, close, open_):
        assert refused.status_code == 403
        assert _rule(refused) == "blk-owns-package"
    assert terminate.status_code == 403
    assert _rule(terminate) == "party-acts-on-own-agreement"
    assert await _events(service) == before


async def test_no_token_or_a_bad_token_is_401_and_writes_nothing(
    service: Service,
) -> None:
    body = _json(f.sign_agreement(PADANG, BPVP))
    none = await service.post("/agreements", body, {})
    token = service.identity.token(BPVP.code, "operator")
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    bad = await service.post("/agreements", body, {"Authorization": f"Bearer {forged}"})
    read = await service.client.get("/packages")
    assert none.status_code == bad.status_code == read.status_code == 401
    assert none.headers["www-authenticate"] == 'Bearer realm="lintas"'
    assert 'error="invalid_token"' in bad.headers["www-authenticate"]
    assert _rule(bad) == "bad-signature"
    assert await _events(service) == 0


async def test_the_events_actor_is_the_principal_whatever_headers_claim(
    service: Service,
) -> None:
    _, _, package_id = await _scene(service)
    claimed = {"X-Actor-Agency": "HACKER", "X-Actor-Unit": "LAPAS-IIA-BUKITTINGGI"}
    enrolled = await service.post(
        f"/packages/{package_id}/enrollments",
        _json(f.enrol(package_id, PADANG.code), "package_id"),
        service.as_(PADANG.code) | claimed,
    )
    assert enrolled.status_code == 201, enrolled.text
    (event_id,) = enrolled.json()["event_ids"]
    metadata = await service.pool.fetchval(
        "SELECT metadata FROM events WHERE event_id = $1", UUID(event_id)
    )
    assert (metadata["actor_agency"], metadata["actor_unit"]) == (
        "DITJENPAS",
        PADANG.code,
    )
    assert metadata["actor_subject"] == choose(PADANG.code, "operator").subject


async def test_the_audit_trail_shows_allowed_and_denied_to_auditors_only(
    service: Service,
) -> None:
    _, bukittinggi_pks, package_id = await _scene(service)
    padang = service.as_(PADANG.code)
    await service.post(
        f"/packages/{package_id}/enrollments",
        _json(f.enrol(package_id, PADANG.code), "package_id"),
        padang,
    )
    await service.post(
        f"/agreements/{bukittinggi_pks}/termination", {"reason": "bukan milik"}, padang
    )
    roster = await service.client.get(f"/packages/{package_id}/roster", headers=padang)
    assert roster.status_code == 200

    auditor = service.identity.persona_headers("kemnaker-auditor")
    trail = await service.client.get(
        "/audit", params={"unit": PADANG.code}, headers=auditor
    )
    operator = await service.client.get("/audit", headers=padang)

    assert trail.status_code == 200, trail.text
    seen = [(e["action"], e["outcome"], e["rule"]) for e in trail.json()["entries"]]
    assert seen == [
        ("agreement.sign", "allowed", "party-acts-on-own-agreement"),  # countersigned
        ("enrollment.enrol", "allowed", "lapas-acts-for-own-officers"),
        ("agreement.terminate", "denied", "party-acts-on-own-agreement"),
        ("package.roster.read", "allowed", "lapas-sees-own-officers"),
    ]
    assert "nip" not in trail.text.lower()
    for entry in trail.json()["entries"]:
        assert entry["unit"] == PADANG.code and entry["agency"] == "DITJENPAS"
    assert operator.status_code == 403
    assert _rule(operator) == "auditor-reads-audit-trail"
    only_denied = await service.client.get(
        "/audit", params={"action": "agreement.terminate"}, headers=auditor
    )
    assert [e["outcome"] for e in only_denied.json()["entries"]] == ["denied"]


@pytest.mark.parametrize(
    "params",
    [
        {"after": str(2**70)},
        {"from": "9999-12-31T23:59:59-23:59"},
        {"to": "0001-01-01T00:00:00+23:59"},
    ],
    ids=["after-beyond-bigint", "from-beyond-year-9999", "to-before-year-1"],
)
async def test_an_audit_filter_out_of_range_is_a_422_naming_it(
    service: Service, params: dict[str, str]
) -> None:
    auditor = service.identity.persona_headers("kemnaker-auditor")
    answer = await service.client.get("/audit", params=params, headers=auditor)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    (name,) = params
    assert name in answer.text

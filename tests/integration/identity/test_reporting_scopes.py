"""Reporting on real PostgreSQL with real tokens: officer rows only within the scope.

The history is random (seeded) over the synthetic units, so every persona's expected rows
are read straight from the generation's views and compared with what the API, the CSV
export and the officer lookup give that persona.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from lintas_deploy.procs import free_ports
from lintas_shared.db import create_pool
from lintas_shared.identity import Agency, Principal, PrincipalKind, Role, UnitKind
from reporting.adapters.postgres import generations
from reporting.bootstrap import build_app
from reporting.domain.models import MODELS
from reporting.settings import ReportingSettings
from tests.integration.reporting.kafka_support import serving
from tests.integration.reporting.support import project_in_batches
from tests.support.identity import Identity
from tests.support.kafka_login import admin_security
from tests.support.synthetic_history import as_deliveries, history

pytestmark = pytest.mark.integration

SUMBAR, DKI = "Sumatera Barat", "DKI Jakarta"
KEMNAKER_KANWIL = "kemnaker-kanwil-sumbar-analyst"
LAPAS_PADANG, BPVP_PADANG = "LAPAS-IIA-PADANG", "BPVP-PADANG"
OFFICER_MODELS = ("officer_progress", "instructors")
AGGREGATES = sorted(n for n, m in MODELS.items() if not m.officer_level)
# Persona -> which rows of enrollment_status / certificates it may see.
READERS: dict[str, Any] = {
    "lapas-padang-operator": lambda r: r["lapas_code"] == LAPAS_PADANG,
    "bpvp-padang-operator": lambda r: r["blk_code"] == BPVP_PADANG,
    "kanwil-sumbar-analyst": lambda r: r["province"] == SUMBAR,
    # No pilot persona: a Kemnaker Kanwil sees by the BLK's province, not the Lapas's.
    KEMNAKER_KANWIL: lambda r: r["blk_province"] == SUMBAR,
    "ditjenpas-centre-analyst": lambda r: True,
}
KEYS = {"officer_progress": "enrollment_id", "instructors": "certificate_number"}


@dataclass
class World:
    http: httpx.AsyncClient
    identity: Identity
    dsn: str
    truth: dict[str, list[dict[str, Any]]]  # model -> every row, unscoped

    def headers(self, persona: str) -> dict[str, str]:
        if persona == KEMNAKER_KANWIL:
            principal = Principal(
                subject="kanwil-kemnaker-sumbar-analyst-1",
                kind=PrincipalKind.PERSON,
                agency=Agency.KEMNAKER,
                unit="KANWIL-KEMNAKER-SUMBAR",
                unit_kind=UnitKind.KANWIL,
                province=SUMBAR,
                roles=frozenset({Role.ANALYST}),
                issuer=self.identity.urls["kemnaker"],
            )
            return {"Authorization": f"Bearer {self.identity.token_for(principal)}"}
        return self.identity.persona_headers(persona)

    def expected(self, persona: str, model: str) -> set[str]:
        keep = READERS[persona]
        return {str(r[KEYS[model]]) for r in self.truth[model] if keep(r)}


@pytest.fixture
async def world(
    kafka_bootstrap: str, fresh_database: str, identity: Identity
) -> AsyncIterator[World]:
    (port,) = free_ports(1)
    settings = ReportingSettings.model_validate(
        {
            "database_url": fresh_database,
            "kafka_bootstrap": kafka_bootstrap,
            "kafka_security": admin_security(),
            "http_port": port,
            "db_pool_size": 4,
        }
    )
    events = history(random.randrange(10**9), packages=60, officers=6)
    app = build_app(settings, project=False, identity=identity.settings())
    async with serving(app, port) as base:
        pool = await create_pool(fresh_database, max_size=2)
        try:
            async with pool.acquire() as conn:
                schema = await generations.current(conn)
            await project_in_batches(pool, schema, [as_deliveries(events)])
            async with pool.acquire() as conn:
                truth = {
                    "officer_progress": await _all(conn, schema, "enrollment_status"),
                    "instructors": await _all(conn, schema, "certificates"),
                }
        finally:
            await pool.close()
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            yield World(http, identity, fresh_database, truth)


async def _all(conn: asyncpg.Connection, schema: str, view: str) -> list[dict]:
    return [dict(r) for r in await conn.fetch(f"SELECT * FROM {schema}.{view}")]


async def _page_keys(world: World, persona: str, model: str, **params: Any) -> Any:
    answer = await world.http.get(
        f"/api/v1/{model}",
        params={"page_size": 1000, **params},
        headers=world.headers(persona),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body, {str(item[KEYS[model]]) for item in body["items"]}


def _csv(answer: httpx.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


async def test_every_read_without_a_token_or_with_a_bad_one_is_401(
    world: World,
) -> None:
    good = world.identity.persona_token("ditjenpas-centre-analyst")
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    paths = [f"/api/v1/{n}" for n in MODELS] + [f"/export/{n}.csv" for n in MODELS]
    paths += ["/api/v1/models", "/api/v1/generations"]
    for headers in ({}, {"Authorization": f"Bearer {forged}"}, {"Authorization": "x"}):
        for path in paths:
            answer = await world.http.get(path, headers=headers)
            assert answer.status_code == 401, (path, headers, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["www-authenticate"].startswith("Bearer")
        lookup = await world.http.post(
            "/api/v1/officers/lookup", json={"nip": "1" * 18}, headers=headers
        )
        assert lookup.status_code == 401, lookup.text
    # The page itself and its sign-in settings stay public (it has to sign in).
    assert (await world.http.get("/")).status_code == 200
    config = (await world.http.get("/dashboard/config.json")).json()
    assert config["client_id"] == "lintas-dashboard"
    assert {i["issuer"] for i in config["issuers"]} == set(world.identity.urls.values())


@pytest.mark.parametrize("persona", sorted(READERS))
async def test_each_reader_sees_exactly_the_officer_rows_of_its_scope(
    world: World, persona: str
) -> None:
    for model in OFFICER_MODELS:
        expected = world.expected(persona, model)
        body, seen = await _page_keys(world, persona, model)
        assert seen == expected, (persona, model)
        assert body["total"] == len(expected), "totals count only the visible rows"
        # Paging cannot reach beyond the scope either: the last page ends the rows.
        small, _ = await _page_keys(world, persona, model, page_size=2)
        assert small["total"] == len(expected)
    everything = world.expected("ditjenpas-centre-analyst", "officer_progress")
    if persona != "ditjenpas-centre-analyst":
        mine = world.expected(persona, "officer_progress")
        assert 0 < len(mine) < len(everything), "the scope must narrow the rows"


async def test_the_scopes_are_the_units_the_issue_names(world: World) -> None:
    rows = world.truth["officer_progress"]
    lapas = {r["enrollment_id"] for r in rows if r["lapas_code"] == LAPAS_PADANG}
    blk = {r["enrollment_id"] for r in rows if r["blk_code"] == BPVP_PADANG}
    assert lapas and blk and lapas != blk, "the history must exercise both scopes"
    _, seen = await _page_keys(world, "lapas-padang-operator", "officer_progress")
    assert seen == {str(e) for e in lapas}
    _, seen = await _page_keys(world, "bpvp-padang-operator", "officer_progress")
    assert seen == {str(e) for e in blk}
    # The Kanwil Sumatera Barat analyst: its province's rows, none of DKI Jakarta's.
    assert any(r["province"] == DKI for r in rows), "no DKI Jakarta row to hide"
    body, _ = await _page_keys(world, "kanwil-sumbar-analyst", "officer_progress")
    assert {i["province"] for i in body["items"]} == {SUMBAR}
    # The two ministries' Kanwil of one province see different rows: trainees of its
    # BLKs (Kemnaker) against officers of its Lapas (Ditjenpas).
    ditjenpas = world.expected("kanwil-sumbar-analyst", "officer_progress")
    kemnaker = world.expected(KEMNAKER_KANWIL, "officer_progress")
    assert kemnaker and ditjenpas != kemnaker
    # A filter cannot widen the scope: asking for another Lapas gives nothing.
    other, _ = await _page_keys(
        world, "lapas-padang-operator", "officer_progress", lapas="LAPAS-I-CIPINANG"
    )
    assert other["total"] == 0 and other["items"] == []


@pytest.mark.parametrize("persona", sorted(READERS))
async def test_csv_exports_follow_the_same_scope(world: World, persona: str) -> None:
    for model in OFFICER_MODELS:
        expected = world.expected(persona, model)
        for path, params in (
            (f"/export/{model}.csv", {}),
            (f"/api/v1/{model}", {"format": "csv"}),
        ):
            answer = await world.http.get(
                path, params=params, headers=world.headers(persona)
            )
            rows = _csv(answer)
            assert {r[KEYS[model]] for r in rows} == expected, (persona, path)
            assert answer.headers["x-total-rows"] == str(len(expected))


async def test_every_reader_sees_the_same_aggregates(world: World) -> None:
    answers: dict[str, dict[str, Any]] = {}
    for persona in [*READERS, "ditjenpas-auditor", "kemnaker-dpo", "lsp-assessor"]:
        answers[persona] = {}
        for model in AGGREGATES:
            answer = await world.http.get(
                f"/api/v1/{model}",
                params={"page_size": 1000},
                headers=world.headers(persona),
            )
            assert answer.status_code == 200, (persona, model, answer.text)
            answers[persona][model] = answer.json()["items"]
    first = next(iter(answers.values()))
    assert first["national"][0]["enrolled"] > 0
    for persona, seen in answers.items():
        assert seen == first, persona


@pytest.mark.parametrize("persona", ["ditjenpas-auditor", "kemnaker-dpo"])
async def test_a_reader_without_an_officer_scope_gets_403_naming_the_rule(
    world: World, persona: str
) -> None:
    for path in ("/api/v1/instructors", "/export/officer_progress.csv"):
        answer = await world.http.get(path, headers=world.headers(persona))
        assert answer.status_code == 403, answer.text
        assert answer.json()["errors"][0]["rule"] == "officer-rows-need-a-reader-scope"


async def test_the_officer_lookup_is_scoped_and_the_old_path_is_gone(
    world: World,
) -> None:
    rows = world.truth["officer_progress"]
    own = next(r for r in rows if r["lapas_code"] == LAPAS_PADANG)
    other = next(
        r
        for r in rows
        if r["lapas_code"] != LAPAS_PADANG
        and not any(
            x["nip"] == r["nip"] and x["lapas_code"] == LAPAS_PADANG for x in rows
        )
    )
    lapas = world.headers("lapas-padang-operator")
    answer = await world.http.post(
        "/api/v1/officers/lookup", json={"nip": own["nip"]}, headers=lapas
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["enrollments"]
    assert {e["lapas_code"] for e in found["enrollments"]} == {LAPAS_PADANG}
    # Another Lapas's officer is unknown to this reader, exactly like a made-up NIP.
    for nip in (other["nip"], "9" * 18):
        answer = await world.http.post(
            "/api/v1/officers/lookup", json={"nip": nip}, headers=lapas
        )
        assert answer.status_code == 404, answer.text
        assert nip not in answer.text, "the NIP must not be echoed"
    centre = world.headers("ditjenpas-centre-analyst")
    answer = await world.http.post(
        "/api/v1/officers/lookup", json={"nip": other["nip"]}, headers=centre
    )
    assert answer.status_code == 200 and answer.json()["enrollments"]
    answer = await world.http.get(f"/api/v1/officers/{own['nip']}", headers=lapas)
    assert answer.status_code == 410
    assert "/api/v1/officers/lookup" in answer.json()["detail"]
    assert own["nip"] not in answer.text


async def test_officer_level_reads_are_in_the_audit_trail_without_personal_data(
    world: World,
) -> None:
    lapas = world.headers("lapas-padang-operator")
    await world.http.get("/api/v1/instructors?year=2023", headers=lapas)
    await world.http.get("/export/officer_progress.csv", headers=lapas)
    nip = next(r["nip"] for r in world.truth["officer_progress"])
    await world.http.post("/api/v1/officers/lookup", json={"nip": nip}, headers=lapas)
    await world.http.get("/api/v1/instructors", headers=world.headers("kemnaker-dpo"))
    await world.http.get("/api/v1/national", headers=lapas)  # aggregate: not audited
    conn = await asyncpg.connect(world.dsn)
    try:
        rows = await conn.fetch("SELECT * FROM audit_log ORDER BY id")
        dump = "\n".join(str(dict(r)) for r in rows)
    finally:
        await conn.close()
    entries = [(r["unit"], r["action"], r["outcome"], r["rule"]) for r in rows]
    assert entries == [
        (LAPAS_PADANG, "report.officer.read", "allowed", "lapas-sees-own-officers"),
        (LAPAS_PADANG, "report.officer.read", "allowed", "lapas-sees-own-officers"),
        (LAPAS_PADANG, "report.officer.read", "allowed", "lapas-sees-own-officers"),
        (
            "KEMNAKER-PUSAT",
            "report.officer.read",
            "denied",
            "officer-rows-need-a-reader-scope",
        ),
    ]
    scopes = [_json(r["scope"]) for r in rows]
    assert scopes[0]["model"] == "instructors" and scopes[0]["filters"] == ["year"]
    assert scopes[1]["model"] == "officer_progress" and scopes[1]["format"] == "csv"
    assert scopes[2]["lookup"] == "officer"
    for scope in scopes[:3]:
        assert scope["reader_scope"] == "lapas"
        assert scope["lapas"] == LAPAS_PADANG
    assert all(r["subject"] and r["correlation_id"] for r in rows)
    assert not re.search(r"\d{18}", dump), "a NIP reached the audit trail"
    # The auditor reads the same trail over HTTP; nobody else may.
    trail = await world.http.get(
        "/audit",
        params={"action": "report.officer.read"},
        headers=world.headers("ditjenpas-auditor"),
    )
    assert trail.status_code == 200, trail.text
    assert [(e["unit"], e["outcome"]) for e in trail.json()["entries"]] == [
        (unit, outcome) for unit, _, outcome, _ in entries
    ]
    refused = await world.http.get("/audit", headers=lapas)
    assert refused.status_code == 403
    names = {r["officer_name"] for r in world.truth["officer_progress"]}
    assert not any(name in dump for name in names), "a name reached the audit trail"


def _json(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else dict(json.loads(value))

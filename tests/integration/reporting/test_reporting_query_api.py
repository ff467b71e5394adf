"""The query API on real PostgreSQL: filtered figures add up, CSV is safe, refusals say why."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from lintas_deploy.procs import free_ports
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.db import create_pool
from reporting.adapters.postgres import generations
from reporting.bootstrap import build_app
from reporting.settings import ReportingSettings
from tests.integration.reporting.kafka_support import serving
from tests.integration.reporting.support import project_in_batches
from tests.support.identity import Identity
from tests.support.kafka_login import admin_security
from tests.support.synthetic_history import (
    SyntheticDelivery,
    as_deliveries,
    history,
)

pytestmark = pytest.mark.integration

ROW_CAP = 5
FORMULAS = ('=HYPERLINK("http://x.invalid","klik")', "+1+2", "-3+4", "@SUM(A1)")
COUNTS = ("enrolled", "withdrawn", "completed", "competent", "certified")
INSTRUCTORS = ("instructors_active", "instructors_expired", "instructors_revoked")


def _with_formula_names(
    deliveries: list[SyntheticDelivery],
) -> tuple[list[SyntheticDelivery], dict[str, str]]:
    """The history with every officer renamed to a formula; NIP -> formula name."""
    out: list[SyntheticDelivery] = []
    renamed: dict[str, str] = {}
    for d in deliveries:
        p = d.payload
        if isinstance(p, OfficerEnrolled):
            name = renamed.get(p.officer.nip) or FORMULAS[len(renamed) % len(FORMULAS)]
            renamed[p.officer.nip] = name
            officer = p.officer.model_copy(update={"name": name})
            d = SyntheticDelivery(
                d.event,
                p.model_copy(update={"officer": officer}),
                d.topic,
                d.partition,
                d.offset,
            )
        out.append(d)
    return out, renamed


@pytest.fixture
async def api(
    kafka_bootstrap: str, fresh_database: str, identity: Identity
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str], str]]:
    """The reporting app (no live projector) over HTTP, with a projected history.

    The client reads as the Ditjenpas centre's analyst (national scope).
    """
    (port,) = free_ports(1)
    settings = ReportingSettings.model_validate(
        {
            "database_url": fresh_database,
            "kafka_bootstrap": kafka_bootstrap,
            "kafka_security": admin_security(),
            "http_port": port,
            "csv_row_cap": ROW_CAP,
            "db_pool_size": 4,
        }
    )
    deliveries, renamed = _with_formula_names(
        as_deliveries(history(random.randrange(10**9), packages=30, officers=12))
    )
    app = build_app(settings, project=False, identity=identity.settings())
    async with serving(app, port) as base:
        pool = await create_pool(fresh_database, max_size=2)
        try:
            async with pool.acquire() as conn:
                schema = await generations.current(conn)
            await project_in_batches(pool, schema, [deliveries])
        finally:
            await pool.close()
        reader = identity.persona_headers("ditjenpas-centre-analyst")
        async with httpx.AsyncClient(base_url=base, timeout=30, headers=reader) as http:
            yield http, renamed, fresh_database


async def _rows(http: httpx.AsyncClient, model: str, **params: Any) -> list[dict]:
    answer = await http.get(f"/api/v1/{model}", params={"page_size": 1000, **params})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["items"]), "more than one page: raise page_size"
    return list(body["items"])


def _sum(rows: list[dict], column: str) -> int:
    return sum(int(r[column]) for r in rows)


async def test_filtered_national_figures_add_up_to_the_finer_models(
    api: tuple[httpx.AsyncClient, dict[str, str], str],
) -> None:
    http, _, _ = api
    lapas = await _rows(http, "lapas")
    blk = await _rows(http, "blk")
    (everything,) = await _rows(http, "national")
    assert everything["enrolled"] == _sum(lapas, "enrolled") > 0
    assert everything["packages"] == _sum(blk, "packages") > 0

    province = max({r["province"] for r in lapas}, key=str)
    kejuruan = max({r["kejuruan"] for r in lapas if r["province"] == province})
    year = max({r["year"] for r in lapas if r["province"] == province})
    slices: list[dict[str, Any]] = [
        {"province": province},
        {"kejuruan": kejuruan},
        {"year": year},
        {"province": province, "kejuruan": kejuruan, "year": year},
    ]
    narrowed = False
    for chosen in slices:

        def matches(row: dict, chosen: dict[str, Any] = chosen) -> bool:
            return all(row[k] == v for k, v in chosen.items())

        (national,) = await _rows(http, "national", **chosen)
        mine = [r for r in lapas if matches(r)]
        for column in COUNTS + INSTRUCTORS:
            assert national[column] == _sum(mine, column), (chosen, column)
        centres = [r for r in blk if matches(r)]
        assert national["packages"] == _sum(centres, "packages"), chosen
        assert national["seats"] == _sum(centres, "seats"), chosen
        assert national["lapas"] == len({r["lapas_code"] for r in mine}), chosen
        narrowed |= 0 < national["enrolled"] < everything["enrolled"]

        trend = await _rows(http, "trend", **chosen)
        enrolled_ever = national["enrolled"] + national["withdrawn"]
        assert _sum(trend, "enrolled") == enrolled_ever, chosen
        assert _sum(trend, "withdrawn") == national["withdrawn"], chosen
        assert _sum(trend, "completed") == national["completed"], chosen
        issued = sum(national[c] for c in INSTRUCTORS)
        assert _sum(trend, "certified") == issued, chosen
    assert narrowed, "no slice narrowed the figures: the test would be vacuous"


async def test_csv_export_neutralises_formula_names_and_states_its_cap(
    api: tuple[httpx.AsyncClient, dict[str, str], str],
) -> None:
    http, renamed, _ = api
    assert len(renamed) > ROW_CAP, "too few officers: the export would not be capped"
    answer = await http.get("/export/officer_progress.csv")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "content-length" not in answer.headers, "not streamed"
    assert answer.content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    assert answer.headers["x-row-cap"] == str(ROW_CAP)
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == ROW_CAP
    for row in rows:
        assert row["officer_name"] == "'" + renamed[row["nip"]]
    assert all(r["attended_jp"] == "" or r["attended_jp"].isdigit() for r in rows)

    # The same through ?format=csv on the JSON endpoint.
    answer = await http.get("/api/v1/officer_progress", params={"format": "csv"})
    text = answer.content.decode("utf-8-sig").replace('""', '"')
    assert any(f"'{name}" in text for name in FORMULAS)

    # More rows than the cap: exactly the cap, and the headers say so.
    answer = await http.get("/export/packages.csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == ROW_CAP < int(answer.headers["x-total-rows"])
    assert answer.headers["x-truncated"] == "true"
    assert all(int(r["seats"]) >= 0 for r in rows), "numbers must stay numbers"


async def test_exports_give_their_connection_back(
    api: tuple[httpx.AsyncClient, dict[str, str], str],
) -> None:
    http, _, _ = api
    for _ in range(12):  # three times the pool: a leaked connection would hang here
        async with http.stream("GET", "/export/instructors.csv") as answer:
            assert answer.status_code == 200
            async for _chunk in answer.aiter_bytes():
                break  # the client leaves mid-stream
    answer = await http.get("/api/v1/national")
    assert answer.status_code == 200


async def test_refusals_are_problems_naming_the_parameter(
    api: tuple[httpx.AsyncClient, dict[str, str], str],
) -> None:
    http, _, _ = api
    answer = await http.get("/api/v1/agreements", params={"kejuruan": "MEUBEL"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "query.kejuruan"

    for path in (
        "/api/v1/lapas?lapas=%00",
        "/api/v1/lapas?province=Aceh%00",
        "/export/instructors.csv?nip=%00",
        "/export/instructors.csv?nip=" + "9" * 18,
        "/api/v1/officers/%00",
        "/api/v1/lapas?group_by=lapas_code;DROP",
        "/api/v1/national?year=99999999999",
    ):
        answer = await http.get(path)
        assert 400 <= answer.status_code < 500, (path, answer.status_code)
        assert answer.headers["content-type"] == "application/problem+json", path

    answer = await http.post("/api/v1/officers/lookup", json={"nip": "9" * 18})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "9" * 18 not in answer.json()["detail"], "the NIP must not be echoed"


async def test_a_generation_of_an_older_layout_answers_503_saying_rebuild(
    api: tuple[httpx.AsyncClient, dict[str, str], str],
) -> None:
    http, _, dsn = api
    assert (await http.get("/api/v1/national")).status_code == 200
    conn = await asyncpg.connect(dsn)
    try:  # what a layout-1 generation lacks
        schema = await generations.current(conn)
        await conn.execute(f"DROP FUNCTION {schema}.national_where CASCADE")
    finally:
        await conn.close()
    for path in ("/api/v1/national", "/export/national.csv"):
        answer = await http.get(path)
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"].endswith("/read-models-outdated")
        assert "rebuild --all" in answer.json()["detail"]

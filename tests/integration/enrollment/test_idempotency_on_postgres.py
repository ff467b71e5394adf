"""Idempotency keys on PostgreSQL: retries return the first result, even when concurrent."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest

from tests.integration.enrollment.conftest import Pg
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import Api, app_for

pytestmark = pytest.mark.integration


async def test_concurrent_retries_on_several_replicas_enrol_once(pg: Pg) -> None:
    async with AsyncExitStack() as stack:
        apis = [
            await stack.enter_async_context(
                Api.over(app_for(pg.fresh_ctx(), pg.queries))
            )
            for _ in range(8)
        ]
        s = await apis[0].scene()
        nip = f.nip()
        responses = await asyncio.gather(
            *(
                api.enrol(s.package_id, s.lapas.code, key="retry-4711", nip=nip)
                for api in apis
            )
        )
    assert {r.status_code for r in responses} == {201}
    assert all(r.json() == responses[0].json() for r in responses)
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 7
    enrolled = await pg.pool.fetchval(
        "SELECT count(*) FROM events WHERE type = 'lintas.OfficerEnrolled.v1'"
    )
    assert enrolled == 1
    keys = await pg.pool.fetchval(
        "SELECT count(*) FROM idempotency_keys WHERE key LIKE '%:retry-4711'"
    )
    assert keys == 1


async def test_a_key_reused_with_another_body_is_refused_and_writes_nothing(
    pg: Pg, pg_api: Api
) -> None:
    s = await pg_api.scene()
    first = await pg_api.enrol(s.package_id, s.lapas.code, key="enrol-0815")
    before = await pg.counts()
    reused = await pg_api.enrol(s.package_id, s.lapas.code, key="enrol-0815")
    assert first.status_code == 201
    assert reused.status_code == 422
    assert reused.json()["type"].endswith("/idempotency-key-reused")
    assert await pg.counts() == before


async def test_a_retry_after_the_outcome_was_stored_writes_nothing(
    pg: Pg, pg_api: Api
) -> None:
    blk = f.blk()
    first = await pg_api.open(blk, key="open-package-LAS-01", code="LAS-01")
    before = await pg.counts()
    again = await pg_api.open(blk, key="open-package-LAS-01", code="LAS-01")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert await pg.counts() == before

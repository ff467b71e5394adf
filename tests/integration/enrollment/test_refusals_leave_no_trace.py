"""A refused command writes nothing: no events, no outbox rows, no key, no query rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import httpx
import pytest

from tests.integration.enrollment.conftest import Pg
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import Api

pytestmark = pytest.mark.integration

Refusal = Callable[[], Awaitable[httpx.Response]]


async def full_package(api: Api, s: f.Scene) -> Refusal:
    return lambda: api.enrol(s.package_id, s.lapas.code, key="refused-full-0001")


async def invalid_nip(api: Api, s: f.Scene) -> Refusal:
    return lambda: api.enrol(
        s.package_id, s.lapas.code, key="refused-nip-0001", nip="198703152010123003"
    )


async def no_agreement(api: Api, s: f.Scene) -> Refusal:
    return lambda: api.enrol(s.package_id, f.unit_code("LAPAS"), key="refused-pks-0001")


async def overlapping(api: Api, s: f.Scene) -> Refusal:
    roster = await api.get(f"/packages/{s.package_id}/roster")
    nip = roster["enrollments"][0]["nip"]
    other = (await api.open(s.blk)).json()["package_id"]
    return lambda: api.enrol(other, s.lapas.code, key="refused-overlap-1", nip=nip)


async def duplicate_code(api: Api, s: f.Scene) -> Refusal:
    package = await api.get(f"/packages/{s.package_id}")
    return lambda: api.open(s.blk, key="refused-code-0001", code=package["code"])


async def bad_terms(api: Api, s: f.Scene) -> Refusal:
    return lambda: api.sign(
        s.lapas, s.blk, key="refused-dates-001", valid_until=date(2025, 1, 1)
    )


@pytest.mark.parametrize(
    ("prepare", "status"),
    [
        (full_package, 409),
        (invalid_nip, 422),
        (no_agreement, 409),  # depends on the agreements stored
        (overlapping, 409),
        (duplicate_code, 409),
        (bad_terms, 422),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
async def test_a_refused_command_leaves_no_trace(
    pg: Pg,
    pg_api: Api,
    prepare: Callable[[Api, f.Scene], Awaitable[Refusal]],
    status: int,
) -> None:
    s = await pg_api.scene(seats=1)
    assert (await pg_api.enrol(s.package_id, s.lapas.code)).status_code == 201
    refusal = await prepare(pg_api, s)
    before = await pg.counts()
    response = await refusal()
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await pg.counts() == before

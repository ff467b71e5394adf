"""Seats under concurrency, through the HTTP API on the PostgreSQL event store."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack

import pytest

from tests.integration.enrollment.conftest import Pg
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import Api, app_for

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("replicas", [1, 4, 40])
async def test_forty_concurrent_enrollments_fill_sixteen_seats_exactly(
    pg: Pg, replicas: int
) -> None:
    """Within one process requests queue per package; across replicas (here up to one
    per request, the worst case) the package stream's version decides."""
    async with AsyncExitStack() as stack:
        apis = [
            await stack.enter_async_context(
                Api.over(app_for(pg.fresh_ctx(), pg.queries))
            )
            for _ in range(replicas)
        ]
        s = await apis[0].scene(seats=16)
        responses = await asyncio.gather(
            *(apis[i % replicas].enrol(s.package_id, s.lapas.code) for i in range(40))
        )
        roster = await apis[0].get(f"/packages/{s.package_id}/roster")
    assert Counter(r.status_code for r in responses) == {201: 16, 409: 24}
    refusals = [r.json() for r in responses if r.status_code == 409]
    assert {p["type"].rsplit("/", 1)[1] for p in refusals} == {"seats-exhausted"}
    assert (roster["package"]["seats_left"], len(roster["enrollments"])) == (0, 16)
    enrolled = await pg.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id = $1 AND type = $2",
        f"package-{s.package_id}",
        "lintas.OfficerEnrolled.v1",
    )
    booked = await pg.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'officer-%'"
    )
    published = await pg.pool.fetchval(
        "SELECT count(*) FROM outbox o JOIN events e USING (event_id) WHERE e.type = $1",
        "lintas.OfficerEnrolled.v1",
    )
    assert enrolled == booked == published == 16


async def test_a_withdrawal_during_the_race_frees_exactly_one_more_seat(
    pg: Pg, pg_api: Api
) -> None:
    s = await pg_api.scene(seats=4)
    first = [(await pg_api.enrol(s.package_id, s.lapas.code)).json() for _ in range(4)]
    responses = await asyncio.gather(
        pg_api.withdraw(s.package_id, first[0]["enrollment_id"], "Mutasi"),
        *(pg_api.enrol(s.package_id, s.lapas.code) for _ in range(10)),
    )
    assert responses[0].status_code == 200
    enrolments = Counter(r.status_code for r in responses[1:])
    assert enrolments[201] <= 1 and enrolments[201] + enrolments[409] == 10
    package = await pg_api.get(f"/packages/{s.package_id}")
    assert package["seats_left"] == 1 - enrolments[201]


async def test_one_officer_racing_into_two_overlapping_packages_gets_one_seat(
    pg: Pg, pg_api: Api
) -> None:
    s = await pg_api.scene()
    other = (await pg_api.open(s.blk)).json()["package_id"]
    nip = f.nip()
    for _ in range(5):
        responses = await asyncio.gather(
            pg_api.enrol(s.package_id, s.lapas.code, nip=nip),
            pg_api.enrol(other, s.lapas.code, nip=nip),
        )
        codes = sorted(r.status_code for r in responses)
        assert codes in ([201, 409], [409, 409])
    enrollments = await pg_api.get(f"/officers/{nip}/enrollments")
    assert len(enrollments) == 1

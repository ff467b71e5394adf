"""The Padang pilot loads through the HTTP API without a single refusal, and only once."""

from __future__ import annotations

from collections import Counter
from datetime import date

import httpx
import pytest

from lintas_deploy import pilot, pilot_data
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import app_for
from tests.unit.enrollment.identity import unit_token

pytestmark = pytest.mark.unit


async def load_twice(h: f.Harness) -> tuple[pilot.Summary, pilot.Summary, list[str]]:
    transport = httpx.ASGITransport(app=app_for(h.ctx, h.queries))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://enrollment"
    ) as c:
        first = await pilot.load_enrollment(c, h.today, patience=0, tokens=unit_token)
        second = await pilot.load_enrollment(c, h.today, patience=0, tokens=unit_token)
    return first, second, [e[2].type for e in h.store.outbox]


async def test_the_pilot_loads_everything_once_and_a_second_run_writes_nothing() -> (
    None
):
    first, second, events = await load_twice(f.Harness())
    assert (first.agreements, first.packages, first.withdrawn) == (2, 9, 1)
    assert first.enrolled == len(pilot_data.ENROLLMENTS) == 60
    assert (second.agreements, second.packages, second.enrolled, second.withdrawn) == (
        0,
        0,
        0,
        0,
    )
    assert second.already_enrolled == 60
    assert Counter(events) == {
        "lintas.AgreementSigned.v1": 2,
        "lintas.TrainingPackageOpened.v1": 9,
        "lintas.OfficerEnrolled.v1": 60,
        "lintas.EnrollmentWithdrawn.v1": 1,
    }


def test_the_pilot_mixes_finished_running_and_future_packages() -> None:
    today = date(2026, 11, 28)
    finished = [p for p in pilot_data.PACKAGES if p.end_date < today]
    running = [p for p in pilot_data.PACKAGES if p.start_date <= today <= p.end_date]
    future = [p for p in pilot_data.PACKAGES if p.start_date > today]
    assert (len(finished), len(running), len(future)) == (4, 2, 3)
    assert {p.track for p in finished} == {"INSTRUCTOR", "RESKILLING"}
    assert {p.seats for p in pilot_data.PACKAGES} == {16}


def test_officers_have_distinct_fictitious_valid_nips() -> None:
    from enrollment.domain.nip import parse_nip

    nips = {e.officer.nip for e in pilot_data.ENROLLMENTS}
    assert len(nips) == 58
    for nip in nips:
        parse_nip(nip, date(2026, 11, 28))

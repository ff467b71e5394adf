"""Enrollment rules: agreement, seats, no double or overlapping enrollment, not started."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from enrollment.application.close_package import CloseTrainingPackage, close_package
from enrollment.application.context import EnrollmentPolicy
from enrollment.application.enrol_officer import EnrolOfficer, enrol_officer
from enrollment.application.open_package import open_package
from enrollment.application.terminate_agreement import (
    TerminateAgreement,
    terminate_agreement,
)
from enrollment.application.withdraw_enrollment import (
    WithdrawEnrollment,
    withdraw_enrollment,
)
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.domain import (
    InvalidCommand,
    NotFound,
    Refusal,
    RuleViolation,
)
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.unit


async def refused(h: f.Harness, cmd: EnrolOfficer) -> Refusal:
    before = await h.events()
    with pytest.raises(Refusal) as caught:
        await enrol_officer(h.ctx, cmd, f.metadata(), None)
    assert await h.events() == before, "a refused enrollment writes nothing"
    return caught.value


async def test_enrolling_takes_a_seat_and_publishes_officer_enrolled() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = f.enrol(s.package_id, s.lapas.code)
    outcome = await enrol_officer(h.ctx, cmd, f.metadata("LAPAS-IIA-PADANG"), None)
    topic, key, event = h.store.outbox[-1]
    assert (topic, key) == ("lintas.enrollment.events", f"package-{s.package_id}")
    assert event.type == "lintas.OfficerEnrolled.v1"
    assert event.metadata.actor_unit == "LAPAS-IIA-PADANG"
    assert event.data["officer"]["nip"] == cmd.nip
    assert event.data["lapas"] == s.lapas.model_dump()
    assert event.data["jp_total"] == 320
    assert event.data["enrolled_on"] == "2026-11-28"
    assert outcome.response["event_ids"] == [str(event.event_id)]
    roster = await h.queries.roster(s.package_id)
    assert roster is not None and roster.package.seats_left == 15


async def test_refuses_enrollment_without_agreement() -> None:
    h = f.Harness()
    s = await f.scene(h)
    error = await refused(h, f.enrol(s.package_id, f.unit_code("LAPAS")))
    assert isinstance(error, RuleViolation)
    assert (error.rule, error.violations[0].field) == (
        "enrollment-needs-agreement",
        "lapas_code",
    )


async def test_refuses_enrollment_when_the_agreement_does_not_cover_the_trade() -> None:
    h = f.Harness()
    s = await f.scene(h, agreement={"kejuruan": [Kejuruan.BARISTA]})
    error = await refused(h, f.enrol(s.package_id, s.lapas.code))
    assert error.rule == "enrollment-needs-agreement"
    assert "does not cover TEKNIK_LAS" in str(error)


async def test_refuses_enrollment_when_the_agreement_ends_before_the_package() -> None:
    h = f.Harness()
    s = await f.scene(h, agreement={"valid_until": date(2027, 2, 28)})
    error = await refused(h, f.enrol(s.package_id, s.lapas.code))
    assert error.rule == "enrollment-needs-agreement"


async def test_refuses_enrollment_under_an_agreement_terminated_before_the_package_ends() -> (
    None
):
    h = f.Harness()
    s = await f.scene(h)
    terminate = TerminateAgreement(
        agreement_id=s.agreement_id, reason="Dievaluasi", terminated_on=date(2027, 2, 1)
    )
    await terminate_agreement(h.ctx, terminate, f.metadata(), None)
    error = await refused(h, f.enrol(s.package_id, s.lapas.code))
    assert "terminated" in str(error)


async def test_refuses_an_unknown_package_or_named_agreement() -> None:
    h = f.Harness()
    s = await f.scene(h)
    missing = await refused(h, f.enrol(UUID(int=7), s.lapas.code))
    assert isinstance(missing, NotFound) and missing.violations[0].field == "package_id"
    named = await refused(
        h, f.enrol(s.package_id, s.lapas.code, agreement_id=UUID(int=8))
    )
    assert isinstance(named, NotFound) and named.violations[0].field == "agreement_id"


async def test_sixteen_seats_take_sixteen_officers_and_no_more() -> None:
    h = f.Harness()
    s = await f.scene(h)
    for _ in range(16):
        await enrol_officer(
            h.ctx, f.enrol(s.package_id, s.lapas.code), f.metadata(), None
        )
    error = await refused(h, f.enrol(s.package_id, s.lapas.code))
    assert isinstance(error, RuleViolation) and error.rule == "seats-exhausted"


async def test_a_withdrawal_frees_a_seat() -> None:
    h = f.Harness()
    s = await f.scene(h, seats=1)
    first = await enrol_officer(
        h.ctx, f.enrol(s.package_id, s.lapas.code), f.metadata(), None
    )
    assert (
        await refused(h, f.enrol(s.package_id, s.lapas.code))
    ).rule == "seats-exhausted"
    withdraw = WithdrawEnrollment(
        package_id=s.package_id,
        enrollment_id=first.response["enrollment_id"],
        reason="Dipindahtugaskan",
    )
    await withdraw_enrollment(h.ctx, withdraw, f.metadata(), None)
    await enrol_officer(h.ctx, f.enrol(s.package_id, s.lapas.code), f.metadata(), None)
    roster = await h.queries.roster(s.package_id)
    assert roster is not None and len(roster.enrollments) == 1


async def test_refuses_to_withdraw_an_enrollment_twice() -> None:
    h = f.Harness()
    s = await f.scene(h)
    first = await enrol_officer(
        h.ctx, f.enrol(s.package_id, s.lapas.code), f.metadata(), None
    )
    withdraw = WithdrawEnrollment(
        package_id=s.package_id,
        enrollment_id=first.response["enrollment_id"],
        reason="Sakit",
    )
    await withdraw_enrollment(h.ctx, withdraw, f.metadata(), None)
    with pytest.raises(NotFound) as again:
        await withdraw_enrollment(h.ctx, withdraw, f.metadata(), None)
    assert again.value.rule == "enrollment-active"


async def test_refuses_the_same_officer_twice_in_one_package() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = f.enrol(s.package_id, s.lapas.code)
    await enrol_officer(h.ctx, cmd, f.metadata(), None)
    error = await refused(h, f.enrol(s.package_id, s.lapas.code, nip=cmd.nip))
    assert (error.rule, error.violations[0].field) == (
        "officer-not-enrolled-twice",
        "nip",
    )


async def test_refuses_an_officer_in_two_packages_whose_dates_overlap() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = f.enrol(s.package_id, s.lapas.code)
    await enrol_officer(h.ctx, cmd, f.metadata(), None)
    # Starts on the last day of the first package: one shared day is an overlap.
    overlapping = await open_package(
        h.ctx,
        f.open_package(s.blk, start_date=date(2027, 3, 12), end_date=date(2027, 4, 30)),
        f.metadata(),
        None,
    )
    error = await refused(
        h, f.enrol(overlapping.response["package_id"], s.lapas.code, nip=cmd.nip)
    )
    assert (
        isinstance(error, RuleViolation) and error.rule == "no-overlapping-enrollments"
    )


async def test_accepts_an_officer_in_consecutive_packages() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = f.enrol(s.package_id, s.lapas.code)
    await enrol_officer(h.ctx, cmd, f.metadata(), None)
    later = await open_package(
        h.ctx,
        f.open_package(s.blk, start_date=date(2027, 3, 13), end_date=date(2027, 4, 30)),
        f.metadata(),
        None,
    )
    await enrol_officer(
        h.ctx,
        f.enrol(later.response["package_id"], s.lapas.code, nip=cmd.nip),
        f.metadata(),
        None,
    )
    assert len(await h.queries.officer_enrollments(cmd.nip)) == 2


async def test_refuses_enrollment_into_a_closed_package() -> None:
    h = f.Harness()
    s = await f.scene(h)
    await close_package(
        h.ctx, CloseTrainingPackage(package_id=s.package_id), f.metadata(), None
    )
    assert (
        await refused(h, f.enrol(s.package_id, s.lapas.code))
    ).rule == "package-open"


@pytest.mark.parametrize("started_days_ago", [0, 1, 30])
async def test_refuses_enrollment_into_a_started_package(started_days_ago: int) -> None:
    h = f.Harness()
    start = f.TODAY - timedelta(days=started_days_ago)
    s = await f.scene(h, start_date=start, end_date=start + timedelta(days=60))
    error = await refused(h, f.enrol(s.package_id, s.lapas.code))
    assert isinstance(error, RuleViolation) and error.rule == "package-not-started"


async def test_a_grace_period_allows_enrollment_in_the_first_days() -> None:
    h = f.Harness(policy=EnrollmentPolicy(grace_days=3))
    start = f.TODAY - timedelta(days=2)
    s = await f.scene(h, start_date=start, end_date=start + timedelta(days=60))
    await enrol_officer(h.ctx, f.enrol(s.package_id, s.lapas.code), f.metadata(), None)
    h.today = start + timedelta(days=3)
    assert (
        await refused(h, f.enrol(s.package_id, s.lapas.code))
    ).rule == "package-not-started"


async def test_a_paper_enrollment_made_before_the_start_can_be_recorded_later() -> None:
    h = f.Harness()
    s = await f.scene(h, start_date=date(2026, 9, 7), end_date=date(2026, 10, 30))
    cmd = f.enrol(s.package_id, s.lapas.code, enrolled_on=date(2026, 8, 24))
    await enrol_officer(h.ctx, cmd, f.metadata(), None)
    (view,) = await h.queries.officer_enrollments(cmd.nip)
    assert view.enrolled_on == date(2026, 8, 24)
    assert view.enrolled_at.date() == f.TODAY
    late = f.enrol(s.package_id, s.lapas.code, enrolled_on=date(2026, 9, 7))
    assert (await refused(h, late)).rule == "package-not-started"


async def test_refuses_an_enrollment_day_in_the_future_or_beyond_the_backdate_window() -> (
    None
):
    h = f.Harness(policy=EnrollmentPolicy(backdate_days=30))
    s = await f.scene(h)
    future = await refused(
        h, f.enrol(s.package_id, s.lapas.code, enrolled_on=date(2026, 11, 29))
    )
    assert (future.rule, future.violations[0].field) == (
        "enrolled-on-not-in-future",
        "enrolled_on",
    )
    old = await refused(
        h, f.enrol(s.package_id, s.lapas.code, enrolled_on=date(2026, 10, 28))
    )
    assert old.rule == "enrolled-on-within-backdate-window"


async def test_refuses_an_invalid_nip_before_touching_the_store() -> None:
    h = f.Harness()
    s = await f.scene(h)
    error = await refused(
        h, f.enrol(s.package_id, s.lapas.code, nip="198703152010123003")
    )
    assert isinstance(error, InvalidCommand) and error.rule == "nip-gender"


async def test_a_retry_with_the_same_key_returns_the_first_result_and_writes_nothing() -> (
    None
):
    h = f.Harness()
    s = await f.scene(h)
    cmd = f.enrol(s.package_id, s.lapas.code)
    first = await enrol_officer(h.ctx, cmd, f.metadata(), "key-1")
    events = await h.events()
    again = await enrol_officer(h.ctx, cmd, f.metadata(), "key-1")
    assert (again.replayed, again.response) == (True, first.response)
    assert await h.events() == events

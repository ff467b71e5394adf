"""Package rules: consistent terms, unique code per BLK, cancel before start, close once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from enrollment.application.cancel_package import CancelTrainingPackage, cancel_package
from enrollment.application.close_package import CloseTrainingPackage, close_package
from enrollment.application.enrol_officer import enrol_officer
from enrollment.application.open_package import open_package
from lintas_shared.contracts.base import Kejuruan, Track
from lintas_shared.domain import InvalidCommand, RuleViolation
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.unit


async def refusal_of(h: f.Harness, **overrides: object) -> set[tuple[str, str | None]]:
    with pytest.raises(InvalidCommand) as refused:
        await open_package(
            h.ctx, f.open_package(f.blk(), **overrides), f.metadata(), None
        )
    assert await h.events() == []
    return {(v.rule, v.field) for v in refused.value.violations}


async def test_opening_a_package_shows_all_seats_free() -> None:
    h = f.Harness()
    s = await f.scene(h)
    view = await h.queries.package(s.package_id)
    assert view is not None, "the query must list what the command wrote"
    assert (view.seats, view.seats_left, view.status) == (16, 16, "OPEN")


@pytest.mark.parametrize("days", [0, -1])
async def test_refuses_a_package_that_ends_before_it_starts(days: int) -> None:
    start = date(2027, 1, 11)
    found = await refusal_of(
        f.Harness(), start_date=start, end_date=start + timedelta(days=days)
    )
    assert found == {("package-dates-ordered", "end_date")}


@pytest.mark.parametrize("seats", [101, 500])
async def test_refuses_more_seats_than_a_class_holds(seats: int) -> None:
    assert await refusal_of(f.Harness(), seats=seats) == {
        ("package-seats-range", "seats")
    }


async def test_refuses_a_package_without_lesson_hours() -> None:
    found = await refusal_of(
        f.Harness(), track=Track.RESKILLING, jp_technical=0, jp_methodology=0
    )
    assert found == {("package-lessons", "jp_technical")}


async def test_refuses_an_instructor_package_without_methodology_or_units() -> None:
    found = await refusal_of(f.Harness(), jp_methodology=0, skkni_units=[])
    assert found == {
        ("instructor-track-has-methodology", "jp_methodology"),
        ("instructor-track-has-skkni-units", "skkni_units"),
    }


async def test_refuses_malformed_skkni_codes() -> None:
    found = await refusal_of(f.Harness(), skkni_units=["C.25LAS01.001.1", "LAS-1"])
    assert found == {("skkni-unit-code", "skkni_units[1]")}


async def test_a_reskilling_package_needs_no_methodology() -> None:
    h = f.Harness()
    cmd = f.open_package(
        f.blk(),
        kejuruan=Kejuruan.PROCESSING,
        track=Track.RESKILLING,
        jp_technical=240,
        jp_methodology=0,
        skkni_units=[],
    )
    await open_package(h.ctx, cmd, f.metadata(), None)
    assert await h.events() == [
        "lintas.TrainingPackageOpened.v1",
        "enrollment.NameClaimed.v1",
    ]


async def test_refuses_a_package_code_already_used_at_the_same_blk() -> None:
    h = f.Harness()
    first = f.open_package(f.blk())
    await open_package(h.ctx, first, f.metadata(), None)
    with pytest.raises(RuleViolation) as refused:
        await open_package(
            h.ctx, f.open_package(first.blk, code=first.code), f.metadata(), None
        )
    assert (refused.value.rule, refused.value.violations[0].field) == (
        "package-code-unique",
        "code",
    )
    await open_package(
        h.ctx, f.open_package(f.blk(), code=first.code), f.metadata(), None
    )


async def test_cancelling_withdraws_every_enrollment_and_frees_the_officers() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmds = [f.enrol(s.package_id, s.lapas.code) for _ in range(3)]
    for cmd in cmds:
        await enrol_officer(h.ctx, cmd, f.metadata(), None)
    cancel = CancelTrainingPackage(
        package_id=s.package_id, reason="Instruktur tidak ada"
    )
    outcome = await cancel_package(h.ctx, cancel, f.metadata(), None)
    assert len(outcome.response["withdrawn_enrollments"]) == 3
    view = await h.queries.package(s.package_id)
    assert view is not None and (view.status, view.seats_left) == ("CANCELLED", 16)
    # The officers' dates are free again: they can join another package on those dates.
    other = await open_package(h.ctx, f.open_package(s.blk), f.metadata(), None)
    again = f.enrol(other.response["package_id"], s.lapas.code, nip=cmds[0].nip)
    await enrol_officer(h.ctx, again, f.metadata(), None)


async def test_refuses_to_cancel_a_package_that_has_started() -> None:
    h = f.Harness()
    s = await f.scene(h, start_date=date(2026, 11, 2), end_date=date(2026, 12, 30))
    cancel = CancelTrainingPackage(package_id=s.package_id, reason="Terlambat")
    with pytest.raises(RuleViolation) as refused:
        await cancel_package(h.ctx, cancel, f.metadata(), None)
    assert refused.value.rule == "cancel-before-start"


async def test_refuses_to_close_a_package_twice_or_cancel_a_closed_one() -> None:
    h = f.Harness()
    s = await f.scene(h)
    await close_package(
        h.ctx, CloseTrainingPackage(package_id=s.package_id), f.metadata(), None
    )
    with pytest.raises(RuleViolation) as twice:
        await close_package(
            h.ctx, CloseTrainingPackage(package_id=s.package_id), f.metadata(), None
        )
    cancel = CancelTrainingPackage(package_id=s.package_id, reason="Tidak jadi")
    with pytest.raises(RuleViolation) as cancelled:
        await cancel_package(h.ctx, cancel, f.metadata(), None)
    assert twice.value.rule == cancelled.value.rule == "package-open"

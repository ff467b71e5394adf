"""Query behaviours every EnrollmentQueries implementation must show (memory and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import Api

Case = Callable[[Api], Awaitable[None]]


async def roster_lists_active_enrollments_and_seats_left(api: Api) -> None:
    s = await api.scene(seats=4)
    ids = [
        (await api.enrol(s.package_id, s.lapas.code)).json()["enrollment_id"]
        for _ in range(3)
    ]
    await api.withdraw(s.package_id, ids[0], "Mutasi jabatan")
    roster = await api.get(f"/packages/{s.package_id}/roster")
    assert roster["package"]["seats_left"] == 2
    assert roster["package"]["seats_taken"] == 2
    assert sorted(e["enrollment_id"] for e in roster["enrollments"]) == sorted(ids[1:])
    assert all(e["status"] == "ENROLLED" for e in roster["enrollments"])


async def officer_enrollments_include_withdrawn_ones_by_start_date(api: Api) -> None:
    s = await api.scene(start_date="2027-05-03", end_date="2027-06-30")
    early = (
        await api.open(s.blk, start_date="2027-01-11", end_date="2027-03-12")
    ).json()
    nip = f.nip()
    first = (await api.enrol(s.package_id, s.lapas.code, nip=nip)).json()
    await api.enrol(early["package_id"], s.lapas.code, nip=nip)
    await api.withdraw(s.package_id, first["enrollment_id"], "Sakit")
    found = await api.get(f"/officers/{nip}/enrollments")
    assert [(e["package_id"], e["status"]) for e in found] == [
        (early["package_id"], "ENROLLED"),
        (str(s.package_id), "WITHDRAWN"),
    ]
    assert found[1]["withdrawal_reason"] == "Sakit"
    assert found[0]["lapas"]["code"] == s.lapas.code


async def agreements_are_listed_per_lapas_and_per_blk(api: Api) -> None:
    lapas, blk, other_blk = f.lapas(), f.blk(), f.blk()
    await api.sign(lapas, blk, valid_from=date(2026, 3, 1))
    await api.sign(lapas, other_blk, valid_from=date(2026, 1, 1))
    terminated = (await api.sign(f.lapas(), blk)).json()["agreement_id"]
    await api.terminate(terminated, "Tidak diperpanjang")
    of_lapas = await api.get("/agreements", lapas_code=lapas.code)
    assert [a["blk"]["code"] for a in of_lapas] == [other_blk.code, blk.code]
    of_blk = await api.get("/agreements", blk_code=blk.code)
    assert len(of_blk) == 2
    (ended,) = [a for a in of_blk if a["agreement_id"] == terminated]
    assert ended["terminated_on"] is not None
    assert await api.get("/agreements", lapas_code=lapas.code, blk_code=blk.code) == [
        a for a in of_lapas if a["blk"]["code"] == blk.code
    ]


async def packages_of_a_blk_are_listed_by_start_date_with_status(api: Api) -> None:
    s = await api.scene(start_date="2027-05-03", end_date="2027-06-30")
    early = (
        await api.open(s.blk, start_date="2027-01-11", end_date="2027-03-12")
    ).json()
    await api.open(f.blk())
    await api.close(early["package_id"])
    listed = await api.get(f"/blks/{s.blk.code}/packages")
    assert [(p["package_id"], p["status"]) for p in listed] == [
        (early["package_id"], "CLOSED"),
        (str(s.package_id), "OPEN"),
    ]
    assert await api.get("/packages", blk_code=s.blk.code) == listed
    single = await api.get(f"/packages/{s.package_id}")
    assert single == listed[1]


async def a_cancelled_package_shows_its_seats_released(api: Api) -> None:
    s = await api.scene()
    for _ in range(2):
        await api.enrol(s.package_id, s.lapas.code)
    await api.cancel(s.package_id, "Peserta kurang")
    package = await api.get(f"/packages/{s.package_id}")
    assert (package["status"], package["seats_left"]) == ("CANCELLED", 16)
    assert (await api.get(f"/packages/{s.package_id}/roster"))["enrollments"] == []


async def an_enrollment_finds_the_agreement_with_the_packages_blk(api: Api) -> None:
    """The directory offers the agreements of the Lapas with the package's BLK only; the
    first of them that covers the package is used (here the later-signed one)."""
    lapas, blk, other_blk = f.lapas(), f.blk(), f.blk()
    await api.sign(lapas, other_blk, valid_from=date(2025, 1, 1))
    await api.sign(lapas, blk, valid_from=date(2025, 6, 1), kejuruan=["BARISTA"])
    covering = (await api.agree(lapas, blk, valid_from=date(2026, 1, 1))).json()
    package = (await api.open(blk)).json()["package_id"]
    enrolled = await api.enrol(package, lapas.code)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["agreement_id"] == covering["agreement_id"]
    elsewhere = (await api.open(f.blk())).json()["package_id"]
    refused = await api.enrol(elsewhere, lapas.code)
    assert refused.status_code == 409  # depends on the agreements stored
    assert refused.json()["type"].endswith("/enrollment-needs-agreement")
    unknown = await api.enrol(uuid.uuid4(), lapas.code)
    assert unknown.json()["type"].endswith("/package-exists")


CASES: list[Case] = [
    roster_lists_active_enrollments_and_seats_left,
    officer_enrollments_include_withdrawn_ones_by_start_date,
    agreements_are_listed_per_lapas_and_per_blk,
    packages_of_a_blk_are_listed_by_start_date_with_status,
    a_cancelled_package_shows_its_seats_released,
    an_enrollment_finds_the_agreement_with_the_packages_blk,
]

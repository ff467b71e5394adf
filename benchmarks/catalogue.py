"""Agreements and packages opened through the enrollment API, and enrollment requests for them."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from benchmarks.identity import BenchIdentity
from benchmarks.reference import KEJURUAN, Nation, Unit, officer

SKKNI = ["C.25LAS01.001.1", "I.563030.006.01"]
COUNTERSIGN = "/agreements/{agreement_id}/signature"


@dataclass(frozen=True)
class OpenPackage:
    """A package the API opened, the Lapas that may enrol in it, and its seats."""

    package_id: str
    blk: Unit
    lapas: tuple[Unit, ...]
    seats: int


@dataclass(frozen=True)
class EnrolRequest:
    """One POST /packages/{id}/enrollments with its headers."""

    url: str
    body: dict[str, Any]
    headers: dict[str, str]
    lapas: str


TRANSPORT_RETRIES: list[str] = []  # what went wrong on the wire, for the report


async def send(
    client: httpx.AsyncClient,
    url: str,
    body: dict[str, Any] | None,
    headers: dict[str, str],
) -> httpx.Response:
    """POST with a fresh Idempotency-Key, retried with the same key on a transport error.

    That is what an agency system does: the key makes the retry safe, so a dropped
    keep-alive connection costs a retry, not a failed or doubled command.
    """
    headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    for attempt in range(1, 4):
        try:
            return await client.post(url, json=body, headers=headers)
        except httpx.TransportError as exc:
            TRANSPORT_RETRIES.append(f"{type(exc).__name__}: {exc}"[:200])
            if attempt == 3:
                raise
            await asyncio.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


async def post(
    client: httpx.AsyncClient,
    url: str,
    body: dict[str, Any] | None,
    headers: dict[str, str],
) -> dict[str, Any]:
    """POST (see `send`); raise with the problem document unless 200/201."""
    answer = await send(client, url, body, headers)
    if answer.status_code not in (200, 201):
        raise RuntimeError(f"POST {url} -> {answer.status_code}: {answer.text[:500]}")
    result: dict[str, Any] = answer.json()
    return result


async def _bounded(tasks: Iterable[Awaitable[Any]], limit: int = 8) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(task: Awaitable[Any]) -> Any:
        async with gate:
            return await task

    return await asyncio.gather(*(one(t) for t in tasks))


async def open_catalogue(
    client: httpx.AsyncClient,
    identity: BenchIdentity,
    nation: Nation,
    rng: random.Random,
    packages: int,
    seats: int,
    probe: Unit | None = None,
) -> list[OpenPackage]:
    """Sign the agreements (both parties) and open `packages` packages starting within
    the next year, each as its unit's operator."""
    today = date.today()
    plans = []
    for _ in range(packages):
        province = rng.choice(nation.provinces)
        blk = rng.choice(nation.blk[province])
        pool = nation.lapas[province]
        lapas = tuple(rng.sample(pool, min(3, len(pool))))
        plans.append((blk, lapas + ((probe,) if probe else ())))
    pairs = {(lp, blk) for blk, lapas in plans for lp in lapas}
    both = await _countersigns(client)
    await _bounded(_agree(client, identity, lp, blk, today, both) for lp, blk in pairs)
    opened = await _bounded(
        _open_package(client, identity, rng, blk, today, seats) for blk, _ in plans
    )
    return [
        OpenPackage(package_id, blk, lapas, seats)
        for package_id, (blk, lapas) in zip(opened, plans, strict=True)
    ]


async def _countersigns(client: httpx.AsyncClient) -> bool:
    """Whether the service takes a second signature (else one puts an agreement in force)."""
    answer = await client.get("/openapi.json")
    answer.raise_for_status()
    return COUNTERSIGN in answer.json().get("paths", {})


async def _agree(
    client: httpx.AsyncClient,
    identity: BenchIdentity,
    lapas: Unit,
    blk: Unit,
    today: date,
    countersign: bool,
) -> None:
    """The Lapas signs, the BLK countersigns: in force once both parties have signed."""
    signed = await post(
        client,
        "/agreements",
        {
            "number": f"PKS/{uuid.uuid4().hex[:8].upper()}/{today.year}",
            "lapas": lapas.ref(),
            "blk": blk.ref(),
            "kejuruan": [k.value for k in KEJURUAN],
            "valid_from": (today - timedelta(days=10)).isoformat(),
            "valid_until": (today + timedelta(days=3 * 365)).isoformat(),
        },
        identity.headers(lapas),
    )
    if countersign and not signed.get("in_force", False):
        path = COUNTERSIGN.format(agreement_id=signed["agreement_id"])
        await post(client, path, None, identity.headers(blk))


async def _open_package(
    client: httpx.AsyncClient,
    identity: BenchIdentity,
    rng: random.Random,
    blk: Unit,
    today: date,
    seats: int,
) -> str:
    instructor = rng.random() < 0.35
    kejuruan = rng.choice(KEJURUAN).value
    start = today + timedelta(days=rng.randint(20, 300))
    end = start + timedelta(days=59 if instructor else 29)
    answer = await post(
        client, "/packages",
        {"code": f"BN-{uuid.uuid4().hex[:10].upper()}",
         "title": f"Pelatihan {kejuruan.title()}", "blk": blk.ref(),
         "kejuruan": kejuruan, "track": "INSTRUCTOR" if instructor else "RESKILLING",
         "start_date": start.isoformat(), "end_date": end.isoformat(),
         "jp_technical": 400 if instructor else 240,
         "jp_methodology": 80 if instructor else 0, "seats": seats,
         "skkni_units": SKKNI if instructor else []},
        identity.headers(blk),
    )  # fmt: skip
    return str(answer["package_id"])


def enrol_requests(
    catalogue: list[OpenPackage],
    identity: BenchIdentity,
    rng: random.Random,
    count: int,
    probe_every: int = 0,
    probe: Unit | None = None,
) -> list[EnrolRequest]:
    """`count` enrollments of distinct officers, round-robin over the packages' seats.

    With `probe`, every `probe_every`-th request enrols an officer of the probe Lapas.
    Each is sent by its Lapas's operator (one token per Lapas, reused).
    """
    capacity = sum(p.seats for p in catalogue)
    if count > capacity:
        raise ValueError(f"{count} enrollments need more than {capacity} seats")
    taken = dict.fromkeys(range(len(catalogue)), 0)
    nips: set[str] = set()
    out = []
    slot = 0
    for i in range(count):
        while taken[slot % len(catalogue)] >= catalogue[slot % len(catalogue)].seats:
            slot += 1
        package = catalogue[slot % len(catalogue)]
        taken[slot % len(catalogue)] += 1
        slot += 1
        person = officer(rng)
        while person["nip"] in nips:
            person = officer(rng)
        nips.add(person["nip"])
        regular = [u for u in package.lapas if u is not probe]
        use_probe = probe is not None and probe_every > 0 and i % probe_every == 0
        lapas = probe if use_probe and probe is not None else rng.choice(regular)
        out.append(
            EnrolRequest(
                f"/packages/{package.package_id}/enrollments",
                {
                    "nip": person["nip"],
                    "name": person["name"],
                    "position": person["position"],
                    "lapas_code": lapas.code,
                },
                identity.headers(lapas),
                lapas.code,
            )
        )
    return out

"""Part 3b: enrollments/s through the enrollment HTTP API, next to raw event-store appends."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter

import httpx

from benchmarks.catalogue import (
    TRANSPORT_RETRIES,
    EnrolRequest,
    enrol_requests,
    open_catalogue,
    send,
)
from benchmarks.config import Settings
from benchmarks.enrollments import officer_enrollments
from benchmarks.identity import verify_rate
from benchmarks.infra import Infra
from benchmarks.reference import build_nation
from benchmarks.relay import by_writer, timed_appends
from benchmarks.results import Report, Row
from benchmarks.stack import Stack
from lintas_shared.db import create_pool, kernel_migrations, migrate
from lintas_shared.eventstore import PostgresEventStore

SEATS = 30


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share in 0..1) of `values`."""
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


async def closed_loop(
    client: httpx.AsyncClient, requests: list[EnrolRequest], concurrency: int
) -> tuple[float, Counter[int], list[float], list[str]]:
    """Send every request with `concurrency` in flight; seconds, statuses, latencies (ms)."""
    queue: asyncio.Queue[EnrolRequest] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    problems: list[str] = []

    async def worker() -> None:
        while not queue.empty():
            request = queue.get_nowait()
            began = time.perf_counter()
            answer = await send(client, request.url, request.body, request.headers)
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[answer.status_code] += 1
            if answer.status_code != 201 and len(problems) < 5:
                problems.append(f"{answer.status_code}: {answer.text[:300]}")

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began, statuses, latencies, problems


async def raw_appends(infra: Infra, count: int, writers: int, seed: int) -> float:
    """Seconds for `count` OfficerEnrolled appends, 1 per transaction, `writers` at once."""
    dsn = await infra.database("lintas_bench_appends")
    pool = await create_pool(dsn, max_size=writers + 1)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, kernel_migrations())
        events = officer_enrollments(count, "bench.unused", seed=seed + 1)
        store = PostgresEventStore(pool)
        return await timed_appends(store, by_writer(events, writers), 1)
    finally:
        await pool.close()


async def run(infra: Infra, settings: Settings, report: Report, stack: Stack) -> None:
    """Open packages through the API, then post N enrollments with bounded concurrency."""
    count, concurrency = settings.http_requests, settings.http_concurrency
    service = await stack.service(
        "enrollment", {"LINTAS_ENROLLMENT_COMMANDS_ENABLED": "false"}
    )
    rng = random.Random(settings.seed)
    nation = build_nation(rng)
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(
        base_url=service.url, timeout=60, limits=limits
    ) as client:
        packages = -(-count // SEATS)
        print(
            f"[http] opening {packages} packages (+ agreements) via the API", flush=True
        )
        identity = stack.identity
        catalogue = await open_catalogue(client, identity, nation, rng, packages, SEATS)
        requests = enrol_requests(catalogue, identity, rng, count)
        print(f"[http] POST {count:,} enrollments, {concurrency} in flight", flush=True)
        seconds, statuses, latencies, problems = await closed_loop(
            client, requests, concurrency
        )
    service_peak_mb = service.sampler.max_bytes / 1024 / 1024
    print(
        f"[http] baseline: {count:,} raw store appends, {concurrency} writers",
        flush=True,
    )
    base_s = await raw_appends(infra, count, concurrency, settings.seed)
    ok = statuses.get(201, 0)
    enrol_rate = ok / seconds
    report.add(
        Row(
            "http",
            f"POST enrollments ({concurrency} in flight)",
            enrol_rate,
            "enrol/s",
            baseline_what="raw store appends",
            baseline=count / base_s,
            peak_rss_mb=service_peak_mb,
            details={
                "peak_rss_of": "the enrollment service process (sampled every 50 ms)",
                "requests": count, "created": ok, "statuses": dict(statuses),
                "seconds": seconds, "baseline_seconds": base_s,
                "latency_ms_p50": percentile(latencies, 0.5),
                "latency_ms_p99": percentile(latencies, 0.99),
                "problems": problems,
                "transport_retries": len(TRANSPORT_RETRIES),
                "transport_retry_samples": TRANSPORT_RETRIES[:3],
                "note": "relay publishes to Kafka inside the service meanwhile",
                "authentication": "bearer token of the Lapas's operator on every "
                "request (one token per Lapas, reused), verified by the service",
            },
        )
    )  # fmt: skip
    lapas = sorted({u for p in catalogue for u in p.lapas}, key=lambda u: u.code)
    blk = sorted({p.blk for p in catalogue}, key=lambda u: u.code)
    print("[http] TokenVerifier.verify of real tokens, in-process", flush=True)
    verified = await verify_rate(stack.identity, (lapas + blk)[:64])
    share = enrol_rate / verified["per_second"]
    report.add(
        Row(
            "auth",
            "token cost: HTTP enrolments vs TokenVerifier.verify (1 core each)",
            enrol_rate,
            "/s",
            baseline_what="verifications in-process",
            baseline=verified["per_second"],
            target=f"ratio <= 0.1: {'met' if share <= 0.1 else 'MISSED'}",
            details={
                **verified,
                "meaning": "ratio = seconds one verification takes / seconds one "
                "enrollment takes (at the service's throughput)",
            },
        )
    )
    if ok != count:
        print(f"  WARNING: only {ok} of {count} enrollments created: {problems}")

"""Part 3c: command response to reporting-API visibility at a steady rate, vs raw Kafka latency."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from benchmarks.catalogue import (
    TRANSPORT_RETRIES,
    EnrolRequest,
    enrol_requests,
    open_catalogue,
    send,
)
from benchmarks.config import Settings
from benchmarks.enroll_http import percentile
from benchmarks.infra import PARTITIONS, Infra, create_topics, kafka_options
from benchmarks.reference import Unit, build_nation
from benchmarks.relay import producer_like_kernel
from benchmarks.results import Report, Row
from benchmarks.stack import Stack

SEATS = 30
POLL_S = 0.02
MAX_IN_FLIGHT = 64
TRACKED = 300
PROBE = Unit("LAPAS-IIA-LATENCY-PROBE", "Lapas Kelas IIA Probe Latensi", "DKI Jakarta")
RAW_TOPIC = "bench.latency.raw"


class Visibility:
    """Polls the reporting API for the probe Lapas's enrollments and notes when each shows."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self.answered: dict[str, float] = {}  # enrollment id -> response time
        self.visible: dict[str, float] = {}
        self.polls = 0
        self.busy = 0.0

    def cycle_ms(self) -> float | None:
        """Mean poll round trip plus pause: the resolution of every visibility time."""
        return (self.busy / self.polls + POLL_S) * 1000 if self.polls else None

    async def seen(self) -> set[str]:
        began = time.perf_counter()
        answer = await self._client.get(
            "/api/v1/officer_progress",
            params={"lapas": PROBE.code, "page_size": 1000},
        )
        self.polls += 1
        self.busy += time.perf_counter() - began
        if answer.status_code in (400, 401, 403, 404, 422):
            # Not a passing hiccup: the poll would never see anything.
            raise RuntimeError(
                f"poll refused {answer.status_code}: {answer.text[:300]}"
            )
        if answer.status_code != 200:
            return set()
        return {str(row["enrollment_id"]) for row in answer.json()["items"]}

    async def poll_until(self, done: asyncio.Event, timeout: float) -> None:
        """Poll while a tracked command is pending; stop once `done` and all are visible."""
        deadline: float | None = None
        while True:
            if len(self.visible) >= len(self.answered) and not done.is_set():
                await asyncio.sleep(0.005)  # nothing pending: no request
                continue
            ids = await self.seen()
            now = time.perf_counter()
            for eid in ids & self.answered.keys():
                self.visible.setdefault(eid, now)
            if done.is_set():
                if len(self.visible) >= len(self.answered):
                    return
                deadline = deadline or now + timeout
                if now > deadline:
                    return
            await asyncio.sleep(POLL_S)


async def _warm_pipeline(
    client: httpx.AsyncClient, visibility: Visibility, request: EnrolRequest
) -> float:
    """One tracked enrollment end to end (also waits out the projector's catch-up)."""
    began = time.perf_counter()
    answer = await send(client, request.url, request.body, request.headers)
    if answer.status_code != 201:
        raise RuntimeError(f"warm-up enrollment refused: {answer.text[:300]}")
    eid = str(answer.json()["enrollment_id"])
    while eid not in await visibility.seen():
        if time.perf_counter() - began > 180:
            raise TimeoutError("warm-up enrollment never became visible in reporting")
        await asyncio.sleep(0.1)
    return time.perf_counter() - began


async def steady_commands(
    client: httpx.AsyncClient,
    requests: list[EnrolRequest],
    rate: float,
    visibility: Visibility,
) -> dict[str, Any]:
    """Open loop: request i is due at start + i/rate (at most MAX_IN_FLIGHT at once).

    A request that waits for a free slot goes out late; the share of requests more
    than 100 ms late says whether the service sustained the rate at all.
    """
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    response_ms: list[float] = []
    lateness_ms: list[float] = []
    failures: list[str] = []

    async def fire(request: EnrolRequest, due: float) -> None:
        async with gate:
            began = time.perf_counter()
            lateness_ms.append(max(0.0, began - due) * 1000)
            answer = await send(client, request.url, request.body, request.headers)
            now = time.perf_counter()
        response_ms.append((now - began) * 1000)
        if answer.status_code != 201:
            failures.append(f"{answer.status_code}: {answer.text[:200]}")
        elif request.lapas == PROBE.code:
            visibility.answered[str(answer.json()["enrollment_id"])] = now

    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter()
    try:
        for i, request in enumerate(requests):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(fire(request, due)))
        await asyncio.gather(*tasks)
    finally:  # on cancellation, leave no request running behind the closed client
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - start
    late = sum(1 for x in lateness_ms if x > 100)
    return {
        "sent": len(requests),
        "seconds": elapsed,
        "completed_rate": len(requests) / elapsed,
        "sent_over_100ms_late": late,
        "sustained": late <= 0.01 * len(requests),
        "lateness_ms_p99": percentile(lateness_ms, 0.99),
        "failures": len(failures),
        "transport_retries_so_far": len(TRANSPORT_RETRIES),
        "transport_retry_samples": TRANSPORT_RETRIES[-3:],
        "failure_samples": failures[:3],
        "response_ms_p50": percentile(response_ms, 0.5),
        "response_ms_p99": percentile(response_ms, 0.99),
    }


async def raw_kafka_latency(bootstrap: str, rate: float, seconds: float) -> list[float]:
    """Produce (acks=all) at `rate` msg/s; ms from send to a getmany consumer receiving it."""
    await create_topics(bootstrap, [RAW_TOPIC])  # normally done long before
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
        isolation_level="read_committed",
        **kafka_options(),
    )  # fmt: skip
    await consumer.start()
    partitions = [TopicPartition(RAW_TOPIC, p) for p in range(PARTITIONS)]
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    for tp in partitions:
        await consumer.position(tp)
    producer = producer_like_kernel(bootstrap, "bench-latency")
    await producer.start()
    sent: dict[int, float] = {}
    received: dict[int, float] = {}
    total = int(rate * seconds)

    async def consume() -> None:
        while len(received) < total:
            batches = await consumer.getmany(timeout_ms=100)
            now = time.perf_counter()
            for records in batches.values():
                for record in records:
                    received.setdefault(int(record.key), now)

    reader = asyncio.create_task(consume())
    try:
        start = time.perf_counter()
        body = b"x" * 700
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent[i] = time.perf_counter()
            await producer.send(RAW_TOPIC, body, key=str(i).encode())
        await asyncio.wait_for(reader, timeout=60)
    finally:
        reader.cancel()
        await producer.stop()
        await consumer.stop()
    return [(received[i] - sent[i]) * 1000 for i in received]


async def run(infra: Infra, settings: Settings, report: Report, stack: Stack) -> None:
    """Start reporting, open packages, post at a steady rate, and time until visible."""
    rate, seconds = settings.latency_rate, settings.latency_seconds
    count = int(rate * seconds)
    enrollment = await stack.service(
        "enrollment", {"LINTAS_ENROLLMENT_COMMANDS_ENABLED": "false"}
    )
    reporting = await stack.service("reporting")
    rng = random.Random(settings.seed + 3)
    nation = build_nation(rng)
    # About 300 tracked commands: each poll returns every tracked row so far, so fewer
    # rows keep the poll cheap (and its load on the machine small).
    probe_every = max(1, -(-count // TRACKED))
    async with (
        httpx.AsyncClient(base_url=enrollment.url, timeout=60) as client,
        httpx.AsyncClient(
            base_url=reporting.url,
            timeout=10,
            headers=stack.identity.headers(PROBE),  # sees its own officers
        ) as reads,
    ):
        packages = -(-(count + 1) // SEATS)
        print(f"[latency] opening {packages} packages via the API", flush=True)
        identity = stack.identity
        catalogue = await open_catalogue(
            client, identity, nation, rng, packages, SEATS, PROBE
        )
        requests = enrol_requests(
            catalogue, identity, rng, count + 1, probe_every, PROBE
        )
        visibility = Visibility(reads)
        warm_s = await _warm_pipeline(client, visibility, requests[0])
        print(
            f"[latency] pipeline warm ({warm_s:.1f} s); {rate:g} commands/s for "
            f"{seconds:g} s, every {probe_every}. tracked",
            flush=True,
        )
        done = asyncio.Event()
        poller = asyncio.create_task(visibility.poll_until(done, timeout=60))
        load = await steady_commands(client, requests[1:], rate, visibility)
        done.set()
        await poller
    latencies = [
        (visibility.visible[eid] - answered) * 1000
        for eid, answered in visibility.answered.items()
        if eid in visibility.visible
    ]
    base_seconds = max(5.0, min(seconds, 15.0))
    print(f"[latency] baseline: raw Kafka at {rate:g} msg/s for {base_seconds:g} s")
    raw = await raw_kafka_latency(infra.bootstrap, rate, base_seconds)
    details = {
        **load, "tracked": len(visibility.answered), "visible": len(latencies),
        "polls": visibility.polls, "poll_pause_ms": POLL_S * 1000,
        "poll_cycle_ms_mean": visibility.cycle_ms(),
        "baseline_messages": len(raw), "baseline_seconds": base_seconds,
        "definition": "command's HTTP response -> first poll of GET "
        "/api/v1/officer_progress?lapas=<probe> listing the enrollment",
    }  # fmt: skip
    for share, label in ((0.5, "p50"), (0.99, "p99")):
        report.add(
            Row(
                "latency",
                f"{label} response->visible in reporting @ {rate:g}/s",
                percentile(latencies, share),
                "ms",
                baseline_what="raw Kafka produce->consume",
                baseline=percentile(raw, share),
                target=(
                    f"rate sustained ({load['completed_rate']:.0f}/s done)"
                    if load["sustained"]
                    else f"rate NOT sustained: {load['sent_over_100ms_late']} of "
                    f"{load['sent']} sent >100 ms late, {load['completed_rate']:.0f}/s done"
                ),
                details=details,
            )
        )

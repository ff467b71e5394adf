"""Part 1: event store appends and the outbox relay, next to a plain idempotent producer loop."""

from __future__ import annotations

import asyncio
import time
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

import asyncpg
from aiokafka import AIOKafkaProducer

from benchmarks.config import Settings
from benchmarks.enrollments import Enrollment, officer_enrollments
from benchmarks.infra import Infra, create_topics, kafka_login, kafka_options
from benchmarks.memory import PhaseMemory
from benchmarks.results import Report, Row
from lintas_shared.db import create_pool, kernel_migrations, migrate
from lintas_shared.eventstore import PostgresEventStore, StreamAppend
from lintas_shared.eventstore.postgres import row_to_event
from lintas_shared.messaging import KafkaPublisher, OutboxRelay
from lintas_shared.messaging.relay import publish_all

RELAY_TOPIC = "bench.relay.enrollment"
BASELINE_TOPIC = "bench.relay.baseline"
SOURCE = "lintas/enrollment"


@dataclass
class RelayOutcome:
    """What part 2 needs: the database holding the kernel tables and the published topic."""

    dsn: str
    topic: str
    events: list[Enrollment]


def producer_like_kernel(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    """A plain producer with the kernel producer's settings (acks=all, idempotent)."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=512 * 1024,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
        **kafka_options(),
    )


def by_writer(events: Sequence[Enrollment], writers: int) -> list[list[Enrollment]]:
    """Split events so each stream belongs to one writer (its versions stay in order)."""
    lanes: list[list[Enrollment]] = [[] for _ in range(writers)]
    for item in events:
        lanes[zlib.crc32(item.stream_id.encode()) % writers].append(item)
    return lanes


def transactions(lane: Sequence[Enrollment], size: int) -> list[list[StreamAppend]]:
    """Chunks of `size` events, each chunk one StreamAppend per stream it touches."""
    out = []
    for start in range(0, len(lane), size):
        grouped: dict[str, list[Enrollment]] = defaultdict(list)
        for item in lane[start : start + size]:
            grouped[item.stream_id].append(item)
        out.append(
            [
                StreamAppend(stream, items[0].version - 1, [i.event for i in items])
                for stream, items in grouped.items()
            ]
        )
    return out


async def _append_single(store: PostgresEventStore, lane: list[Enrollment]) -> None:
    for item in lane:
        await store.append(
            [StreamAppend(item.stream_id, item.version - 1, [item.event])],
            item.metadata,
        )


async def _append_batched(
    store: PostgresEventStore, lane: list[Enrollment], size: int
) -> None:
    metadata = {i.event.event_id: i.metadata for i in lane}
    for tx in transactions(lane, size):
        await store.append(tx, metadata[tx[0].events[0].event_id])


async def timed_appends(
    store: PostgresEventStore, lanes: list[list[Enrollment]], size: int
) -> float:
    began = time.perf_counter()
    if size == 1:
        await asyncio.gather(*(_append_single(store, lane) for lane in lanes))
    else:
        await asyncio.gather(*(_append_batched(store, lane, size) for lane in lanes))
    return time.perf_counter() - began


async def _kafka_messages(
    pool: asyncpg.Pool,
) -> list[tuple[str, bytes, bytes, list[tuple[str, bytes]]]]:
    """The exact records the relay published: (topic, key, value, headers), outbox order."""
    rows = await pool.fetch(
        """SELECT o.topic, o.message_key, e.* FROM outbox o JOIN events e USING (event_id)
           ORDER BY o.id"""
    )
    out = []
    for row in rows:
        value, headers = row_to_event(row).to_cloudevent(SOURCE).to_kafka()
        out.append((row["topic"], row["message_key"].encode(), value, headers))
    return out


async def _baseline_produce(
    bootstrap: str,
    messages: list[tuple[str, bytes, bytes, list[tuple[str, bytes]]]],
    topic: str,
) -> tuple[float, PhaseMemory]:
    producer = producer_like_kernel(bootstrap, "bench-baseline")
    await producer.start()
    try:
        with PhaseMemory() as memory:
            began = time.perf_counter()
            futures = [
                await producer.send(topic, value, key=key, headers=headers)
                for _, key, value, headers in messages
            ]
            await asyncio.gather(*futures)
            elapsed = time.perf_counter() - began
    finally:
        await producer.stop()
    return elapsed, memory


async def _drain(
    bootstrap: str, pool: asyncpg.Pool, batch: int, n: int
) -> tuple[float, PhaseMemory]:
    """Seconds for OutboxRelay.publish_pending to publish every unpublished row."""
    publisher = KafkaPublisher(bootstrap, "bench-relay", security=kafka_login())
    await publisher.ping()
    relay = OutboxRelay(
        pool, publisher, source=SOURCE, lock_key="bench", batch_size=batch
    )
    try:
        with PhaseMemory() as memory:
            began = time.perf_counter()
            published = await publish_all(relay)
            took = time.perf_counter() - began
    finally:
        await publisher.close()
    if published != n:
        raise RuntimeError(f"relay published {published}, expected {n}")
    return took, memory


def round_topic(topic: str, r: int) -> str:
    return topic if r == 0 else f"{topic}.r{r}"


def max_of(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


async def run(infra: Infra, settings: Settings, report: Report) -> RelayOutcome:
    """Append N events (1 per tx, then batched); then rounds of raw baseline and relay drain.

    Baseline and relay alternate, each round to fresh topics, and the medians are
    reported, so a burst of load from a neighbour on a shared machine hits both.
    """
    n = settings.events
    single = min(settings.single_appends, n)
    print(f"[relay] building {n:,} OfficerEnrolled events", flush=True)
    events = officer_enrollments(n, RELAY_TOPIC, seed=settings.seed)
    dsn = await infra.database("lintas_bench_kernel")
    await create_topics(infra.bootstrap, [RELAY_TOPIC, BASELINE_TOPIC])
    pool = await create_pool(dsn, max_size=settings.writers + 2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, kernel_migrations())
        store = PostgresEventStore(pool)

        print(
            f"[relay] appending {single:,} events, 1 per transaction, "
            f"{settings.writers} writers",
            flush=True,
        )
        with PhaseMemory() as memory:
            took = await timed_appends(
                store, by_writer(events[:single], settings.writers), 1
            )
        report.add(
            Row(
                "append",
                "appends, 1 event/tx",
                single / took,
                "events/s",
                peak_rss_mb=memory.peak_mb,
                details={"events": single, "seconds": took, "writers": settings.writers,
                         "memory": memory.as_dict()},
            )
        )  # fmt: skip
        rest = events[single:]
        if rest:
            print(
                f"[relay] appending {len(rest):,} events, {settings.tx_size} per "
                f"transaction, {settings.writers} writers",
                flush=True,
            )
            with PhaseMemory() as memory:
                took = await timed_appends(
                    store, by_writer(rest, settings.writers), settings.tx_size
                )
            report.add(
                Row(
                    "append",
                    f"appends, {settings.tx_size} events/tx",
                    len(rest) / took,
                    "events/s",
                    peak_rss_mb=memory.peak_mb,
                    details={"events": len(rest), "seconds": took,
                             "writers": settings.writers, "memory": memory.as_dict()},
                )
            )  # fmt: skip

        rounds = max(1, settings.rounds)
        await create_topics(
            infra.bootstrap,
            [
                round_topic(t, r)
                for t in (RELAY_TOPIC, BASELINE_TOPIC)
                for r in range(rounds)
            ],
        )
        relay_s: list[float] = []
        base_s: list[float] = []
        memory_mb: list[float | None] = []
        base_memory_mb: list[float | None] = []
        for r in range(rounds):
            messages = await _kafka_messages(pool)
            print(f"[relay] round {r + 1}/{rounds}: plain producer, {n:,} messages")
            took, base_mem = await _baseline_produce(
                infra.bootstrap, messages, round_topic(BASELINE_TOPIC, r)
            )
            base_s.append(took)
            base_memory_mb.append(base_mem.peak_mb)
            del messages
            if r:  # the same rows again, to a fresh topic
                await pool.execute(
                    "UPDATE outbox SET published_at = NULL, topic = $1",
                    round_topic(RELAY_TOPIC, r),
                )
                await pool.execute("VACUUM ANALYZE outbox")
            print(f"[relay] round {r + 1}/{rounds}: OutboxRelay draining {n:,} rows")
            took, mem = await _drain(infra.bootstrap, pool, settings.relay_batch, n)
            relay_s.append(took)
            memory_mb.append(mem.peak_mb)
        report.add(
            Row(
                "relay",
                f"outbox->Kafka acked (batch {settings.relay_batch})",
                n / median(relay_s),
                "events/s",
                baseline_what="plain producer",
                baseline=n / median(base_s),
                peak_rss_mb=max_of(memory_mb),
                baseline_peak_rss_mb=max_of(base_memory_mb),
                details={"events": n, "rounds": rounds, "seconds": relay_s,
                         "baseline_seconds": base_s,
                         "ratio_per_round": [b / s for s, b in zip(relay_s, base_s, strict=True)],
                         "peak_rss_mb_per_round": memory_mb,
                         "baseline_peak_rss_mb_per_round": base_memory_mb},
            )
        )  # fmt: skip
    finally:
        await pool.close()
    return RelayOutcome(dsn=dsn, topic=RELAY_TOPIC, events=events)

"""Part 2: EventConsumer projecting into a table, next to getmany plus COPY of the same events."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import date, datetime
from statistics import median
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer

from benchmarks.config import Settings
from benchmarks.infra import Infra, kafka_login, kafka_options
from benchmarks.memory import PhaseMemory
from benchmarks.relay import RelayOutcome, max_of
from benchmarks.results import Report, Row
from lintas_shared.contracts import default_registry
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.db import create_pool
from lintas_shared.messaging import Delivery, EventConsumer, KafkaPublisher

CONSUMER = "bench-projector"
COLUMNS = (
    "enrollment_id", "event_id", "package_id", "package_code", "kejuruan", "track",
    "blk_code", "blk_province", "lapas_code", "lapas_province", "nip", "officer_name",
    "start_date", "end_date", "jp_total", "enrolled_at",
)  # fmt: skip
_TYPES = (
    "uuid", "uuid", "uuid", "text", "text", "text", "text", "text", "text", "text",
    "text", "text", "date", "date", "int", "timestamptz",
)  # fmt: skip


def _table(name: str) -> str:
    cols = ",\n  ".join(
        f"{c} {t}{' PRIMARY KEY' if c == 'enrollment_id' else ''}"
        for c, t in zip(COLUMNS, _TYPES, strict=True)
    )
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {cols}\n)"


_INSERT = (
    f"INSERT INTO bench_enrollments ({', '.join(COLUMNS)}) "
    f"SELECT * FROM unnest({', '.join(f'${i}::{t}[]' for i, t in enumerate(_TYPES, 1))}) "
    "ON CONFLICT (enrollment_id) DO NOTHING"
)


def _row(e: OfficerEnrolled, event_id: uuid.UUID) -> tuple[Any, ...]:
    return (
        e.enrollment_id, event_id, e.package_id, e.package_code, e.kejuruan.value,
        e.track.value, e.blk.code, e.blk.province, e.lapas.code, e.lapas.province,
        e.officer.nip, e.officer.name, e.start_date, e.end_date, e.jp_total,
        e.enrolled_at,
    )  # fmt: skip


async def _kernel(
    infra: Infra, topic: str, dsn: str, n: int, batch: int, name: str
) -> tuple[float, float]:
    """Seconds for EventConsumer to apply `n` events, and to its first batch."""
    done = asyncio.Event()
    applied = 0
    first: float | None = None

    async def handler(conn: asyncpg.Connection, deliveries: list[Delivery]) -> None:
        nonlocal applied, first
        first = first or time.perf_counter()
        rows = [
            _row(d.payload, d.event.id)
            for d in deliveries
            if isinstance(d.payload, OfficerEnrolled)
        ]
        await conn.execute(_INSERT, *(list(col) for col in zip(*rows, strict=True)))
        applied += len(deliveries)
        if applied >= n:
            done.set()

    pool = await create_pool(dsn, max_size=3)
    publisher = KafkaPublisher(
        infra.bootstrap, "bench-projector-dlq", security=kafka_login()
    )
    consumer = EventConsumer(
        name=name,
        topics=[topic],
        bootstrap=infra.bootstrap,
        pool=pool,
        handler=handler,
        registry=default_registry(),
        publisher=publisher,
        batch_size=batch,
        security=kafka_login(),
    )
    try:
        began = time.perf_counter()
        task = asyncio.create_task(consumer.run())
        await asyncio.wait_for(done.wait(), timeout=max(300.0, n / 100))
        elapsed = time.perf_counter() - began
        await consumer.stop()
        await asyncio.wait_for(task, timeout=30)
        stored = await pool.fetchval("SELECT count(*) FROM bench_enrollments")
        ids = await pool.fetchval(
            "SELECT count(*) FROM processed_events WHERE consumer = $1", name
        )
        offsets = await pool.fetchval(
            "SELECT sum(next_offset) FROM consumer_checkpoints WHERE consumer = $1",
            name,
        )
        if not stored == ids == offsets == n:
            raise RuntimeError(
                f"projector: {stored} rows, {ids} ids, {offsets} offsets, expected {n}"
            )
    finally:
        await publisher.close()
        await pool.close()
    return elapsed, (first or began) - began


def _raw_row(value: bytes, headers: list[tuple[str, bytes]]) -> tuple[Any, ...]:
    e = json.loads(value)
    event_id = next(v for k, v in headers if k == "ce_id")
    return (
        uuid.UUID(e["enrollment_id"]), uuid.UUID(event_id.decode()),
        uuid.UUID(e["package_id"]), e["package_code"], e["kejuruan"], e["track"],
        e["blk"]["code"], e["blk"]["province"], e["lapas"]["code"],
        e["lapas"]["province"], e["officer"]["nip"], e["officer"]["name"],
        date.fromisoformat(e["start_date"]), date.fromisoformat(e["end_date"]),
        e["jp_total"], datetime.fromisoformat(e["enrolled_at"]),
    )  # fmt: skip


async def raw_consume_copy(
    bootstrap: str,
    topics: list[str],
    conn: asyncpg.Connection,
    table: str,
    columns: tuple[str, ...],
    to_row: Any,
    n: int,
    batch: int,
) -> tuple[float, float]:
    """Seconds for a plain consumer to COPY `n` records (commit per batch), and to the first."""
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=f"bench-raw-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=batch,
        max_partition_fetch_bytes=4 * 1024 * 1024,
        **kafka_options(),
    )
    began = time.perf_counter()
    await consumer.start()
    seen = 0
    first: float | None = None
    try:
        deadline = began + max(300.0, n / 100)
        while seen < n:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"raw consumer saw {seen} of {n} records")
            batches = await consumer.getmany(timeout_ms=200, max_records=batch)
            rows = [
                to_row(r.value, r.headers) for recs in batches.values() for r in recs
            ]
            if not rows:
                continue
            first = first or time.perf_counter()
            await conn.copy_records_to_table(table, records=rows, columns=columns)
            await consumer.commit()
            seen += len(rows)
        return time.perf_counter() - began, (first or began) - began
    finally:
        await consumer.stop()


async def run(
    infra: Infra, settings: Settings, report: Report, relay: RelayOutcome
) -> None:
    """Rounds of raw baseline then kernel consumer over the N events part 1 published.

    Each round truncates both tables and uses a new consumer name and group, so every
    round reads all N events from offset 0; medians are reported.
    """
    n = len(relay.events)
    rounds = max(1, settings.rounds)
    kernel: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    memory_mb: list[float | None] = []
    base_memory_mb: list[float | None] = []
    for r in range(rounds):
        conn = await asyncpg.connect(relay.dsn)
        try:
            for table in ("bench_enrollments", "bench_enrollments_raw"):
                await conn.execute(_table(table))
                await conn.execute(f"TRUNCATE {table}")
            await conn.execute(
                "VACUUM ANALYZE bench_enrollments, bench_enrollments_raw"
            )
            print(f"[projector] round {r + 1}/{rounds}: getmany + COPY, {n:,} events")
            with PhaseMemory() as base_mem:
                base.append(
                    await raw_consume_copy(
                        infra.bootstrap, [relay.topic], conn, "bench_enrollments_raw",
                        COLUMNS, _raw_row, n, settings.consumer_batch,
                    )
                )  # fmt: skip
            base_memory_mb.append(base_mem.peak_mb)
        finally:
            await conn.close()
        print(f"[projector] round {r + 1}/{rounds}: EventConsumer, {n:,} events")
        with PhaseMemory() as memory:
            kernel.append(
                await _kernel(
                    infra, relay.topic, relay.dsn, n, settings.consumer_batch,
                    f"{CONSUMER}-{r}",
                )
            )  # fmt: skip
        memory_mb.append(memory.peak_mb)
    kernel_s = [k for k, _ in kernel]
    base_s = [b for b, _ in base]
    report.add(
        Row(
            "projector",
            f"EventConsumer->table (batch {settings.consumer_batch})",
            n / median(kernel_s),
            "events/s",
            baseline_what="getmany+COPY",
            baseline=n / median(base_s),
            peak_rss_mb=max_of(memory_mb),
            baseline_peak_rss_mb=max_of(base_memory_mb),
            details={"events": n, "rounds": rounds, "seconds": kernel_s,
                     "baseline_seconds": base_s,
                     "ratio_per_round": [b / k for k, b in zip(kernel_s, base_s, strict=True)],
                     "seconds_to_first_batch": [f for _, f in kernel],
                     "baseline_seconds_to_first_batch": [f for _, f in base],
                     "peak_rss_mb_per_round": memory_mb,
                     "baseline_peak_rss_mb_per_round": base_memory_mb},
        )
    )  # fmt: skip

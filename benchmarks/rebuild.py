"""Part 3a: reporting rebuild of a national event log (subprocess), next to a raw replay+COPY."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from benchmarks.config import Settings
from benchmarks.infra import (
    PARTITIONS,
    Infra,
    create_topics,
    free_ports,
    kafka_login,
    kafka_options,
)
from benchmarks.memory import PhaseMemory, RssSampler
from benchmarks.national import NationalMix
from benchmarks.relay import producer_like_kernel
from benchmarks.results import REPO_ROOT, Report, Row

ENROLLMENT_TOPIC = "bench.rebuild.enrollment"
CERTIFICATION_TOPIC = "bench.rebuild.certification"
BATCH = 5000  # ReportingSettings.rebuild_batch_size default; the baseline uses it too
RATIO_TARGET = 0.3
RSS_TARGET_MB = 500.0
# Keyed by event id like the read models' fact tables are keyed by their ids.
_RAW_TABLE = """CREATE TABLE IF NOT EXISTS raw_events (
    event_id uuid PRIMARY KEY, type text NOT NULL, subject text NOT NULL,
    topic text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL,
    time timestamptz NOT NULL, data jsonb NOT NULL)"""
_RAW_COLUMNS = (
    "event_id",
    "type",
    "subject",
    "topic",
    "partition",
    "offset",
    "time",
    "data",
)
_SWITCHED = re.compile(
    r"switched \S+ -> \S+: ([\d,]+) events in ([\d.]+) s .* skipped (\d+)"
)


async def produce_national(
    bootstrap: str, total: int, seed: int
) -> tuple[float, dict[str, int]]:
    """Write `total` records of the national mix; seconds taken (generation included)."""
    mix = NationalMix(ENROLLMENT_TOPIC, CERTIFICATION_TOPIC, seed=seed)
    producer = producer_like_kernel(bootstrap, "bench-national")
    await producer.start()
    began = time.perf_counter()
    try:
        pending: list[asyncio.Future[Any]] = []
        for topic, key, value, headers in mix.records(total):
            pending.append(await producer.send(topic, value, key=key, headers=headers))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
                done = sum(mix.counts.values())
                if done % 200_000 < 20_000:
                    print(f"  produced {done:,}", flush=True)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - began, dict(mix.counts)


def _raw_row(record: Any) -> tuple[Any, ...]:
    attrs = dict(record.headers)
    return (
        uuid.UUID(attrs["ce_id"].decode()),
        attrs["ce_type"].decode(),
        attrs["ce_subject"].decode(),
        record.topic,
        record.partition,
        record.offset,
        datetime.fromisoformat(attrs["ce_time"].decode()),
        record.value.decode(),
    )


async def raw_replay(bootstrap: str, dsn: str, total: int) -> float:
    """Seconds for a plain consumer (assigned partitions) to COPY every record into a table."""
    conn = await asyncpg.connect(dsn)
    await conn.execute(_RAW_TABLE)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_poll_records=BATCH,
        fetch_max_bytes=16 * 1024 * 1024,
        max_partition_fetch_bytes=2 * 1024 * 1024,
        **kafka_options(),
    )
    began = time.perf_counter()
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in (ENROLLMENT_TOPIC, CERTIFICATION_TOPIC)
            for p in range(PARTITIONS)  # this run created them
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        seen = 0
        while seen < total:
            batches = await consumer.getmany(timeout_ms=500, max_records=BATCH)
            rows = [_raw_row(r) for records in batches.values() for r in records]
            if rows:
                await conn.copy_records_to_table(
                    "raw_events", records=rows, columns=_RAW_COLUMNS
                )
                seen += len(rows)
            if time.perf_counter() - began > max(600.0, total / 200):
                raise TimeoutError(f"raw replay saw {seen} of {total}")
        return time.perf_counter() - began
    finally:
        await consumer.stop()
        await conn.close()


Until = Callable[[], Awaitable[bool]]


def _spawn_reporting(
    infra: Infra, dsn: str, args: list[str], log: Path, peak_file: Path
) -> subprocess.Popen[bytes]:
    (port,) = free_ports(1)
    env = {
        **os.environ,
        "LINTAS_REPORTING_DATABASE_URL": dsn,
        "LINTAS_REPORTING_KAFKA_BOOTSTRAP": infra.bootstrap,
        "LINTAS_REPORTING_KAFKA_SECURITY": kafka_login().settings_json(),
        "LINTAS_REPORTING_ENROLLMENT_TOPIC": ENROLLMENT_TOPIC,
        "LINTAS_REPORTING_CERTIFICATION_TOPIC": CERTIFICATION_TOPIC,
        "LINTAS_REPORTING_CONSUMER_BATCH_SIZE": str(BATCH),
        "LINTAS_REPORTING_HTTP_PORT": str(port),
        "LINTAS_REPORTING_LOG_LEVEL": "WARNING",
        "LINTAS_BENCH_PEAK_FILE": str(peak_file),
    }
    argv = [sys.executable, "-m", "benchmarks.peak", "reporting", *args]
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


@dataclass
class ChildRun:
    """A reporting subprocess measured from spawn to exit (or to `until`)."""

    seconds: float
    sampled_mb: float
    vmhwm_mb: float | None
    output: str
    returncode: int | None
    cpu_seconds: float

    @property
    def peak_mb(self) -> float:
        return self.vmhwm_mb if self.vmhwm_mb is not None else self.sampled_mb


async def run_reporting(
    infra: Infra, dsn: str, args: list[str], total: int, until: Until | None = None
) -> ChildRun:
    """Run ``python -m reporting ARGS``; wait for its exit, or for `until` then SIGTERM."""
    name = "-".join(args) or "serve"
    log, peak_file = infra.run_dir / f"{name}.log", infra.run_dir / f"{name}.peak"
    began = time.perf_counter()
    proc = _spawn_reporting(infra, dsn, args, log, peak_file)
    sampler = RssSampler(proc.pid).start()
    elapsed: float | None = None
    try:
        deadline = began + max(900.0, total / 100)
        while proc.poll() is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"python -m reporting {name} did not finish in time")
            if until is not None and await until():
                elapsed = time.perf_counter() - began
                break
            await asyncio.sleep(0.1 if until is None else 0.5)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    elapsed = elapsed if elapsed is not None else time.perf_counter() - began
    output = log.read_text(errors="replace")
    own = json.loads(peak_file.read_text()) if peak_file.exists() else {}
    done = ChildRun(
        elapsed, sampler.stop(), own.get("vmhwm_mb"), output, proc.returncode,
        own.get("cpu_user_s", 0.0) + own.get("cpu_system_s", 0.0),
    )  # fmt: skip
    if until is None and proc.returncode != 0:
        raise RuntimeError(
            f"`python -m reporting {' '.join(args)}` exited {proc.returncode}: "
            f"{_last_lines(output, keep=_keep_log(name, output))}"
        )
    return done


def _keep_log(name: str, output: str) -> Path:
    kept = REPO_ROOT / "artifacts" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(output)
    return kept


def _last_lines(output: str, keep: Path | None = None, n: int = 3) -> str:
    last = " | ".join([x for x in output.splitlines() if x.strip()][-n:])
    return f"{last} (log {keep})" if keep else last


async def _rebuild(infra: Infra, total: int) -> tuple[ChildRun, dict[str, Any]]:
    """``reporting rebuild --all`` into a fresh database; checks every event was applied."""
    dsn = await infra.database("lintas_bench_reporting")
    print(
        f"[rebuild] python -m reporting rebuild --all over {total:,} events", flush=True
    )
    child = await run_reporting(infra, dsn, ["rebuild", "--all"], total)
    match = _SWITCHED.search(child.output)
    if match is None:
        raise RuntimeError(f"no 'switched' line: {_last_lines(child.output)}")
    applied, skipped = int(match.group(1).replace(",", "")), int(match.group(3))
    if applied + skipped != total or skipped:
        raise RuntimeError(
            f"`python -m reporting rebuild --all` applied {applied:,} and skipped "
            f"{skipped:,} of the {total:,} events on the topics; last output: "
            f"{_last_lines(child.output, keep=_keep_log('rebuild', child.output), n=1)}"
        )
    return child, {"seconds_reported_by_rebuild": float(match.group(2))}


async def _live_catch_up(infra: Infra, total: int) -> tuple[ChildRun, dict[str, Any]]:
    """``python -m reporting`` (live projector from offset 0) until its checkpoints reach N."""
    dsn = await infra.database("lintas_bench_reporting_live")
    conn = await asyncpg.connect(dsn)

    async def caught_up() -> bool:
        try:
            done = await conn.fetchval(
                "SELECT sum(next_offset) FROM consumer_checkpoints WHERE consumer = $1",
                "reporting-projector",
            )
        except asyncpg.UndefinedTableError:
            return False  # not migrated yet
        return bool(done and done >= total)

    print(f"[rebuild] python -m reporting (live projector) over {total:,} events")
    try:
        child = await run_reporting(infra, dsn, [], total, until=caught_up)
        if not await caught_up():
            raise RuntimeError(
                f"live projector stopped before catching up: {_last_lines(child.output)}"
            )
    finally:
        await conn.close()
    return child, {}


async def run(infra: Infra, settings: Settings, report: Report) -> None:
    """Produce the national log, replay it raw, then rebuild every read model from it.

    If the rebuild fails, the live projector's catch-up from offset 0 over the same log
    is measured instead, so the projection path still gets a figure.
    """
    total = settings.rebuild_events
    await create_topics(infra.bootstrap, [ENROLLMENT_TOPIC, CERTIFICATION_TOPIC])
    print(f"[rebuild] producing {total:,} national-mix events", flush=True)
    produce_s, counts = await produce_national(infra.bootstrap, total, settings.seed)
    print(f"[rebuild] produced in {produce_s:.0f} s: {counts}", flush=True)

    raw_dsn = await infra.database("lintas_bench_raw")
    print(f"[rebuild] baseline: raw replay + COPY of {total:,} events", flush=True)
    with PhaseMemory() as base_mem:
        base_s = await raw_replay(infra.bootstrap, raw_dsn, total)
    print(f"  baseline {total / base_s:,.0f} events/s", flush=True)

    failure: str | None = None
    try:
        child, extra = await _rebuild(infra, total)
        what = f"reporting rebuild --all ({total:,} events, subprocess)"
    except (RuntimeError, TimeoutError) as exc:
        failure = str(exc)
        report.skip("rebuild", failure)
        child, extra = await _live_catch_up(infra, total)
        what = (
            f"reporting live projector from offset 0 ({total:,} events; rebuild failed)"
        )
    # The rebuild's own clock (replay, catch-up, switch) leaves out interpreter start-up
    # and migrations, which would dominate small runs; the wall time is in the details.
    seconds = extra.get("seconds_reported_by_rebuild") or child.seconds
    rate, base_rate = total / seconds, total / base_s
    peak = child.peak_mb
    verdict = (
        f"ratio>={RATIO_TARGET} {'met' if rate / base_rate >= RATIO_TARGET else 'MISSED'}, "
        f"RSS<{RSS_TARGET_MB:.0f}MB {'met' if peak < RSS_TARGET_MB else 'MISSED'}"
    )
    report.add(
        Row(
            "rebuild",
            what,
            rate,
            "events/s",
            baseline_what="raw replay+COPY",
            baseline=base_rate,
            target=verdict,
            peak_rss_mb=peak,
            baseline_peak_rss_mb=base_mem.peak_mb,
            details={
                "events": total, "event_mix": counts, "produce_seconds": produce_s,
                "seconds_wall": child.seconds, **extra, "baseline_seconds": base_s,
                "rebuild_failure": failure,
                "output_tail": child.output.strip().splitlines()[-3:],
                "child_vmhwm_mb": child.vmhwm_mb,
                "child_cpu_seconds": child.cpu_seconds,
                "child_sampled_max_rss_mb": child.sampled_mb,
                "baseline_memory": base_mem.as_dict(),
                "memory_method": "child VmHWM written at exit (exact peak); parent "
                "also samples the child's RSS every 50 ms",
            },
        )
    )  # fmt: skip

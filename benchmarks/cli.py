"""Command line of the benchmark suite: sizes, parts, event loop, output file."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import time
import traceback
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any

import typer

from benchmarks import projector, relay
from benchmarks.config import PARTS, Settings
from benchmarks.infra import Infra, start_infra, warm_up
from benchmarks.results import Report, machine_facts
from benchmarks.stack import Stack

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


async def _suite(infra: Infra, settings: Settings, report: Report) -> None:
    parts = settings.parts
    timings: dict[str, float] = report.settings.setdefault("part_seconds", {})
    clock = time.monotonic()
    report.machine["postgres"] = await infra.server_version()
    print("[warm-up] broker JIT and consumer-offsets topic", flush=True)
    await warm_up(infra.bootstrap)
    timings["warm_up"], clock = round(time.monotonic() - clock, 1), time.monotonic()
    if "relay" in parts or "projector" in parts:
        outcome = await relay.run(infra, settings, report)
        timings["relay"], clock = round(time.monotonic() - clock, 1), time.monotonic()
        if "projector" in parts:
            await projector.run(infra, settings, report, outcome)
            timings["projector"] = round(time.monotonic() - clock, 1)
        del outcome
    stack = Stack(infra)
    try:
        for part in ("rebuild", "http", "latency"):
            if part in parts:
                clock = time.monotonic()
                await _service_part(part, infra, settings, report, stack)
                timings[part] = round(time.monotonic() - clock, 1)
    finally:
        peaks = stack.stop()
        if peaks:
            report.machine["service_peak_rss_mb_sampled"] = peaks


async def _service_part(
    part: str, infra: Infra, settings: Settings, report: Report, stack: Stack
) -> None:
    """Parts 3a-3c need the services: skip with the reason when they are not ready."""
    from benchmarks import services

    try:
        await services.PARTS[part](infra, settings, report, stack)
    except services.NotReady as exc:
        report.skip(part, str(exc))
    except Exception as exc:
        traceback.print_exc()
        kept = stack.keep_logs(report.started.strftime("%Y%m%d-%H%M%S"))
        report.skip(
            part, f"failed: {type(exc).__name__}: {exc} {stack.health()} (logs {kept})"
        )


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


async def _cancellable(coro: Coroutine[Any, Any, None]) -> None:
    """Run `coro`; SIGTERM (and SIGINT unless ignored) cancel it, so cleanup still runs."""
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    signals = [signal.SIGTERM]
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signals.append(signal.SIGINT)
    for sig in signals:
        loop.add_signal_handler(sig, task.cancel)
    try:
        await coro
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def _run(coro: Coroutine[Any, Any, None], loop: str) -> None:
    if loop in ("auto", "uvloop"):
        try:
            import uvloop
        except ImportError:
            if loop == "uvloop":
                raise
        else:
            uvloop.run(_cancellable(coro))
            return
    asyncio.run(_cancellable(coro))


@app.command()
def run(
    quick: Annotated[
        bool, typer.Option(help="Small sizes (about a minute in all).")
    ] = False,
    events: Annotated[
        int | None, typer.Option(help="Events for parts 1-2 (relay, projector).")
    ] = None,
    single_appends: Annotated[
        int | None, typer.Option(help="Of those, appended one per transaction.")
    ] = None,
    writers: Annotated[int | None, typer.Option(help="Concurrent writers.")] = None,
    tx_size: Annotated[
        int | None, typer.Option(help="Events per transaction when batched.")
    ] = None,
    relay_batch: Annotated[
        int | None, typer.Option(help="OutboxRelay batch_size.")
    ] = None,
    consumer_batch: Annotated[
        int | None, typer.Option(help="Consumer batch size (both contenders).")
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option(help="Alternating baseline/subject rounds in parts 1-2 (median)."),
    ] = None,
    rebuild_events: Annotated[
        int | None, typer.Option(help="Events for the reporting rebuild (part 3a).")
    ] = None,
    http_requests: Annotated[
        int | None, typer.Option(help="Enrollments posted in part 3b.")
    ] = None,
    http_concurrency: Annotated[
        int | None, typer.Option(help="Requests in flight in part 3b.")
    ] = None,
    latency_rate: Annotated[
        float | None, typer.Option(help="Commands per second in part 3c.")
    ] = None,
    latency_seconds: Annotated[
        float | None, typer.Option(help="Duration of part 3c.")
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(help=f"Run only these parts (repeatable): {', '.join(PARTS)}."),
    ] = None,
    loop: Annotated[
        str,
        typer.Option(help="Event loop: auto (uvloop if installed), uvloop, asyncio."),
    ] = "auto",
    seed: Annotated[int | None, typer.Option(help="Data generator seed.")] = None,
    output: Annotated[
        Path | None,
        typer.Option(help="JSON file (default artifacts/bench-<time>.json)."),
    ] = None,
    keep_run_dir: Annotated[
        bool, typer.Option(help="Keep the temporary Kafka/PostgreSQL folder.")
    ] = False,
) -> None:
    """Run the benchmarks against a private Kafka and PostgreSQL, print and save results."""
    settings = Settings.quick() if quick else Settings()
    chosen = {
        "events": events, "single_appends": single_appends, "writers": writers,
        "tx_size": tx_size, "relay_batch": relay_batch, "consumer_batch": consumer_batch,
        "rounds": rounds,
        "rebuild_events": rebuild_events, "http_requests": http_requests,
        "http_concurrency": http_concurrency, "latency_rate": latency_rate,
        "latency_seconds": latency_seconds, "seed": seed,
    }  # fmt: skip
    overrides: dict[str, Any] = {k: v for k, v in chosen.items() if v is not None}
    if only:
        unknown = sorted(set(only) - set(PARTS))
        if unknown:
            raise typer.BadParameter(f"unknown part(s) {unknown}; known: {PARTS}")
        overrides["parts"] = tuple(p for p in PARTS if p in only)
    settings = dataclasses.replace(settings, **overrides)
    report = Report(
        settings={**dataclasses.asdict(settings), "quick": quick, "loop": loop},
        machine=machine_facts(),
    )
    print(f"Lintas benchmarks: {settings}", flush=True)
    began = time.monotonic()
    # Outside the event loop a SIGTERM must unwind too, or the broker outlives us.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    infra = start_infra(keep_run_dir=keep_run_dir)
    report.machine["infra_start_s"] = infra.started
    report.machine["kafka_jar"] = sorted(
        p.name for p in infra.kafka.jars_dir.glob("kafka_2*.jar")
    )
    print(
        f"private Kafka {infra.bootstrap}, PostgreSQL {infra.postgres.shown_dsn('postgres')} "
        f"(run dir {infra.run_dir})",
        flush=True,
    )
    interrupted = False
    try:
        _run(_suite(infra, settings, report), loop)
    except (KeyboardInterrupt, asyncio.CancelledError):
        interrupted = True
    finally:
        infra.stop()
        report.settings["wall_seconds"] = round(time.monotonic() - began, 1)
        report.machine["load_avg_at_end"] = os.getloadavg()
        path = report.save(output)
        print()
        print(report.table())
        print(f"\nresults: {path}  (wall {report.settings['wall_seconds']} s)")
    if interrupted:
        print("interrupted: everything started was stopped")
        raise typer.Exit(130)


def main() -> None:
    app()

"""Sizes and switches of one benchmark run (filled from the command line)."""

from __future__ import annotations

from dataclasses import dataclass

PARTS = ("relay", "projector", "rebuild", "http", "latency")


@dataclass(frozen=True)
class Settings:
    """What to run and how big; defaults keep the full run under about ten minutes."""

    events: int = 50_000
    single_appends: int = 2_000
    writers: int = 4
    tx_size: int = 100
    relay_batch: int = 500
    consumer_batch: int = 2_000
    rounds: int = 2
    rebuild_events: int = 1_000_000
    http_requests: int = 2_000
    http_concurrency: int = 16
    latency_rate: float = 100.0
    latency_seconds: float = 30.0
    parts: tuple[str, ...] = PARTS
    seed: int = 7

    @classmethod
    def quick(cls) -> Settings:
        return cls(
            events=5_000,
            single_appends=500,
            rebuild_events=50_000,
            http_requests=300,
            latency_seconds=10.0,
            rounds=1,
        )

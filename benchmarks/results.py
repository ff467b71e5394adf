"""Benchmark results: one row per measurement, printed as a table and saved as JSON."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    """A measured rate next to its same-run baseline (ratio = value / baseline)."""

    bench: str
    what: str
    value: float | None
    unit: str
    baseline_what: str = ""
    baseline: float | None = None
    target: str = ""
    peak_rss_mb: float | None = None
    baseline_peak_rss_mb: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


@dataclass
class Skip:
    """A benchmark that could not run, and exactly why."""

    bench: str
    reason: str


@dataclass
class Report:
    """Everything one run measured, with the machine it ran on."""

    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    settings: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  -> {_line(row)}", flush=True)
        return row

    def skip(self, bench: str, reason: str) -> None:
        self.skips.append(Skip(bench, reason))
        print(f"  -> SKIPPED {bench}: {reason}", flush=True)

    def table(self) -> str:
        head = (
            "bench",
            "measured",
            "value",
            "baseline",
            "ratio",
            "peak RSS MB",
            "target",
        )
        body = [
            (
                r.bench,
                r.what,
                _num(r.value, r.unit),
                f"{_num(r.baseline, r.unit)} ({r.baseline_what})"
                if r.baseline_what
                else "",
                f"{r.ratio:.2f}" if r.ratio is not None else "",
                _rss(r.peak_rss_mb, r.baseline_peak_rss_mb),
                r.target,
            )
            for r in self.rows
        ]
        widths = [
            max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)
        ]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            for row in body
        ]
        lines += [f"SKIPPED {s.bench}: {s.reason}" for s in self.skips]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "started": self.started.isoformat(),
            "settings": self.settings,
            "machine": self.machine,
            "results": [{**asdict(r), "ratio": r.ratio} for r in self.rows],
            "skipped": [asdict(s) for s in self.skips],
        }

    def save(self, path: Path | None = None) -> Path:
        if path is None:
            stamp = self.started.strftime("%Y%m%d-%H%M%S")
            path = REPO_ROOT / "artifacts" / f"bench-{stamp}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n")
        return path


def machine_facts() -> dict[str, Any]:
    """nproc, memory, CPU model, Python and git revision of the run."""
    facts: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_avg_at_start": os.getloadavg(),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        total_kb = int(next(x for x in meminfo if x.startswith("MemTotal")).split()[1])
        facts["mem_total_gib"] = round(total_kb / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        facts["cpu"] = next(
            (x.split(":", 1)[1].strip() for x in cpuinfo if x.startswith("model name")),
            "?",
        )
    except (OSError, StopIteration, ValueError):
        pass
    with contextlib.suppress(OSError):
        facts["git_commit"] = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    return facts


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:,.2f} {unit}"


def _rss(subject: float | None, baseline: float | None) -> str:
    if subject is None:
        return ""
    if baseline is None:
        return f"{subject:.0f}"
    return f"{subject:.0f} (base {baseline:.0f})"


def _line(row: Row) -> str:
    text = f"{row.bench}: {row.what} {_num(row.value, row.unit)}"
    if row.baseline_what:
        text += f" | {row.baseline_what} {_num(row.baseline, row.unit)}"
    if row.ratio is not None:
        text += f" | ratio {row.ratio:.2f}"
    if row.peak_rss_mb is not None:
        text += f" | peak RSS {row.peak_rss_mb:.0f} MB"
    return text

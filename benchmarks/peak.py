"""Runs a module as ``__main__`` and writes its peak RSS (VmHWM, MB) to $LINTAS_BENCH_PEAK_FILE."""

from __future__ import annotations

import atexit
import os
import runpy
import sys
from pathlib import Path


def _write_peak() -> None:
    target = os.environ.get("LINTAS_BENCH_PEAK_FILE")
    if not target:
        return
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            Path(target).write_text(f"{int(line.split()[1]) / 1024:.1f}\n")


def main() -> None:
    """``python -m benchmarks.peak MODULE ARGS...`` behaves like ``python -m MODULE ARGS...``."""
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    atexit.register(_write_peak)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()

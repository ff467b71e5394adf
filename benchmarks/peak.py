"""Runs a module as ``__main__``; at exit writes its peak RSS and CPU time to a JSON file."""

from __future__ import annotations

import atexit
import json
import os
import runpy
import sys
from pathlib import Path


def _write_peak() -> None:
    target = os.environ.get("LINTAS_BENCH_PEAK_FILE")
    if not target:
        return
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            found["vmhwm_mb"] = int(line.split()[1]) / 1024
    times = os.times()
    found["cpu_user_s"], found["cpu_system_s"] = times.user, times.system
    Path(target).write_text(json.dumps(found) + "\n")


def main() -> None:
    """``python -m benchmarks.peak MODULE ARGS`` is ``python -m MODULE ARGS`` plus the file.

    The file is named by $LINTAS_BENCH_PEAK_FILE: VmHWM in MB and user/system CPU seconds.
    """
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    atexit.register(_write_peak)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()

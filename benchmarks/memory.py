"""Peak RSS per phase: the kernel's VmHWM reset through clear_refs, or a sampling thread."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

import psutil

_MB = 1024 * 1024


def _status_kb(field: str, pid: int | str = "self") -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """VmHWM: the kernel's high-water mark of resident memory, in MB."""
    kb = _status_kb("VmHWM", pid)
    return kb / 1024 if kb is not None else None


def reset_peak() -> bool:
    """Reset this process's VmHWM to its current RSS (Linux >= 4.0; clear_refs value 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssSampler:
    """Samples a process's RSS every `interval` seconds in a thread and keeps the maximum."""

    def __init__(self, pid: int | None = None, interval: float = 0.05) -> None:
        self._proc = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss")
        self.max_bytes = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss = self._proc.memory_info().rss
            except psutil.Error:
                return
            self.max_bytes = max(self.max_bytes, rss)
            self._stop.wait(self._interval)

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.max_bytes / _MB


class PhaseMemory:
    """Peak RSS of this process during a ``with`` block.

    VmHWM is monotonic over a process's life, so the block first resets it through
    /proc/self/clear_refs and reads it at the end: the kernel's exact peak for the phase.
    A 50 ms sampling thread runs as well and is the fallback where the reset is refused.
    """

    def __init__(self) -> None:
        self.peak_mb: float | None = None
        self.sampled_mb: float | None = None
        self.method = ""
        self._reset = False
        self._sampler = RssSampler()

    def __enter__(self) -> PhaseMemory:
        self._reset = reset_peak()
        self._sampler.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.sampled_mb = self._sampler.stop()
        hwm = peak_rss_mb() if self._reset else None
        if hwm is not None:
            self.peak_mb, self.method = hwm, "VmHWM after clear_refs reset"
        else:
            self.peak_mb, self.method = self.sampled_mb, "RSS sampled every 50 ms"

    def as_dict(self) -> dict[str, object]:
        return {
            "peak_rss_mb": _round(self.peak_mb),
            "sampled_max_rss_mb": _round(self.sampled_mb),
            "method": self.method,
        }


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None

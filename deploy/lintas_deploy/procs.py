"""Detached process supervision: spawn with a pid file, probe, stop with SIGTERM."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import psutil


def spawn(
    argv: Sequence[str],
    *,
    log_file: Path,
    pid_file: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Start `argv` in its own session (survives our exit), output appended to a log."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        log.write(f"--- lintas_deploy: starting {' '.join(argv)}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def read_pid(pid_file: Path) -> int | None:
    """The pid recorded in `pid_file`, or None."""
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_alive(pid: int, marker: str | None = None) -> bool:
    """True if `pid` runs (not a zombie) and its command line contains `marker`."""
    _reap(pid)
    deadline = time.monotonic() + 2.0
    while True:
        try:
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return False
            cmdline = proc.cmdline()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return False
        # A process caught in exec shows an empty command line for a moment (seen in
        # about 1 of 100 fresh spawns): read it again rather than call it gone.
        if cmdline or marker is None or time.monotonic() >= deadline:
            return marker is None or marker in " ".join(cmdline)
        time.sleep(0.02)


def running_pid(pid_file: Path, marker: str | None = None) -> int | None:
    """The pid from `pid_file` if that process still runs, else None."""
    pid = read_pid(pid_file)
    return pid if pid is not None and is_alive(pid, marker) else None


def stop(pid: int, *, timeout: float = 30.0, sig: int = signal.SIGTERM) -> bool:
    """Send `sig` to the process, wait; SIGKILL its group after `timeout`. True if clean."""
    try:
        _signal(pid, sig)
    except ProcessLookupError:
        return True
    if _wait_gone(pid, timeout):
        return True
    try:
        _signal(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    _wait_gone(pid, 10.0)
    return False


def _signal(pid: int, sig: int) -> None:
    # Processes from spawn() lead their own group: signal it so helpers go too.
    if os.getpgid(pid) == pid:
        os.killpg(pid, sig)
    else:
        os.kill(pid, sig)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.1)
    return not is_alive(pid)


def _reap(pid: int) -> None:
    # A child we spawned stays a zombie until waited for; collect it if it is ours.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """True if a TCP connection to host:port is accepted."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def free_ports(count: int) -> list[int]:
    """`count` distinct TCP ports on 127.0.0.1 that are free right now."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))  # all held open at once, so all distinct
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def tail(path: Path, lines: int = 40) -> str:
    """The last `lines` lines of a text file ('' if missing)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_ready(
    pid: Callable[[], int | None],
    ready: Callable[[], bool],
    failure: Callable[[str], str],
    *,
    timeout: float,
    interval: float,
) -> float:
    """Poll ``ready`` until true; seconds waited. A process that exits or never gets
    ready fails with ``failure(what)`` (which names its log)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if pid() is None:
            raise RuntimeError(failure("exited during start-up"))
        if ready():
            return time.monotonic() - began
        time.sleep(interval)
    raise RuntimeError(failure(f"not ready after {timeout:.0f}s"))

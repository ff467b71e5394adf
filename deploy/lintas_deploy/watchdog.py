"""Stop a server once the process owning it is gone (e.g. a test run killed by timeout)."""

import signal
import subprocess
import sys
import time

from lintas_deploy import procs


def guard(pid: int, *, owner: int, sig: int = signal.SIGTERM) -> None:
    """Start a detached watchdog sending `sig` to `pid` when `owner` exits first."""
    subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lintas_deploy.watchdog",
            str(owner),
            str(pid),
            str(sig),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def watch(owner: int, pid: int, sig: int, poll: float = 1.0) -> bool:
    """Block while `pid` runs; stop it if `owner` dies first. True if it stopped it."""
    while procs.is_alive(pid):
        if not procs.is_alive(owner):
            procs.stop(pid, timeout=30, sig=sig)
            return True
        time.sleep(poll)
    return False


if __name__ == "__main__":
    owner_pid, target_pid, signum = (int(arg) for arg in sys.argv[1:4])
    watch(owner_pid, target_pid, signum)

"""Run each Lintas service as its own detached `python -m <name>` process."""

import importlib.util
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lintas_deploy import procs
from lintas_deploy.paths import REPO_ROOT
from lintas_shared.kafka_security import KafkaSecurity


@dataclass(frozen=True)
class ServiceSpec:
    """A service's package name and its HTTP port."""

    name: str
    port: int

    @property
    def url(self) -> str:
        """Base URL of the service's HTTP API."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> str:
        """Name of the service's own database."""
        return f"lintas_{self.name}"


SERVICES = (
    ServiceSpec("enrollment", 8001),
    ServiceSpec("certification", 8002),
    ServiceSpec("reporting", 8003),
)


class ServiceProcess:
    """One service process with its pid file and log in `run_dir`."""

    def __init__(self, spec: ServiceSpec, run_dir: Path) -> None:
        self.spec = spec
        self.log_file = run_dir / "logs" / f"{spec.name}.log"
        self.pid_file = run_dir / "pids" / f"{spec.name}.pid"

    def installed(self) -> bool:
        """True if `python -m <name>` can run (package importable, has __main__)."""
        found = importlib.util.find_spec(self.spec.name)
        locations = found.submodule_search_locations if found else None
        return any((Path(loc) / "__main__.py").exists() for loc in locations or ())

    def pid(self) -> int | None:
        """The service's pid if it runs, else None."""
        return procs.running_pid(self.pid_file, marker=f"-m {self.spec.name}")

    def start(
        self,
        database_url: str,
        kafka_bootstrap: str,
        kafka_security: KafkaSecurity | None = None,
        identity: Mapping[str, str] | None = None,
    ) -> None:
        """Spawn the service unless it runs already (as `kafka_security`'s principal).

        `identity` is its LINTAS_IDENTITY_* environment (``lintas_deploy.trust``).
        """
        if self.pid() is not None:
            return
        if procs.port_open(self.spec.port):
            raise RuntimeError(f"port {self.spec.port} is in use by another process")
        prefix = f"LINTAS_{self.spec.name.upper()}_"
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            f"{prefix}DATABASE_URL": database_url,
            f"{prefix}KAFKA_BOOTSTRAP": kafka_bootstrap,
            f"{prefix}HTTP_HOST": "127.0.0.1",
            f"{prefix}HTTP_PORT": str(self.spec.port),
            **(identity or {}),
        }
        if kafka_security is not None:
            # A secret: in the child's environment only, never on its command line.
            env[f"{prefix}KAFKA_SECURITY"] = kafka_security.settings_json()
        argv = [sys.executable, "-m", self.spec.name]
        procs.spawn(
            argv, log_file=self.log_file, pid_file=self.pid_file, cwd=REPO_ROOT, env=env
        )

    def ready(self) -> bool:
        """True if GET /ready answers 200."""
        try:
            with urllib.request.urlopen(f"{self.spec.url}/ready", timeout=2) as resp:
                return bool(resp.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def wait_ready(self, timeout: float = 90.0) -> float:
        """Block until /ready is 200; seconds waited. Fails with the log's tail."""
        return procs.wait_ready(
            self.pid, self.ready, self._failure, timeout=timeout, interval=0.5
        )

    def stop(self, timeout: float = 30.0) -> bool:
        """SIGTERM the service and wait; True if it was running."""
        pid = self.pid()
        if pid is not None:
            procs.stop(pid, timeout=timeout)
        self.pid_file.unlink(missing_ok=True)
        return pid is not None

    def _failure(self, what: str) -> str:
        return (
            f"{self.spec.name} {what}; log {self.log_file}:\n"
            f"{procs.tail(self.log_file)}"
        )

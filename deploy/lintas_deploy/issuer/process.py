"""Run a local issuer as its own process: start, wait_ready, stop (tests, `make up`)."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from lintas_deploy import procs
from lintas_deploy.issuer.clients import ClientSecrets
from lintas_deploy.issuer.config import ISSUERS, issuer_folder
from lintas_deploy.issuer.keys import KeyStore
from lintas_deploy.paths import REPO_ROOT


class IssuerProcess:
    """Issuer `name` on 127.0.0.1:`port`, its keys and secrets under `run_dir`."""

    def __init__(
        self,
        name: str,
        run_dir: Path,
        port: int | None = None,
        *,
        token_seconds: int = 900,
    ) -> None:
        self.name = name
        self.port = port or ISSUERS[name].port
        self.run_dir = run_dir
        self.token_seconds = token_seconds
        self.folder = issuer_folder(run_dir, name)
        self.log_file = run_dir / "logs" / f"issuer-{name}.log"
        self.pid_file = run_dir / "pids" / f"issuer-{name}.pid"
        self.keys = KeyStore(self.folder / "keys")

    @property
    def url(self) -> str:
        """The issuer URL (`iss` of its tokens)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def marker(self) -> str:
        """What identifies this issuer's process on its command line."""
        return f"lintas_deploy.issuer --name {self.name} --port {self.port}"

    def pid(self) -> int | None:
        """The issuer's pid if it runs."""
        return procs.running_pid(self.pid_file, marker=self.marker)

    def start(self) -> None:
        """Spawn the issuer unless it runs already."""
        if self.pid() is not None:
            return
        if procs.port_open(self.port):
            raise RuntimeError(f"port {self.port} is in use by another process")
        argv = [
            sys.executable,
            "-m",
            "lintas_deploy.issuer",
            "--name",
            self.name,
            "--port",
            str(self.port),
            "--run-dir",
            str(self.run_dir),
            "--token-seconds",
            str(self.token_seconds),
        ]
        procs.spawn(argv, log_file=self.log_file, pid_file=self.pid_file, cwd=REPO_ROOT)

    def ready(self) -> bool:
        """True if the discovery document answers with this issuer."""
        url = f"{self.url}/.well-known/openid-configuration"
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return bool(json.load(resp).get("issuer") == self.url)
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def wait_ready(self, timeout: float = 30.0) -> float:
        """Block until ready; seconds waited. Fails with the log's tail."""
        return procs.wait_ready(
            self.pid, self.ready, self._failure, timeout=timeout, interval=0.1
        )

    def stop(self, timeout: float = 10.0) -> bool:
        """SIGTERM the issuer and wait; True if it was running."""
        pid = self.pid()
        if pid is not None:
            procs.stop(pid, timeout=timeout)
        self.pid_file.unlink(missing_ok=True)
        return pid is not None

    def client_secret(self, client_id: str) -> str:
        """The generated secret of an agency system's client (KeyError if none)."""
        return ClientSecrets(self.folder).read()[client_id]

    def _failure(self, what: str) -> str:
        return f"issuer {self.name} {what}; log {self.log_file}:\n{procs.tail(self.log_file)}"

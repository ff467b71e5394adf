"""The services as ``python -m <name>`` subprocesses on the run's Kafka and fresh databases."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.identity import BenchIdentity
from benchmarks.infra import Infra, free_ports, kafka_login
from benchmarks.memory import RssSampler
from benchmarks.results import REPO_ROOT


@dataclass
class ServiceProcess:
    """One service process: its URL, log, and an RSS sampler on its pid."""

    name: str
    port: int
    proc: subprocess.Popen[bytes]
    sampler: RssSampler
    log: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, lines: int = 15) -> str:
        try:
            with open(self.log, errors="replace") as fh:
                return "".join(fh.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> float:
        """SIGTERM (SIGKILL after 20 s); the max RSS sampled while it ran, in MB."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.sampler.stop()


@dataclass
class Stack:
    """Service processes started by parts 3b/3c, shared by them, stopped at the end.

    The services require bearer tokens: the run's two local issuers start with the
    first service, and every service trusts them (`identity`).
    """

    infra: Infra
    running: dict[str, ServiceProcess] = field(default_factory=dict)
    _identity: BenchIdentity | None = None

    @property
    def identity(self) -> BenchIdentity:
        """The run's issuers (started on first use, on free ports in the run folder)."""
        if self._identity is None:
            self._identity = BenchIdentity.start(self.infra.run_dir)
        return self._identity

    async def service(
        self, name: str, extra_env: dict[str, str] | None = None
    ) -> ServiceProcess:
        """Start ``python -m name`` (once) on a fresh database and wait for /ready."""
        if name in self.running:
            return self.running[name]
        dsn = await self.infra.database(f"lintas_bench_{name}")
        (port,) = free_ports(1)
        prefix = f"LINTAS_{name.upper()}_"
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            f"{prefix}DATABASE_URL": dsn,
            f"{prefix}KAFKA_BOOTSTRAP": self.infra.bootstrap,
            # The admin login: parts point services at bench topics no ACL names.
            f"{prefix}KAFKA_SECURITY": kafka_login().settings_json(),
            f"{prefix}HTTP_HOST": "127.0.0.1",
            f"{prefix}HTTP_PORT": str(port),
            f"{prefix}LOG_LEVEL": "WARNING",
            **self.identity.env(),
            **(extra_env or {}),
        }
        log = self.infra.run_dir / "logs" / f"{name}.log"
        proc = _spawn(name, env, log)
        service = ServiceProcess(
            name, port, proc, RssSampler(proc.pid).start(), str(log)
        )
        self.running[name] = service
        await _wait_ready(service)
        return service

    def health(self) -> str:
        """Which service processes have exited, with their return codes."""
        dead = [
            f"{n} exited {s.proc.returncode}"
            for n, s in self.running.items()
            if s.proc.poll() is not None
        ]
        return f"[{'; '.join(dead)}]" if dead else "[services alive]"

    def keep_logs(self, stamp: str) -> Path:
        """Copy the run's logs (services, broker, server) to artifacts/ for a post-mortem."""
        target = REPO_ROOT / "artifacts" / f"bench-{stamp}-logs"
        shutil.copytree(self.infra.run_dir / "logs", target, dirs_exist_ok=True)
        return target

    def stop(self) -> dict[str, float]:
        """Stop every service, then the issuers; the services' sampled peak RSS in MB."""
        peaks = {name: s.stop() for name, s in self.running.items()}
        self.running.clear()
        if self._identity is not None:
            self._identity.stop()
            self._identity = None
        return peaks


def _spawn(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", name],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _wait_ready(service: ServiceProcess, timeout: float = 120.0) -> None:
    began = time.monotonic()
    async with httpx.AsyncClient(base_url=service.url, timeout=3) as client:
        while time.monotonic() - began < timeout:
            if service.proc.poll() is not None:
                raise RuntimeError(
                    f"python -m {service.name} exited ({service.proc.returncode}) "
                    f"during start-up:\n{service.tail()}"
                )
            try:
                if (await client.get("/ready")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError(
        f"python -m {service.name} not ready after {timeout:.0f}s:\n{service.tail()}"
    )

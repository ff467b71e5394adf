"""The local system as a whole: infrastructure, databases, topics and services."""

import asyncio
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lintas_deploy import procs
from lintas_deploy.aio import run_sync
from lintas_deploy.issuer.config import ISSUERS
from lintas_deploy.issuer.process import IssuerProcess
from lintas_deploy.kafka import KafkaNode
from lintas_deploy.paths import run_dir
from lintas_deploy.postgres import PostgresNode
from lintas_deploy.services import SERVICES, ServiceProcess
from lintas_deploy.topics import ensure_topics
from lintas_deploy.trust import identity_env

Say = Callable[[str], None]


@dataclass
class LocalSystem:
    """Kafka, PostgreSQL, the two local issuers and the three services, in one folder."""

    root: Path
    kafka: KafkaNode
    postgres: PostgresNode
    services: list[ServiceProcess]
    issuers: list[IssuerProcess] = field(default_factory=list)

    @classmethod
    def default(cls) -> "LocalSystem":
        """The system of `make up`: .run/, ports from docs/CONVENTIONS.md."""
        root = run_dir()
        return cls(
            root=root,
            kafka=KafkaNode(root, security="SASL_PLAINTEXT"),
            postgres=PostgresNode.from_env(root),
            services=[ServiceProcess(spec, root) for spec in SERVICES],
            # Ditjenpas and Kemnaker on 8011/8012: every call needs their tokens.
            issuers=[IssuerProcess(name, root) for name in ISSUERS],
        )

    @property
    def logs(self) -> Path:
        """Folder holding every component's log."""
        return self.root / "logs"

    def infra_up(self, say: Say) -> None:
        """Start Kafka and PostgreSQL, create the databases and topics."""
        seconds = self.kafka.start()
        say(f"kafka      ready at {self.kafka.bootstrap} ({seconds:.1f}s)")
        seconds = self.postgres.start()
        where = (
            "external" if self.postgres.external_url else f"port {self.postgres.port}"
        )
        say(f"postgres   ready ({where}, {seconds:.1f}s)")
        for svc in self.services:
            self.postgres.create_service_database(svc.spec.database)
        say("databases  " + ", ".join(s.spec.database for s in self.services))
        bootstrap, admin = self.kafka.bootstrap, self.kafka.admin_security()
        created = run_sync(lambda: ensure_topics(bootstrap, security=admin))
        say(f"topics     created: {', '.join(created) or 'none (all existed)'}")

    def identity_up(self, say: Say) -> None:
        """Start the local issuers (before the services, which fetch their keys)."""
        for issuer in self.issuers:
            issuer.start()
        for issuer in self.issuers:
            seconds = issuer.wait_ready()
            say(f"issuer     {issuer.name} ready at {issuer.url} ({seconds:.1f}s)")

    def identity_env(self) -> dict[str, str]:
        """The LINTAS_IDENTITY_* environment trusting the local issuers."""
        return identity_env({i.name: i.url for i in self.issuers})

    def services_up(self, say: Say, timeout: float = 90.0) -> list[str]:
        """Start every installed service and wait for /ready; return the problems."""
        problems: list[str] = []
        started: list[ServiceProcess] = []
        for svc in self.services:
            if not svc.installed():
                problems.append(
                    f"{svc.spec.name}: package not installed (`python -m "
                    f"{svc.spec.name}` cannot run; services/{svc.spec.name} not ready?)"
                )
                continue
            try:
                # Its own role, password and database (idempotent at every start).
                db_url = self.postgres.create_service_database(svc.spec.database)
                principal = self.kafka.client_security(svc.spec.name)
                svc.start(db_url, self.kafka.bootstrap, principal, self.identity_env())
                started.append(svc)
            except RuntimeError as exc:
                problems.append(f"{svc.spec.name}: {exc}")
        for svc in started:
            try:
                seconds = svc.wait_ready(timeout)
                say(f"{svc.spec.name:<13} ready at {svc.spec.url} ({seconds:.1f}s)")
            except RuntimeError as exc:
                problems.append(str(exc))
        return problems

    def load_pilot(self, say: Say) -> None:
        """Load the Padang pilot through the services' public HTTP APIs."""
        pilot = importlib.import_module("lintas_deploy.pilot")
        urls = {s.spec.name: s.spec.url for s in self.services}
        # Authenticated calls: the personas' tokens, signed with the issuers' keys.
        tokens = pilot.local_tokens(self.root)
        result = pilot.load(urls["enrollment"], urls["certification"], tokens=tokens)
        if inspect.iscoroutine(result):  # load() may be sync or async
            asyncio.run(result)
        say("pilot      Padang pilot loaded")

    def down(self, say: Say, *, services: bool = True) -> None:
        """Stop the services, then Kafka, then PostgreSQL (each with SIGTERM)."""
        for svc in self.services if services else []:
            if svc.stop():
                say(f"{svc.spec.name:<13} stopped")
        for issuer in self.issuers if services else []:
            if issuer.stop():
                say(f"issuer     {issuer.name} stopped")
        if self.kafka.stop():
            say("kafka      stopped")
        if self.postgres.stop():
            say("postgres   stopped")

    def status(self) -> list[tuple[str, str, str, str]]:
        """(component, state, pid, address) for every component."""
        rows = []
        pid = self.kafka.pid()
        kafka_up = pid is not None and procs.port_open(self.kafka.port)
        rows.append(("kafka", _state(pid, kafka_up), _pid(pid), self.kafka.bootstrap))
        if self.postgres.external_url:
            rows.append(("postgres", "external", "-", self.postgres.shown_dsn("")))
        else:
            pid = self.postgres.pid()
            pg_up = pid is not None and procs.port_open(self.postgres.port)
            rows.append(
                ("postgres", _state(pid, pg_up), _pid(pid), self.postgres.shown_dsn(""))
            )
        for issuer in self.issuers:
            pid = issuer.pid()
            rows.append(
                (
                    f"issuer-{issuer.name}",
                    _state(pid, issuer.ready()),
                    _pid(pid),
                    issuer.url,
                )
            )
        for svc in self.services:
            pid = svc.pid()
            rows.append(
                (svc.spec.name, _state(pid, svc.ready()), _pid(pid), svc.spec.url)
            )
        return rows


def _state(pid: int | None, ready: bool) -> str:
    if pid is None:
        return "down"
    return "up" if ready else "starting"


def _pid(pid: int | None) -> str:
    return "-" if pid is None else str(pid)

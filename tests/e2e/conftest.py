"""The whole system for e2e tests: the three services as separate processes on real infra."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lintas_deploy.databases import create_service_database
from lintas_deploy.procs import free_ports
from lintas_deploy.services import ServiceProcess, ServiceSpec
from lintas_shared.kafka_security import KafkaSecurity
from tests.support.identity import Identity

NAMES = ("enrollment", "certification", "reporting")


@dataclass(frozen=True)
class RunningSystem:
    """Base URLs of the running services and the Kafka they use."""

    enrollment: str
    certification: str
    reporting: str
    kafka_bootstrap: str
    databases: dict[str, str]
    logs: Path


@pytest.fixture(scope="session")
def e2e_system(
    kafka_bootstrap: str,
    pg_admin_dsn: str,
    kafka_principal: Callable[[str], KafkaSecurity],
    identity: Identity,
) -> Iterator[RunningSystem]:
    """Start ``python -m enrollment|certification|reporting`` once for the e2e session.

    Each gets a fresh database with its own role, free ports and its own Kafka
    principal (as `make up` gives them); the session's Kafka broker already has every
    topic. The processes are stopped (SIGTERM) at the end; their logs are kept under
    the printed folder while the session runs.
    """
    run_dir = Path(tempfile.mkdtemp(prefix="lintas-e2e-"))
    suffix = uuid.uuid4().hex[:8]
    ports = free_ports(len(NAMES))
    processes: list[ServiceProcess] = []
    databases: dict[str, str] = {}
    try:
        for name, port in zip(NAMES, ports, strict=True):
            # Its own role and database, as `make up` gives it.
            dsn = create_service_database(
                pg_admin_dsn, f"e2e_{name}_{suffix}", secrets.token_urlsafe(16)
            )
            databases[name] = dsn
            process = ServiceProcess(ServiceSpec(name, port), run_dir)
            process.start(
                dsn, kafka_bootstrap, kafka_principal(name), identity.settings_env()
            )
            processes.append(process)
        for process in processes:
            process.wait_ready(timeout=120)
        urls = {p.spec.name: p.spec.url for p in processes}
        yield RunningSystem(
            enrollment=urls["enrollment"],
            certification=urls["certification"],
            reporting=urls["reporting"],
            kafka_bootstrap=kafka_bootstrap,
            databases=databases,
            logs=run_dir / "logs",
        )
    finally:
        for process in processes:
            process.stop()
        shutil.rmtree(run_dir, ignore_errors=True)

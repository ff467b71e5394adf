"""`make up`'s system on free ports: each service on its own Kafka principal and role."""

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from lintas_deploy.kafka import KafkaNode
from lintas_deploy.kafka_acls import PRINCIPALS
from lintas_deploy.postgres import PostgresNode
from lintas_deploy.procs import free_ports
from lintas_deploy.services import SERVICES, ServiceProcess, ServiceSpec
from lintas_deploy.system import LocalSystem
from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

pytestmark = pytest.mark.integration

# The groups the services join with their default settings: joining needs the
# principal's group ACL, so seeing them proves the logins and the ACLs fit.
GROUPS = {
    "lintas-enrollment-commands",
    "certification-commands",
    "certification-enrollment-view",
    "reporting-projector",
}


@pytest.fixture(scope="module")
def system() -> Iterator[LocalSystem]:
    """LocalSystem as `make up` builds it, on free ports in a private folder."""
    # Not under pytest's basetemp: the server runs as another user when we are root.
    root = Path(tempfile.mkdtemp(prefix="lintas-up-"))
    root.chmod(0o755)
    made = LocalSystem.default()
    kafka_port, controller_port, pg_port, *http = free_ports(3 + len(SERVICES))
    local = LocalSystem(
        root=root,
        kafka=KafkaNode(
            root,
            port=kafka_port,
            controller_port=controller_port,
            security=made.kafka.security,
            owner_pid=os.getpid(),
        ),
        postgres=PostgresNode(root, port=pg_port, owner_pid=os.getpid()),
        services=[
            ServiceProcess(ServiceSpec(spec.name, port), root)
            for spec, port in zip(SERVICES, http, strict=True)
        ],
    )
    try:
        local.infra_up(print)
        problems = local.services_up(print, timeout=180)
        assert problems == [], problems
        yield local
    finally:
        local.down(print)
        shutil.rmtree(root, ignore_errors=True)


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(e.decode().split("=", 1) for e in raw if b"=" in e)


def test_make_up_runs_the_secured_broker() -> None:
    assert LocalSystem.default().kafka.security == "SASL_PLAINTEXT"


def test_each_service_runs_as_its_own_principal_and_database_role(
    system: LocalSystem,
) -> None:
    for svc in system.services:
        pid = svc.pid()
        assert pid is not None, svc.spec.name
        env = _environ(pid)
        prefix = f"LINTAS_{svc.spec.name.upper()}_"
        login = KafkaSecurity.model_validate_json(env[f"{prefix}KAFKA_SECURITY"])
        assert login.security_protocol == "SASL_PLAINTEXT"
        assert login.username == PRINCIPALS[svc.spec.name].username
        role = svc.spec.database
        assert env[f"{prefix}DATABASE_URL"].startswith(f"postgresql://{role}:")


async def test_the_services_consumer_groups_join_under_their_principals(
    system: LocalSystem,
) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=system.kafka.bootstrap,
        **aiokafka_options(system.kafka.admin_security()),
    )
    await admin.start()
    try:
        seen: set[str] = set()
        for _ in range(120):
            seen = {g[0] for g in await admin.list_consumer_groups()}
            if seen >= GROUPS:
                break
            await asyncio.sleep(1)
    finally:
        await admin.close()
    assert seen >= GROUPS


def test_status_shows_every_component_up_and_no_password(system: LocalSystem) -> None:
    rows = system.status()
    assert [(name, state) for name, state, _, _ in rows] == [
        ("kafka", "up"),
        ("postgres", "up"),
        *((s.spec.name, "up") for s in system.services),
    ]
    secrets = json.loads(system.postgres.credentials_file.read_text()).values()
    secrets = [
        *secrets,
        *json.loads(system.kafka.credentials_file.read_text()).values(),
    ]
    shown = " ".join(" ".join(row) for row in rows)
    assert not [s for s in secrets if s in shown]

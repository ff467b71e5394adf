"""The compose broker's set-up on the real jars: kafka-config's files, then kafka-acls.

What docker compose runs, minus the images: server.properties and the SCRAM users from
`compose.write_kafka_config` (formatted the way deploy/docker/kafka-start.sh does), a
broker started on them, then `compose.apply_acls_and_topics` as the admin.
"""

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
from aiokafka.errors import KafkaConnectionError

from lintas_deploy import compose, procs
from lintas_deploy.jars import ensure_jars
from lintas_deploy.kafka_acls import PRINCIPALS
from lintas_deploy.paths import KAFKA_JARS
from lintas_deploy.procs import free_ports
from lintas_deploy.watchdog import guard
from lintas_shared.kafka_security import KafkaSecurity
from lintas_shared.topics import CERTIFICATION_EVENTS, ENROLLMENT_EVENTS
from tests.integration.security.support import DENIED, list_topics, produce

pytestmark = pytest.mark.integration


def _java(*args: str) -> list[str]:
    java = shutil.which("java")
    assert java is not None, "java is needed"
    return [java, "-Xmx384m", "-cp", f"{KAFKA_JARS}/*", *args]


@pytest.fixture(scope="module")
def compose_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A broker on kafka-config's files (free ports); its bootstrap."""
    ensure_jars(KAFKA_JARS)
    folder = tmp_path_factory.mktemp("compose-kafka")
    env = {
        name: value
        for name, value in (
            line.split("=", 1)
            for line in compose.env_file().splitlines()
            if not line.startswith("#")
        )
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    port, controller_port = free_ports(2)
    config = folder / "config"
    compose.write_kafka_config(
        config,
        advertised_host="127.0.0.1",
        port=port,
        controller_port=controller_port,
        log_dir=folder / "data",
    )
    props = config / "server.properties"
    # As kafka-start.sh: one argument per line of scram.args.
    scram = (config / "scram.args").read_text().splitlines()
    tool = _java("kafka.tools.StorageTool")
    cluster = subprocess.run(
        [*tool, "random-uuid"], capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    subprocess.run(
        [*tool, "format", "-t", cluster, "-c", str(props), *scram],
        capture_output=True,
        check=True,
    )
    pid = procs.spawn(
        _java("kafka.Kafka", str(props)),
        log_file=folder / "kafka.out",
        pid_file=folder / "kafka.pid",
    )
    guard(pid, owner=os.getpid())
    try:
        deadline = time.monotonic() + 180
        while not procs.port_open(port):
            assert time.monotonic() < deadline, procs.tail(folder / "kafka.out")
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        procs.stop(pid, timeout=30)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _login(key: str) -> KafkaSecurity:
    return KafkaSecurity(
        security_protocol="SASL_PLAINTEXT",
        username=PRINCIPALS[key].username,
        password=os.environ[compose.kafka_password_var(key)],
    )


async def _apply(bootstrap: str) -> tuple[int, list[str]]:
    for _ in range(60):  # the broker may still be starting, as in compose
        try:
            changes, created = await compose.apply_acls_and_topics(bootstrap)
            return len(changes.created), created
        except Exception:
            await asyncio.sleep(2)
    raise AssertionError("kafka-acls never succeeded")


async def test_kafka_acls_applies_the_table_and_the_principals_get_exactly_it(
    compose_broker: str,
) -> None:
    created_rules, topics = await _apply(compose_broker)
    assert created_rules > 0 and ENROLLMENT_EVENTS in topics
    assert await produce(compose_broker, _login("enrollment"), ENROLLMENT_EVENTS) >= 0
    with pytest.raises(DENIED):
        await produce(compose_broker, _login("reporting"), CERTIFICATION_EVENTS)
    again, _ = await compose.apply_acls_and_topics(compose_broker)
    assert (again.created, again.deleted) == (frozenset(), frozenset())


async def test_the_compose_broker_refuses_a_client_without_credentials(
    compose_broker: str,
) -> None:
    with pytest.raises(KafkaConnectionError):
        await list_topics(compose_broker, None)

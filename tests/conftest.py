"""Session fixtures: a private Kafka broker and PostgreSQL server, started on first use.

Nothing starts at import or for tests that do not ask: unit tests stay infra-free.
`LINTAS_TEST_KAFKA` / `LINTAS_TEST_DATABASE_URL` point the fixtures at running servers
(with `LINTAS_TEST_KAFKA_ADMIN`, the admin's KafkaSecurity JSON, for that broker).
The broker is the secured one `make up` runs: SASL/SCRAM, deny by default, ACLs.
"""

import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lintas_deploy.aio import run_sync
from lintas_deploy.databases import create_database, drop_database
from lintas_deploy.kafka import KafkaNode
from lintas_deploy.postgres import PostgresNode
from lintas_deploy.procs import free_ports
from lintas_deploy.topics import ensure_topics
from lintas_shared.kafka_security import KafkaSecurity
from tests.support.identity import MINISTRIES, Identity, start_issuer
from tests.support.kafka_login import ADMIN_ENV, admin_security


@pytest.fixture(scope="session")
def kafka_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaNode]:
    """A private single-node broker on free ports; tests may stop() and start() it."""
    if os.environ.get("LINTAS_TEST_KAFKA"):
        pytest.skip("LINTAS_TEST_KAFKA is set: no private broker to stop and start")
    node = _start_private_broker(tmp_path_factory)
    try:
        yield node
    finally:
        node.stop()


def _start_private_broker(factory: pytest.TempPathFactory, tries: int = 3) -> KafkaNode:
    # A free port can be taken by another process between choosing and binding it on a
    # busy machine; a fresh pair of ports is the cure, not a longer wait.
    for attempt in range(1, tries + 1):
        port, controller_port = free_ports(2)
        node = KafkaNode(
            factory.mktemp("kafka"),
            port=port,
            controller_port=controller_port,
            owner_pid=os.getpid(),  # a killed test run does not leave the broker behind
            security="SASL_PLAINTEXT",
        )
        try:
            node.start()
            return node
        except RuntimeError:
            node.stop()  # a broker that never got ready is stopped too
            if attempt == tries:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def kafka_admin(request: pytest.FixtureRequest) -> Iterator[KafkaSecurity]:
    """The broker's super user: for topics, test-private topics and any group id.

    Also published as LINTAS_TEST_KAFKA_ADMIN (tests.support.kafka_login) for helpers
    and for processes a test spawns.
    """
    if os.environ.get("LINTAS_TEST_KAFKA"):
        # An external broker: its admin login, or none for an open broker.
        os.environ.setdefault(ADMIN_ENV, KafkaSecurity().settings_json())
        yield admin_security()
        return
    node: KafkaNode = request.getfixturevalue("kafka_node")
    admin = node.admin_security()
    os.environ[ADMIN_ENV] = admin.settings_json()
    try:
        yield admin
    finally:
        os.environ.pop(ADMIN_ENV, None)


@pytest.fixture(scope="session")
def kafka_principal(
    request: pytest.FixtureRequest, kafka_admin: KafkaSecurity
) -> Callable[[str], KafkaSecurity]:
    """``kafka_principal("enrollment")``: that principal's login (kafka_acls keys).

    An external broker's principals are unknown here: they all get its admin login.
    """
    if os.environ.get("LINTAS_TEST_KAFKA"):
        return lambda name: kafka_admin
    node: KafkaNode = request.getfixturevalue("kafka_node")
    return node.client_security


@pytest.fixture(scope="session")
def kafka_bootstrap(request: pytest.FixtureRequest, kafka_admin: KafkaSecurity) -> str:
    """Bootstrap servers of a broker that has every Lintas topic (clients need a login:
    ``kafka_admin``, ``kafka_principal`` or tests.support.kafka_login)."""
    bootstrap = os.environ.get("LINTAS_TEST_KAFKA")
    if not bootstrap:
        node: KafkaNode = request.getfixturevalue("kafka_node")
        bootstrap = node.bootstrap
    run_sync(lambda: ensure_topics(bootstrap, security=kafka_admin))
    return bootstrap


@pytest.fixture(scope="session")
def pg_admin_dsn() -> Iterator[str]:
    """Admin URL of a private PostgreSQL server (or of LINTAS_TEST_DATABASE_URL)."""
    external = os.environ.get("LINTAS_TEST_DATABASE_URL")
    if external:
        yield external
        return
    # Not under pytest's basetemp: pytest resets its root to 0700 at every session
    # start, and as root the server runs as an unprivileged user that must traverse.
    run_dir = Path(tempfile.mkdtemp(prefix="lintas-test-pg-"))
    (port,) = free_ports(1)
    node = PostgresNode(
        run_dir, port=port, settings={"fsync": "off"}, owner_pid=os.getpid()
    )
    try:
        node.start()
        yield node.admin_dsn
    finally:
        node.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture
def fresh_database(pg_admin_dsn: str) -> Iterator[str]:
    """DSN of a new, empty, uniquely named database, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield create_database(pg_admin_dsn, name)
    try:
        drop_database(pg_admin_dsn, name)
    except Exception as exc:  # a leftover test database must not fail the test
        warnings.warn(f"could not drop {name}: {exc!r}", stacklevel=1)


@pytest.fixture(scope="session")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Identity]:
    """The Ditjenpas and Kemnaker issuers on free ports, and the personas' tokens."""
    run_dir = tmp_path_factory.mktemp("identity")
    started = Identity({})
    try:
        for name in MINISTRIES:
            started.issuers[name] = start_issuer(name, run_dir)
        yield started
    finally:
        started.stop()

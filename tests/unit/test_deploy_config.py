"""Unit tests for lintas_deploy: generated configs, topic specs, DSNs, supervision."""

import hashlib
import os
import signal
import sys
import types
from pathlib import Path
from typing import Literal

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.client import AIOKafkaClient
from faststream.kafka import KafkaBroker
from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from lintas_deploy import procs
from lintas_deploy.databases import create_database, dsn_for
from lintas_deploy.jars import STAMP, jars_complete
from lintas_deploy.kafka import KafkaNode
from lintas_deploy.kafka_acls import (
    ADMIN,
    PRINCIPALS,
    Operation,
    acl_bindings,
    acl_table,
)
from lintas_deploy.kafka_config import (
    ListenerSecurity,
    log4j2_properties,
    server_properties,
)
from lintas_deploy.postgres import PostgresNode
from lintas_deploy.secrets import KafkaCredentials
from lintas_deploy.services import ServiceProcess, ServiceSpec
from lintas_deploy.system import LocalSystem
from lintas_deploy.topics import topic_specs
from lintas_deploy.watchdog import watch
from lintas_shared.kafka_security import (
    KafkaSecurity,
    aiokafka_options,
    faststream_options,
)
from lintas_shared.topics import (
    ALL_TOPICS,
    CERTIFICATION_COMMANDS,
    CERTIFICATION_EVENTS,
    COMMAND_TOPICS,
    DEAD_LETTERS,
    ENROLLMENT_COMMANDS,
    ENROLLMENT_EVENTS,
    EVENT_TOPICS,
)

pytestmark = pytest.mark.unit


def parse(properties: str) -> dict[str, str]:
    lines = [ln for ln in properties.splitlines() if ln and not ln.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_server_properties_describe_a_single_kraft_node_on_loopback() -> None:
    props = parse(
        server_properties(port=19092, controller_port=19093, log_dir=Path("/d"))
    )
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["listeners"] == (
        "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    )
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert props["controller.listener.names"] == "CONTROLLER"
    assert props["log.dirs"] == "/d"
    assert props["auto.create.topics.enable"] == "false"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert "controller.quorum.bootstrap.servers" not in props  # else --standalone


def test_internal_topics_fit_a_single_broker() -> None:
    props = parse(server_properties(port=1, controller_port=2, log_dir=Path("/d")))
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
    ):
        assert props[key] == "1", key


def test_log4j2_config_writes_to_the_given_file() -> None:
    text = log4j2_properties(Path("/run/logs/kafka.log"))
    assert "appender.file.fileName = /run/logs/kafka.log" in text
    assert "rootLogger.appenderRef.file.ref = FILE" in text


def test_kafka_node_keeps_everything_in_its_run_folder(tmp_path: Path) -> None:
    node = KafkaNode(tmp_path, port=29092, controller_port=29093)
    assert node.bootstrap == "127.0.0.1:29092"
    assert node.data_dir == tmp_path / "kafka" / "data"
    assert node.log_file == tmp_path / "logs" / "kafka.log"
    assert node.pid() is None


def test_event_and_dead_letter_topics_keep_records_forever() -> None:
    specs = {spec.name: spec for spec in topic_specs()}
    assert set(specs) == set(ALL_TOPICS)
    assert {spec.partitions for spec in specs.values()} == {6}
    forever = {"retention.ms": "-1", "retention.bytes": "-1"}
    assert specs[ENROLLMENT_EVENTS].configs == forever
    assert specs[DEAD_LETTERS].configs == forever
    assert specs[CERTIFICATION_COMMANDS].configs == {}


def test_dsn_for_swaps_only_the_database() -> None:
    admin = "postgresql://u:p@db.example:5433/postgres?sslmode=require"
    assert dsn_for(admin, "lintas_reporting") == (
        "postgresql://u:p@db.example:5433/lintas_reporting?sslmode=require"
    )


def test_an_external_server_is_used_by_url_and_never_run(tmp_path: Path) -> None:
    node = PostgresNode(tmp_path, external_url="postgresql://a@h:5432/postgres")
    assert node.admin_dsn == "postgresql://a@h:5432/postgres"
    assert node.dsn("lintas_enrollment") == "postgresql://a@h:5432/lintas_enrollment"
    assert node.pid() is None
    assert node.stop() is False


def test_private_server_dsn_uses_the_lintas_superuser(tmp_path: Path) -> None:
    node = PostgresNode(tmp_path, port=55999)
    secret = node.password("lintas")
    assert node.dsn("x") == f"postgresql://lintas:{secret}@127.0.0.1:55999/x"
    assert node.shown_dsn("x") == "postgresql://lintas:***@127.0.0.1:55999/x"
    assert node.credentials_file.stat().st_mode & 0o077 == 0  # owner only
    assert PostgresNode(tmp_path, port=55999).dsn("x") == node.dsn("x")  # stable


@pytest.mark.parametrize("name", ["Bad", "a-b", 'x"; DROP', ""])
def test_refuses_database_names_that_need_quoting(name: str) -> None:
    with pytest.raises(ValueError, match="must match"):
        create_database("postgresql://nowhere/postgres", name)


def test_jars_count_as_complete_only_for_the_same_pom(tmp_path: Path) -> None:
    pom = tmp_path / "pom.xml"
    pom.write_text("<project/>")
    jars = tmp_path / "jars"
    jars.mkdir()
    assert not jars_complete(jars, pom)
    (jars / STAMP).write_text(hashlib.sha256(b"<project/>").hexdigest())
    assert jars_complete(jars, pom)
    pom.write_text("<project>changed</project>")
    assert not jars_complete(jars, pom)


def test_spawned_process_is_tracked_and_stopped_with_sigterm(tmp_path: Path) -> None:
    pid_file = tmp_path / "sleep.pid"
    pid = procs.spawn(
        ["sleep", "60"], log_file=tmp_path / "sleep.log", pid_file=pid_file
    )
    assert procs.running_pid(pid_file, marker="sleep 60") == pid
    assert procs.running_pid(pid_file, marker="something else") is None
    assert procs.stop(pid, timeout=5, sig=signal.SIGTERM) is True
    assert procs.running_pid(pid_file) is None


def test_watchdog_stops_the_server_once_its_owner_is_gone(tmp_path: Path) -> None:
    owner = procs.spawn(
        ["sleep", "60"], log_file=tmp_path / "o.log", pid_file=tmp_path / "o"
    )
    server = procs.spawn(
        ["sleep", "61"], log_file=tmp_path / "s.log", pid_file=tmp_path / "s"
    )
    procs.stop(owner, timeout=5)
    assert watch(owner, server, signal.SIGTERM, poll=0.05) is True
    assert not procs.is_alive(server)


def test_watchdog_leaves_the_server_alone_while_its_owner_lives(tmp_path: Path) -> None:
    server = procs.spawn(
        ["sleep", "0.3"], log_file=tmp_path / "s.log", pid_file=tmp_path / "s"
    )
    assert watch(os.getpid(), server, signal.SIGTERM, poll=0.05) is False


def test_free_ports_are_distinct() -> None:
    ports = procs.free_ports(3)
    assert len(set(ports)) == 3
    assert not any(procs.port_open(p) for p in ports)


def test_a_missing_service_package_is_reported_not_started(tmp_path: Path) -> None:
    system = LocalSystem.default()
    system.services = [
        ServiceProcess(ServiceSpec("lintas_no_such_service", 1), tmp_path)
    ]
    problems = system.services_up(lambda _: None, timeout=1)
    assert len(problems) == 1
    assert "lintas_no_such_service: package not installed" in problems[0]


@pytest.mark.parametrize("is_async", [False, True])
def test_up_loads_the_pilot_through_both_apis(
    monkeypatch: pytest.MonkeyPatch, is_async: bool
) -> None:
    calls: list[tuple[str, str]] = []
    fake = types.ModuleType("lintas_deploy.pilot")

    def load(enrollment_url: str, certification_url: str, tokens: object) -> None:
        assert callable(tokens)  # the pilot loads through authenticated calls
        calls.append((enrollment_url, certification_url))

    async def aload(
        enrollment_url: str, certification_url: str, tokens: object
    ) -> None:
        load(enrollment_url, certification_url, tokens)

    fake.load = aload if is_async else load  # type: ignore[attr-defined]
    fake.local_tokens = lambda root: lambda unit: f"token-of-{unit}"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lintas_deploy.pilot", fake)
    LocalSystem.default().load_pilot(lambda _: None)
    assert calls == [("http://127.0.0.1:8001", "http://127.0.0.1:8002")]


# --- Kafka security (issue 9): broker config, ACL table, credentials, client options


def secured_props(
    keystore: Path | None = None, truststore: Path | None = None
) -> dict[str, str]:
    protocol: Literal["SASL_PLAINTEXT", "SASL_SSL"] = (
        "SASL_PLAINTEXT" if keystore is None else "SASL_SSL"
    )
    security = ListenerSecurity(
        protocol, "lintas-admin", "s3cret-token", keystore, truststore
    )
    return parse(
        server_properties(
            port=19092, controller_port=19093, log_dir=Path("/d"), security=security
        )
    )


def test_secured_broker_has_no_unauthenticated_listener_and_denies_by_default() -> None:
    props = secured_props()
    assert props["listeners"] == (
        "SASL_PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    )
    assert "PLAINTEXT:PLAINTEXT" not in props["listener.security.protocol.map"]
    assert props["listener.security.protocol.map"].endswith("CONTROLLER:SASL_PLAINTEXT")
    assert props["authorizer.class.name"].endswith("StandardAuthorizer")
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:lintas-admin"
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"


def test_secured_tls_listener_uses_pem_key_and_ca() -> None:
    props = secured_props(keystore=Path("/k.pem"), truststore=Path("/ca.pem"))
    assert props["listeners"].startswith("SASL_SSL://127.0.0.1:19092,")
    assert props["listener.name.sasl_ssl.ssl.keystore.location"] == "/k.pem"
    assert props["listener.name.sasl_ssl.ssl.truststore.location"] == "/ca.pem"


def test_open_broker_config_is_unchanged_by_the_security_option() -> None:
    props = parse(
        server_properties(port=19092, controller_port=19093, log_dir=Path("/d"))
    )
    assert not any("sasl" in key or "authorizer" in key for key in props)


@pytest.mark.parametrize("password", ["", 'a"b', "a;b", "a b", "a=b"])
def test_listener_security_refuses_passwords_that_would_break_jaas(
    password: str,
) -> None:
    with pytest.raises(ValueError):
        ListenerSecurity("SASL_PLAINTEXT", "lintas-admin", password)


def test_each_service_writes_no_other_service_event_topic() -> None:
    assert set(EVENT_TOPICS) & set(PRINCIPALS["reporting"].writes) == set()
    assert ENROLLMENT_EVENTS not in PRINCIPALS["certification"].writes
    assert CERTIFICATION_EVENTS not in PRINCIPALS["enrollment"].writes
    for name in ("ditjenpas", "kemnaker"):
        assert set(PRINCIPALS[name].writes) <= set(COMMAND_TOPICS), name
    assert PRINCIPALS["ditjenpas"].writes == (ENROLLMENT_COMMANDS,)


def test_consumer_group_prefixes_of_principals_never_overlap() -> None:
    prefixes = [(n, g) for n, p in PRINCIPALS.items() for g in p.group_prefixes]
    for name, prefix in prefixes:
        for other, theirs in prefixes:
            if other != name:
                assert not theirs.startswith(prefix), (name, other)


def test_every_writer_may_write_idempotently_and_readers_only_read() -> None:
    rules = acl_bindings()
    for p in PRINCIPALS.values():
        ops = {r.operation for r in rules if r.principal == f"User:{p.username}"}
        assert (Operation.IDEMPOTENT_WRITE in ops) == bool(p.writes)
        assert ops <= {Operation.READ, Operation.WRITE, Operation.IDEMPOTENT_WRITE}
    assert not any(r.principal == f"User:{ADMIN}" for r in rules)  # super user


def test_credentials_are_private_stable_and_extended_for_new_users(
    tmp_path: Path,
) -> None:
    path = tmp_path / "secrets" / "kafka.json"
    first = KafkaCredentials.load_or_create(path, ["a", "b"])
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    again = KafkaCredentials.load_or_create(path, ["a", "b", "c"])
    assert again.password("a") == first.password("a")
    assert again.password("c") != again.password("a")
    assert "**" in repr(again.password("a"))  # SecretStr: never printed
    with pytest.raises(KeyError, match="no Kafka password for z"):
        again.password("z")


def test_client_options_are_empty_for_an_open_broker() -> None:
    assert aiokafka_options(None) == aiokafka_options(KafkaSecurity()) == {}
    assert faststream_options(KafkaSecurity()) == {}


async def test_client_options_build_every_kafka_client_kind() -> None:
    sec = KafkaSecurity(
        security_protocol="SASL_PLAINTEXT", username="svc-x", password=SecretStr("pw")
    )
    options = aiokafka_options(sec)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_password"] == "pw"
    for client in (AIOKafkaAdminClient, AIOKafkaClient):
        client(bootstrap_servers="127.0.0.1:1", **options)
    (security,) = faststream_options(sec).values()
    broker = KafkaBroker("127.0.0.1:1", security=security)
    # faststream keeps the aiokafka options it will connect with (0.7.8: private).
    connection = broker._connection_kwargs
    assert connection["security_protocol"] == "SASL_PLAINTEXT"
    assert connection["sasl_mechanism"] == "SCRAM-SHA-512"
    assert connection["sasl_plain_username"] == "svc-x"


async def test_client_options_build_producer_and_consumer() -> None:
    sec = KafkaSecurity(
        security_protocol="SASL_PLAINTEXT", username="svc-x", password=SecretStr("pw")
    )
    producer = AIOKafkaProducer(
        bootstrap_servers="127.0.0.1:1", **aiokafka_options(sec)
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers="127.0.0.1:1", **aiokafka_options(sec)
    )
    assert producer.client._sasl_mechanism == consumer._client._sasl_mechanism
    assert producer.client._security_protocol == "SASL_PLAINTEXT"


@pytest.mark.parametrize(
    "fields",
    [
        {"security_protocol": "SASL_PLAINTEXT"},
        {"security_protocol": "PLAINTEXT", "username": "x", "password": "y"},
        {
            "security_protocol": "SASL_PLAINTEXT",
            "username": "x",
            "password": "y",
            "ca_file": "/ca.pem",
        },
        {"security_protocol": "SSL"},
    ],
)
def test_inconsistent_kafka_security_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        KafkaSecurity.model_validate(fields)


def test_kafka_security_travels_as_one_settings_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Demo(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="LINTAS_DEMO_")
        kafka_security: KafkaSecurity = KafkaSecurity()

    sec = KafkaSecurity(
        security_protocol="SASL_SSL",
        username="svc-x",
        password=SecretStr("pw"),
        ca_file=Path("/ca.pem"),
    )
    monkeypatch.setenv("LINTAS_DEMO_KAFKA_SECURITY", sec.settings_json())
    loaded = Demo().kafka_security
    assert loaded == sec
    assert "pw" not in repr(Demo())


def test_deploy_readme_shows_the_acl_table_as_the_code_has_it() -> None:
    readme = Path(__file__).resolve().parents[2] / "deploy" / "README.md"
    assert acl_table() in readme.read_text()

"""A private secured broker (SASL/SCRAM, deny by default) for the Kafka ACL tests."""

import os
from collections.abc import Iterator

import pytest

from lintas_deploy.aio import run_sync
from lintas_deploy.kafka import BrokerSecurity, KafkaNode
from lintas_deploy.procs import free_ports
from lintas_deploy.topics import ensure_topics


def start_secured_broker(
    factory: pytest.TempPathFactory, security: BrokerSecurity, tries: int = 3
) -> KafkaNode:
    """Start a secured node on free ports with every Lintas topic (retried on races)."""
    for attempt in range(1, tries + 1):
        port, controller_port = free_ports(2)
        node = KafkaNode(
            factory.mktemp("kafka-secured"),
            port=port,
            controller_port=controller_port,
            owner_pid=os.getpid(),
            security=security,
        )
        try:
            node.start()
        except RuntimeError:
            node.stop()
            if attempt == tries:
                raise
            continue
        create_topics(node)
        return node
    raise AssertionError("unreachable")


def create_topics(node: KafkaNode) -> None:
    """Every Lintas topic, created by the admin principal."""
    admin = node.admin_security()
    run_sync(lambda: ensure_topics(node.bootstrap, security=admin))


@pytest.fixture(scope="session")
def secured_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaNode]:
    """A SASL_PLAINTEXT broker with the ACL table of `kafka_acls` applied."""
    node = start_secured_broker(tmp_path_factory, "SASL_PLAINTEXT")
    try:
        yield node
    finally:
        node.stop()

"""SASL_SSL: the principals over TLS; the broker certificate is from a per-run CA."""

import uuid
from collections.abc import Iterator

import pytest
from aiokafka.errors import KafkaConnectionError

from lintas_deploy.kafka import KafkaNode
from lintas_shared.kafka_security import KafkaSecurity
from lintas_shared.topics import CERTIFICATION_EVENTS, ENROLLMENT_EVENTS
from tests.integration.security.conftest import start_secured_broker
from tests.integration.security.support import consume, list_topics, produce

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tls_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaNode]:
    node = start_secured_broker(tmp_path_factory, "SASL_SSL")
    try:
        yield node
    finally:
        node.stop()


async def test_a_principal_produces_and_consumes_over_tls(tls_kafka: KafkaNode) -> None:
    security = tls_kafka.client_security("enrollment")
    assert security.security_protocol == "SASL_SSL" and security.ca_file is not None
    await produce(tls_kafka.bootstrap, security, ENROLLMENT_EVENTS)
    marker = f"tls-{uuid.uuid4()}".encode()
    reporting = tls_kafka.client_security("reporting")
    await produce(
        tls_kafka.bootstrap, tls_kafka.admin_security(), ENROLLMENT_EVENTS, marker
    )
    group = f"reporting-test-{uuid.uuid4().hex[:8]}"
    seen = await consume(
        tls_kafka.bootstrap, reporting, [ENROLLMENT_EVENTS], group, {marker}
    )
    assert marker in seen


async def test_a_client_that_does_not_trust_the_ca_is_refused(
    tls_kafka: KafkaNode,
) -> None:
    right = tls_kafka.client_security("reporting")
    untrusting = right.model_copy(update={"ca_file": None})  # system trust store
    with pytest.raises(KafkaConnectionError):
        await list_topics(tls_kafka.bootstrap, untrusting)
    assert CERTIFICATION_EVENTS in await list_topics(tls_kafka.bootstrap, right)


async def test_sasl_without_tls_is_refused_on_the_tls_listener(
    tls_kafka: KafkaNode,
) -> None:
    right = tls_kafka.client_security("reporting")
    plain = KafkaSecurity(
        security_protocol="SASL_PLAINTEXT",
        username=right.username,
        password=right.password,
    )
    with pytest.raises(KafkaConnectionError):
        await list_topics(tls_kafka.bootstrap, plain)

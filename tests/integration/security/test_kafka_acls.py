"""On a real secured broker, each principal does what the ACL table allows."""

import logging
import uuid

import pytest
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)
from pydantic import SecretStr

from lintas_deploy.kafka import KafkaNode
from lintas_deploy.kafka_acl_admin import describe_acls, ensure_acls
from lintas_deploy.kafka_acls import (
    PRINCIPALS,
    AclBinding,
    Operation,
    Pattern,
    Resource,
    acl_bindings,
)
from lintas_shared.kafka_security import KafkaSecurity
from lintas_shared.topics import (
    ALL_TOPICS,
    CERTIFICATION_COMMANDS,
    CERTIFICATION_EVENTS,
    ENROLLMENT_COMMANDS,
    ENROLLMENT_EVENTS,
    EVENT_TOPICS,
)
from tests.integration.security.support import (
    consume,
    create_topic,
    denied,
    list_topics,
    produce,
)

pytestmark = pytest.mark.integration


def group_in(principal: str) -> str:
    """A fresh consumer group id inside the principal's own prefix."""
    return f"{PRINCIPALS[principal].group_prefixes[0]}test-{uuid.uuid4().hex[:8]}"


async def test_unauthenticated_client_cannot_fetch_metadata_produce_or_consume(
    secured_kafka: KafkaNode,
) -> None:
    bootstrap = secured_kafka.bootstrap
    with pytest.raises(KafkaConnectionError):
        await list_topics(bootstrap, None)
    with pytest.raises(KafkaConnectionError):
        await produce(bootstrap, None, ENROLLMENT_EVENTS)
    with pytest.raises(KafkaConnectionError):
        await consume(bootstrap, None, [ENROLLMENT_EVENTS], "lintas-enrollment-x")
    # The broker is up: the same request with credentials is answered.
    admin = secured_kafka.admin_security()
    assert ENROLLMENT_EVENTS in await list_topics(bootstrap, admin)


async def test_wrong_password_is_refused(
    secured_kafka: KafkaNode, caplog: pytest.LogCaptureFixture
) -> None:
    right = secured_kafka.client_security("certification")
    wrong = KafkaSecurity(
        security_protocol="SASL_PLAINTEXT",
        username=right.username,
        password=SecretStr("not-the-password"),
    )
    with caplog.at_level(logging.ERROR), pytest.raises(KafkaConnectionError):
        await list_topics(secured_kafka.bootstrap, wrong)
    assert "invalid credentials" in caplog.text
    assert CERTIFICATION_EVENTS in await list_topics(secured_kafka.bootstrap, right)


async def test_unknown_user_is_refused(secured_kafka: KafkaNode) -> None:
    stranger = KafkaSecurity(
        security_protocol="SASL_PLAINTEXT",
        username="svc-stranger",
        password=SecretStr("whatever"),
    )
    with pytest.raises(KafkaConnectionError):
        await list_topics(secured_kafka.bootstrap, stranger)


async def test_certification_cannot_write_enrollment_events(
    secured_kafka: KafkaNode,
) -> None:
    cert = secured_kafka.client_security("certification")
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(secured_kafka.bootstrap, cert, ENROLLMENT_EVENTS)


async def test_certification_cannot_read_the_enrollment_command_topic(
    secured_kafka: KafkaNode,
) -> None:
    cert = secured_kafka.client_security("certification")
    with pytest.raises(TopicAuthorizationFailedError):
        await consume(
            secured_kafka.bootstrap,
            cert,
            [ENROLLMENT_COMMANDS],
            group_in("certification"),
        )


@pytest.mark.parametrize("topic", EVENT_TOPICS)
async def test_reporting_cannot_write_any_event_topic(
    secured_kafka: KafkaNode, topic: str
) -> None:
    reporting = secured_kafka.client_security("reporting")
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(secured_kafka.bootstrap, reporting, topic)


async def test_a_service_cannot_join_another_service_consumer_group(
    secured_kafka: KafkaNode,
) -> None:
    reporting = secured_kafka.client_security("reporting")
    # The certification service's real group, on a topic reporting may read.
    with pytest.raises(GroupAuthorizationFailedError):
        await consume(
            secured_kafka.bootstrap,
            reporting,
            [ENROLLMENT_EVENTS],
            "certification-enrollment-view",
        )


async def test_ditjenpas_system_cannot_write_the_certification_command_topic(
    secured_kafka: KafkaNode,
) -> None:
    ditjenpas = secured_kafka.client_security("ditjenpas")
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(secured_kafka.bootstrap, ditjenpas, CERTIFICATION_COMMANDS)


@pytest.mark.parametrize("principal", sorted(PRINCIPALS))
async def test_each_principal_writes_and_reads_its_topics_in_its_groups(
    secured_kafka: KafkaNode, principal: str
) -> None:
    bootstrap, me = secured_kafka.bootstrap, PRINCIPALS[principal]
    security = secured_kafka.client_security(principal)
    for topic in me.writes:
        assert await produce(bootstrap, security, topic) >= 0, topic
    # Records put on its read topics by the admin reach it in its own group.
    markers = {f"{principal}-{uuid.uuid4()}".encode() for _ in me.reads}
    admin = secured_kafka.admin_security()
    for topic, marker in zip(me.reads, sorted(markers), strict=True):
        await produce(bootstrap, admin, topic, marker)
    seen = await consume(
        bootstrap, security, list(me.reads), group_in(principal), markers
    )
    assert markers <= seen


@pytest.mark.parametrize("principal", sorted(PRINCIPALS))
async def test_each_principal_is_refused_every_topic_and_group_not_its_own(
    secured_kafka: KafkaNode, principal: str
) -> None:
    bootstrap, me = secured_kafka.bootstrap, PRINCIPALS[principal]
    security = secured_kafka.client_security(principal)
    allowed: list[str] = []
    for topic in ALL_TOPICS:
        if topic not in me.writes and not await denied(
            produce(bootstrap, security, topic)
        ):
            allowed.append(f"write {topic}")
        if topic not in me.reads and not await denied(
            consume(bootstrap, security, [topic], group_in(principal))
        ):
            allowed.append(f"read {topic}")
    others = [p for name, p in PRINCIPALS.items() if name != principal]
    for other in others:
        for prefix in other.group_prefixes:
            group = f"{prefix}test-{uuid.uuid4().hex[:8]}"
            if not await denied(consume(bootstrap, security, [me.reads[0]], group)):
                allowed.append(f"group {group}")
    assert allowed == [], f"{me.username} was allowed: {allowed}"


async def test_broker_holds_exactly_the_acl_table_and_reapplying_changes_nothing(
    secured_kafka: KafkaNode,
) -> None:
    admin = secured_kafka.admin_security()
    assert await describe_acls(secured_kafka.bootstrap, admin) == acl_bindings()
    again = await ensure_acls(secured_kafka.bootstrap, admin)
    assert again.created == again.deleted == frozenset()


async def test_a_stray_allow_everyone_rule_is_caught_and_removed_by_ensure_acls(
    secured_kafka: KafkaNode,
) -> None:
    bootstrap, admin = secured_kafka.bootstrap, secured_kafka.admin_security()
    cert = secured_kafka.client_security("certification")
    everyone = AclBinding(
        Resource.TOPIC, "*", Pattern.LITERAL, "User:*", Operation.WRITE
    )
    try:
        await ensure_acls(bootstrap, admin, acl_bindings() | {everyone})
        # The broken table lets certification forge enrollment events ...
        assert await produce(bootstrap, cert, ENROLLMENT_EVENTS) >= 0
    finally:
        restored = await ensure_acls(bootstrap, admin)
    # ... and re-applying the table removes exactly that rule.
    assert restored.deleted == {everyone}
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(bootstrap, cert, ENROLLMENT_EVENTS)


async def test_no_rule_means_denied_a_service_cannot_create_a_topic(
    secured_kafka: KafkaNode,
) -> None:
    # No ACL names this topic: only deny-by-default refuses it (allow.everyone=false).
    name = f"lintas.unlisted.{uuid.uuid4().hex[:8]}"
    codes = await create_topic(
        secured_kafka.bootstrap, secured_kafka.client_security("enrollment"), name
    )
    assert codes == [TopicAuthorizationFailedError.errno]
    assert name not in await list_topics(
        secured_kafka.bootstrap, secured_kafka.admin_security()
    )

"""Create the Lintas topics idempotently with aiokafka's admin client."""

from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options
from lintas_shared.topics import (
    ALL_TOPICS,
    DEAD_LETTERS,
    EVENT_TOPIC_PARTITIONS,
    EVENT_TOPICS,
)

KEEP_FOREVER = {"retention.ms": "-1", "retention.bytes": "-1"}


@dataclass(frozen=True)
class TopicSpec:
    """A topic to create: name, partition count and topic-level configs."""

    name: str
    partitions: int
    configs: dict[str, str] = field(default_factory=dict)


def topic_specs(partitions: int = EVENT_TOPIC_PARTITIONS) -> list[TopicSpec]:
    """Every Lintas topic; event and dead-letter topics keep their records forever."""
    forever = {*EVENT_TOPICS, DEAD_LETTERS}
    return [
        TopicSpec(name, partitions, dict(KEEP_FOREVER) if name in forever else {})
        for name in ALL_TOPICS
    ]


async def ensure_topics(
    bootstrap: str,
    *,
    replication_factor: int = 1,
    specs: list[TopicSpec] | None = None,
    security: KafkaSecurity | None = None,
) -> list[str]:
    """Create the topics that do not exist yet; return the names created.

    On a secured broker pass the admin's `security` (`KafkaNode.admin_security()`).
    """
    wanted = specs if specs is not None else topic_specs()
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        request_timeout_ms=30000,
        **aiokafka_options(security),
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(spec.name, spec.partitions, replication_factor, None, spec.configs)
            for spec in wanted
            if spec.name not in existing
        ]
        if not missing:
            return []
        response = await admin.create_topics(missing)
        created = []
        for name, code, message in (e[:3] for e in response.topic_errors):
            if code == 0:
                created.append(name)
            elif code != TopicAlreadyExistsError.errno:  # lost a race: fine
                raise for_code(code)(f"creating topic {name}: {message}")
        return created
    finally:
        await admin.close()

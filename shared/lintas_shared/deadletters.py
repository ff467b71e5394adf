"""Operator CLI for dead letters: list them, and replay them to their original topic."""

from __future__ import annotations

import asyncio
import json
import os
from typing import NoReturn

import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code
from aiokafka.structs import ConsumerRecord

from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options
from lintas_shared.messaging.deadletter import describe, replay_of
from lintas_shared.messaging.producer import KafkaPublisher
from lintas_shared.topics import DEAD_LETTERS

app = typer.Typer(
    help="Inspect and replay Lintas dead letters (topic lintas.deadletter)."
)

BOOTSTRAP = typer.Option(
    "127.0.0.1:9092", "--bootstrap", "-b", help="Kafka bootstrap servers."
)
CONSUMER = typer.Option(None, "--consumer", "-c", help="Only letters of this consumer.")
# An operator tool: on a secured broker it logs in as the admin (it reads and replays
# to every topic), with credentials from the environment, never from the command line.
SECURITY_ENV = "LINTAS_KAFKA_SECURITY"


def security_from_env() -> KafkaSecurity:
    """The Kafka principal in LINTAS_KAFKA_SECURITY (JSON), else PLAINTEXT."""
    raw = os.environ.get(SECURITY_ENV)
    return KafkaSecurity.model_validate_json(raw) if raw else KafkaSecurity()


async def read_dead_letters(
    bootstrap: str,
    consumer: str | None,
    timeout: float = 60.0,
    security: KafkaSecurity | None = None,
) -> list[ConsumerRecord]:
    """Every dead letter currently in the topic (up to the end offsets seen at start)."""
    partitions = await dead_letter_partitions(bootstrap, security)
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        **aiokafka_options(security),
    )
    await reader.start()
    try:
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        letters: list[ConsumerRecord] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while await _behind(reader, ends):
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"{DEAD_LETTERS} not read to its end in {timeout}s")
            batch = await reader.getmany(*partitions, timeout_ms=1000)
            for records in batch.values():
                letters.extend(records)
    finally:
        await reader.stop()
    wanted = consumer.encode() if consumer else None
    letters.sort(key=lambda r: (r.partition, r.offset))
    return [
        r
        for r in letters
        if r.offset < ends[_tp(r.partition)]  # later arrivals wait for the next run
        and (wanted is None or dict(r.headers or ()).get("dlq_consumer") == wanted)
    ]


async def dead_letter_partitions(
    bootstrap: str, security: KafkaSecurity | None = None
) -> list[TopicPartition]:
    """The topic's partitions as the broker states them.

    A consumer that has subscribed to nothing has no metadata for the topic yet (and
    ``consumer.topics()`` does not fill it in), so asking it gave no partitions and
    aiokafka's "No partitions are currently assigned"; the admin client asks directly.
    """
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, **aiokafka_options(security)
    )
    await admin.start()
    try:
        [topic] = await admin.describe_topics([DEAD_LETTERS])
    finally:
        await admin.close()
    if topic["error_code"]:
        error = for_code(topic["error_code"]).__name__
        raise RuntimeError(f"topic {DEAD_LETTERS} cannot be read: {error}")
    return sorted(_tp(p["partition"]) for p in topic["partitions"])


def _tp(partition: int) -> TopicPartition:
    return TopicPartition(DEAD_LETTERS, partition)


async def _behind(reader: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await reader.position(tp) < end:
            return True
    return False


def parse_offsets(values: list[str]) -> set[tuple[int, int]]:
    """``PARTITION:OFFSET`` strings as pairs; a malformed one is a usage error."""
    chosen = set()
    for value in values:
        partition, _, offset = value.partition(":")
        if not (partition.isdigit() and offset.isdigit()):
            raise typer.BadParameter(
                f"{value!r}: write PARTITION:OFFSET, e.g. 0:17", param_hint="--offset"
            )
        chosen.add((int(partition), int(offset)))
    return chosen


@app.command("list")
def list_letters(bootstrap: str = BOOTSTRAP, consumer: str | None = CONSUMER) -> None:
    """Print one JSON line per dead letter: consumer, reason, attempts, origin."""
    letters = read_dead_letters(bootstrap, consumer, security=security_from_env())
    for record in asyncio.run(letters):
        typer.echo(json.dumps(describe(record), ensure_ascii=False))


@app.command()
def replay(
    bootstrap: str = BOOTSTRAP,
    consumer: str | None = CONSUMER,
    offset: list[str] = typer.Option(  # noqa: B008
        [], "--offset", help="Dead letter to replay as PARTITION:OFFSET (repeatable)."
    ),
) -> None:
    """Publish dead letters again to their original topic; consumers dedupe by event id."""
    chosen = parse_offsets(offset)
    security = security_from_env()

    async def run() -> list[ConsumerRecord]:
        letters = await read_dead_letters(bootstrap, consumer, security=security)
        if chosen:
            letters = [r for r in letters if (r.partition, r.offset) in chosen]
            missing = chosen - {(r.partition, r.offset) for r in letters}
            if missing:
                _refuse_missing(missing, consumer)
        publisher = KafkaPublisher(bootstrap, "lintas-deadletters", security)
        try:
            await publisher.publish([replay_of(r) for r in letters])
        finally:
            await publisher.close()
        return letters

    letters = asyncio.run(run())
    typer.echo(f"replayed {len(letters)} dead letter(s)")


def _refuse_missing(missing: set[tuple[int, int]], consumer: str | None) -> NoReturn:
    where = ", ".join(f"{p}:{o}" for p, o in sorted(missing))
    whose = f" of consumer {consumer}" if consumer else ""
    typer.echo(
        f"no dead letter{whose} at {where}; "
        "nothing was replayed (see `list` for the offsets)",
        err=True,
    )
    raise typer.Exit(1)


if __name__ == "__main__":
    app()

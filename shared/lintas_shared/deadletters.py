"""Operator CLI for dead letters: list them, and replay them to their original topic."""

from __future__ import annotations

import asyncio
import json

import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord

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


async def read_dead_letters(
    bootstrap: str, consumer: str | None
) -> list[ConsumerRecord]:
    """Every dead letter currently in the topic (up to the end offsets seen at start)."""
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
    )
    await reader.start()
    try:
        partitions = [
            TopicPartition(DEAD_LETTERS, p)
            for p in sorted(reader.partitions_for_topic(DEAD_LETTERS) or ())
        ]
        if not partitions:
            await reader.topics()
            partitions = [
                TopicPartition(DEAD_LETTERS, p)
                for p in sorted(reader.partitions_for_topic(DEAD_LETTERS) or ())
            ]
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        letters: list[ConsumerRecord] = []
        while await _behind(reader, ends):
            batch = await reader.getmany(timeout_ms=1000)
            for records in batch.values():
                letters.extend(records)
    finally:
        await reader.stop()
    wanted = consumer.encode() if consumer else None
    return [
        r
        for r in letters
        if wanted is None or dict(r.headers or ()).get("dlq_consumer") == wanted
    ]


async def _behind(reader: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await reader.position(tp) < end:
            return True
    return False


@app.command("list")
def list_letters(bootstrap: str = BOOTSTRAP, consumer: str | None = CONSUMER) -> None:
    """Print one JSON line per dead letter: consumer, reason, attempts, origin."""
    for record in asyncio.run(read_dead_letters(bootstrap, consumer)):
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

    async def run() -> int:
        letters = await read_dead_letters(bootstrap, consumer)
        if offset:
            chosen = set(offset)
            letters = [r for r in letters if f"{r.partition}:{r.offset}" in chosen]
        publisher = KafkaPublisher(bootstrap, "lintas-deadletters")
        try:
            await publisher.publish([replay_of(r) for r in letters])
        finally:
            await publisher.close()
        return len(letters)

    count = asyncio.run(run())
    typer.echo(f"replayed {count} dead letter(s)")


if __name__ == "__main__":
    app()

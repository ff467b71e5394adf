"""The operator's dead-letter tool, run as the README says, against a real broker."""

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from aiokafka.structs import ConsumerRecord

from lintas_shared.messaging.deadletter import dead_letter
from lintas_shared.messaging.producer import KafkaPublisher
from tests.integration.kernel.conftest import read_topic
from tests.support.kafka_login import admin_security

pytestmark = pytest.mark.integration


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m lintas_shared.deadletters ...`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "lintas_shared.deadletters", *args],
        # The operator tool logs in as the admin, from its environment.
        env={**os.environ, "LINTAS_KAFKA_SECURITY": admin_security().settings_json()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _failed_record(topic: str, offset: int, event_id: str) -> ConsumerRecord:
    value = json.dumps({"n": offset}).encode()
    return ConsumerRecord(
        topic=topic,
        partition=offset % 3,
        offset=offset,
        timestamp=int(time.time() * 1000),
        timestamp_type=0,
        key=f"stream-{offset}".encode(),
        value=value,
        checksum=None,
        serialized_key_size=8,
        serialized_value_size=len(value),
        headers=[("ce_id", event_id.encode()), ("ce_type", b"test.Failed.v1")],
    )


async def _write_letters(
    bootstrap: str, topic: str, consumer: str, count: int
) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    publisher = KafkaPublisher(bootstrap, "test-deadletters", security=admin_security())
    try:
        await publisher.publish(
            [
                dead_letter(
                    _failed_record(topic, n, ids[n]),
                    consumer=consumer,
                    reason=f"ValueError('bad record {n}')",
                    attempts=5,
                )
                for n in range(count)
            ]
        )
    finally:
        await publisher.close()
    return ids


async def test_list_shows_every_letter_and_replay_sends_one_back(
    kafka_bootstrap: str, topic: str
) -> None:
    consumer = f"test-consumer-{uuid.uuid4().hex[:8]}"
    ids = await _write_letters(kafka_bootstrap, topic, consumer, 3)

    listed = await asyncio.to_thread(
        _cli, "list", "-b", kafka_bootstrap, "-c", consumer
    )
    assert listed.returncode == 0, listed.stderr
    letters = {
        letter["ce_id"]: letter
        for letter in map(json.loads, listed.stdout.splitlines())
    }
    assert sorted(letters) == sorted(ids)
    assert {letter["consumer"] for letter in letters.values()} == {consumer}
    second = letters[ids[1]]
    assert second["reason"] == "ValueError('bad record 1')"
    assert second["attempts"] == "5"
    assert second["original"] == f"{topic}[1]@1"
    assert second["ce_type"] == "test.Failed.v1"

    chosen = second["dead_letter_offset"]
    replayed = await asyncio.to_thread(
        _cli, "replay", "-b", kafka_bootstrap, "-c", consumer, "--offset", chosen
    )
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.strip() == "replayed 1 dead letter(s)"

    [record] = await read_topic(kafka_bootstrap, topic, expected=1)
    assert record.key == b"stream-1"
    assert json.loads(record.value) == {"n": 1}
    headers = dict(record.headers)
    assert headers["ce_id"] == ids[1].encode()
    assert not [k for k in headers if k.startswith("dlq_")]


async def test_replay_of_an_offset_that_holds_no_letter_fails_and_sends_nothing(
    kafka_bootstrap: str, topic: str
) -> None:
    consumer = f"test-consumer-{uuid.uuid4().hex[:8]}"
    await _write_letters(kafka_bootstrap, topic, consumer, 1)

    missing = await asyncio.to_thread(
        _cli, "replay", "-b", kafka_bootstrap, "-c", consumer, "--offset", "0:999999"
    )
    assert missing.returncode != 0
    assert "0:999999" in missing.stderr
    malformed = await asyncio.to_thread(
        _cli, "replay", "-b", kafka_bootstrap, "--offset", "first"
    )
    assert malformed.returncode != 0
    assert "PARTITION:OFFSET" in malformed.stderr
    assert await read_topic(kafka_bootstrap, topic, expected=0, timeout=2) == []


async def test_list_of_a_consumer_without_letters_prints_nothing(
    kafka_bootstrap: str,
) -> None:
    listed = await asyncio.to_thread(
        _cli, "list", "-b", kafka_bootstrap, "-c", f"nobody-{uuid.uuid4().hex[:8]}"
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""

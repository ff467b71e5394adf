"""Private Kafka and PostgreSQL for one benchmark run, on free ports in a temporary folder."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from lintas_deploy.kafka import KafkaNode
from lintas_deploy.postgres import PostgresNode
from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

PARTITIONS = 6  # lintas_shared.topics.EVENT_TOPIC_PARTITIONS

# The admin login of this run's broker (secured like make up's): benchmark topics and
# groups (bench.*) are in no principal's ACLs. One broker per benchmark process.
_login: KafkaSecurity | None = None


def kafka_login() -> KafkaSecurity:
    """The running benchmark broker's admin login."""
    if _login is None:
        raise RuntimeError("no benchmark broker started (start_infra) in this process")
    return _login


def kafka_options() -> dict[str, Any]:
    """aiokafka keyword arguments logging in to the benchmark broker."""
    return aiokafka_options(kafka_login())


@dataclass
class Infra:
    """The nodes of this run and what starting them cost."""

    run_dir: Path
    kafka: KafkaNode
    postgres: PostgresNode
    keep_run_dir: bool = False
    started: dict[str, float] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)

    @property
    def bootstrap(self) -> str:
        return self.kafka.bootstrap

    async def database(self, name: str) -> str:
        """Create (after dropping any leftover) database `name`; return its DSN."""
        await _admin(
            self.postgres.admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )
        await _admin(self.postgres.admin_dsn, f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.postgres.dsn(name)

    async def server_version(self) -> str:
        conn = await asyncpg.connect(self.postgres.admin_dsn)
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()

    def stop(self) -> None:
        """Stop what this run started; drop databases on an external server."""
        if self.postgres.external_url:
            for name in self.databases:
                sql = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                try:
                    asyncio.run(_admin(self.postgres.admin_dsn, sql))
                except Exception as exc:  # keep stopping the rest
                    print(f"warning: could not drop database {name}: {exc!r}")
        self.kafka.stop()
        self.postgres.stop()
        if not self.keep_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)


def start_infra(*, keep_run_dir: bool = False, kafka_heap: str = "1g") -> Infra:
    """Start a private broker and (unless LINTAS_DATABASE_URL is set) a private server.

    Free ports are only free when chosen: on a shared machine another process may take
    one before the broker binds it, so a failed start is retried on fresh ports.
    """
    run_dir = Path(tempfile.mkdtemp(prefix="lintas-bench-"))
    run_dir.chmod(0o755)  # PostgreSQL runs as an unprivileged user when we are root
    (pg_port,) = free_ports(1)
    postgres = PostgresNode(
        run_dir, port=pg_port, external_url=os.environ.get("LINTAS_DATABASE_URL")
    )
    infra = Infra(run_dir, _kafka_node(run_dir, 0, kafka_heap), postgres, keep_run_dir)
    try:
        began = time.monotonic()
        infra.started["postgres_s"] = postgres.start()
        for attempt in range(1, 4):
            try:
                infra.started["kafka_s"] = infra.kafka.start()
                break
            except RuntimeError as exc:
                infra.kafka.stop()
                if attempt == 3:
                    raise
                print(f"Kafka start failed ({str(exc).splitlines()[0]}); retrying")
                infra.kafka = _kafka_node(run_dir, attempt, kafka_heap)
        infra.started["total_s"] = time.monotonic() - began
        global _login
        _login = infra.kafka.admin_security()
    except BaseException:
        infra.stop()
        raise
    return infra


def _kafka_node(run_dir: Path, attempt: int, heap: str) -> KafkaNode:
    port, controller_port = free_ports(2)
    home = run_dir / f"kafka-{attempt}" if attempt else run_dir
    return KafkaNode(
        home,
        port=port,
        controller_port=controller_port,
        heap=heap,
        security="SASL_PLAINTEXT",  # as make up runs it: authentication costs count
    )


async def _admin(admin_dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def free_ports(count: int) -> list[int]:
    """`count` distinct TCP ports on 127.0.0.1 that are free right now."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))  # held open together, so all distinct
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


async def create_topics(
    bootstrap: str, names: list[str], partitions: int = PARTITIONS
) -> None:
    """Create topics with infinite retention (event topics keep events forever)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=30000, **kafka_options()
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        new = [
            NewTopic(name, partitions, 1, None, {"retention.ms": "-1"})
            for name in names
            if name not in existing
        ]
        if new:
            await admin.create_topics(new)
    finally:
        await admin.close()


async def warm_up(bootstrap: str, messages: int = 20_000) -> None:
    """Produce and group-consume a throwaway burst before anything is timed.

    The first run of a fresh broker pays for JIT compilation and for creating
    __consumer_offsets at the first group join; neither contender should pay for it.
    """
    topic = "bench.warmup"
    # The first group join retries while the broker creates __consumer_offsets; quiet.
    kafka_log = logging.getLogger("aiokafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)
    await create_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        **kafka_options(),
    )
    await producer.start()
    try:
        futures = [
            await producer.send(topic, b"x" * 700, key=str(i).encode())
            for i in range(messages)
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id="bench-warmup",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **kafka_options(),
    )
    await consumer.start()
    try:
        seen = 0
        while seen < messages:
            batches = await consumer.getmany(timeout_ms=500)
            seen += sum(len(records) for records in batches.values())
            await consumer.commit()
    finally:
        await consumer.stop()
        kafka_log.setLevel(level)

"""A consumer in its own process, so a test can SIGKILL it: args DSN BOOTSTRAP TOPIC NAME."""

from __future__ import annotations

import asyncio
import sys

from lintas_shared.db import create_pool
from lintas_shared.messaging import EventConsumer, KafkaPublisher
from tests.integration.kernel.counting import REGISTRY, counting_handler
from tests.support.kafka_login import admin_security


async def main(dsn: str, bootstrap: str, topic: str, name: str) -> None:
    pool = await create_pool(dsn)
    publisher = KafkaPublisher(bootstrap, name, security=admin_security())
    consumer = EventConsumer(
        name=name,
        topics=[topic],
        bootstrap=bootstrap,
        pool=pool,
        handler=counting_handler(delay=0.3),
        registry=REGISTRY,
        publisher=publisher,
        batch_size=40,
        security=admin_security(),
    )
    await consumer.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))

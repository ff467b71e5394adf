"""Kafka and in-process server helpers for reporting tests against a real broker."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence

import uvicorn
from fastapi import FastAPI

from lintas_deploy.procs import free_ports
from lintas_deploy.topics import TopicSpec, ensure_topics
from lintas_shared import topics
from lintas_shared.messaging import create_producer
from reporting.settings import ReportingSettings
from tests.support.kafka_login import admin_security
from tests.support.synthetic_history import SyntheticEvent


async def private_settings(
    bootstrap: str, dsn: str, **extra: object
) -> ReportingSettings:
    """Settings on new, test-private topics and a new projector name."""
    suffix = uuid.uuid4().hex[:10]
    enrollment = f"test.{suffix}.enrollment.events"
    certification = f"test.{suffix}.certification.events"
    await ensure_topics(
        bootstrap,
        specs=[TopicSpec(enrollment, 6), TopicSpec(certification, 6)],
        security=admin_security(),
    )
    (port,) = free_ports(1)
    values: dict[str, object] = {
        "database_url": dsn,
        "kafka_bootstrap": bootstrap,
        # Private test topics and projector groups: no service principal's ACLs fit.
        "kafka_security": admin_security(),
        "http_port": port,
        "enrollment_topic": enrollment,
        "certification_topic": certification,
        "projector_name": f"reporting-projector-{suffix}",
        "dashboard_refresh_seconds": 1.0,
        **extra,
    }
    return ReportingSettings.model_validate(values)


async def publish(
    bootstrap: str, settings: ReportingSettings, events: Sequence[SyntheticEvent]
) -> None:
    """Produce events as the write services' relays would: keyed by stream id."""
    remap = {
        topics.ENROLLMENT_EVENTS: settings.enrollment_topic,
        topics.CERTIFICATION_EVENTS: settings.certification_topic,
    }
    producer = await create_producer(
        bootstrap, "reporting-test-seed", security=admin_security()
    )
    try:
        futures = []
        for e in events:
            body, headers = e.event.to_kafka()
            futures.append(
                await producer.send(
                    remap[e.topic], body, key=e.key.encode(), headers=headers
                )
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[str]:
    """Run ``app`` with uvicorn in this event loop; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if task.done():
        task.result()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)

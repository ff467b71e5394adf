"""Inbox tables: which events a consumer has applied and where it is in each partition."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg


async def claim(
    conn: asyncpg.Connection, consumer: str, event_ids: Sequence[UUID]
) -> set[UUID]:
    """Record ids as processed; return those not seen before (the ones to apply)."""
    if not event_ids:
        return set()
    rows = await conn.fetch(
        """INSERT INTO processed_events (consumer, event_id)
           SELECT $1, unnest($2::uuid[])
           ON CONFLICT DO NOTHING RETURNING event_id""",
        consumer,
        list(event_ids),
    )
    return {row["event_id"] for row in rows}


async def save_checkpoint(
    conn: asyncpg.Connection,
    consumer: str,
    topic: str,
    partition: int,
    next_offset: int,
) -> None:
    await conn.execute(
        """INSERT INTO consumer_checkpoints (consumer, topic, partition, next_offset)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer, topic, partition) DO UPDATE
           SET next_offset = GREATEST(consumer_checkpoints.next_offset, EXCLUDED.next_offset),
               updated_at = now()""",
        consumer,
        topic,
        partition,
        next_offset,
    )


async def load_checkpoints(
    pool: asyncpg.Pool, consumer: str
) -> dict[tuple[str, int], int]:
    rows = await pool.fetch(
        "SELECT topic, partition, next_offset FROM consumer_checkpoints WHERE consumer = $1",
        consumer,
    )
    return {(row["topic"], row["partition"]): row["next_offset"] for row in rows}

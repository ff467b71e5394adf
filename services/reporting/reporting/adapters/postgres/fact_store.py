"""Set-based writes of fact groups into one generation: one statement per group per batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache

import asyncpg

from reporting.adapters.postgres import generations
from reporting.adapters.postgres.generations import checked
from reporting.domain.facts import GROUPS, Group
from reporting.domain.projection import Row


@cache
def upsert_sql(schema: str, group_name: str) -> str:
    """INSERT ... SELECT FROM unnest(arrays) that replaces the group only if later.

    The WHERE clause is the whole ordering rule: a row's group changes only to the values
    of an event later by (event time, event id), so replays and reordering converge.
    """
    group: Group = GROUPS[group_name]
    names = [group.key.name, *(c.name for c in group.columns)]
    types = [group.key.sql_type, *(c.sql_type for c in group.columns)]
    names += [group.time_column, group.id_column]
    types += ["timestamptz", "uuid"]
    arrays = ", ".join(f"${i}::{t}[]" for i, t in enumerate(types, start=1))
    updated = names[1:]
    t, i = group.time_column, group.id_column
    return (
        f"INSERT INTO {checked(schema)}.{group.table} AS t ({', '.join(names)}) "
        f"SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT ({group.key.name}) DO UPDATE SET ({', '.join(updated)}) = "
        f"ROW({', '.join('EXCLUDED.' + n for n in updated)}) "
        f"WHERE t.{t} IS NULL OR (EXCLUDED.{t}, EXCLUDED.{i}) > (t.{t}, t.{i})"
    )


async def write_groups(
    conn: asyncpg.Connection, schema: str, rows_by_group: Mapping[str, Sequence[Row]]
) -> None:
    """Apply already-reduced rows (at most one per key per group), one statement each.

    A row is (key, *group values, event time, event id); its columns go as arrays.
    """
    for name in sorted(rows_by_group):
        rows = rows_by_group[name]
        if rows:
            await conn.execute(upsert_sql(schema, name), *zip(*rows, strict=True))


async def advance_watermarks(
    conn: asyncpg.Connection, schema: str, marks: Mapping[tuple[str, int], datetime]
) -> None:
    """Latest event time per partition, never moving back (data as of)."""
    if not marks:
        return
    topics, partitions = zip(*marks.keys(), strict=True)
    await conn.execute(
        f"""INSERT INTO {checked(schema)}.watermark AS w (topic, partition, last_event_time)
            SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[])
            ON CONFLICT (topic, partition) DO UPDATE
            SET last_event_time = GREATEST(w.last_event_time, EXCLUDED.last_event_time)""",
        list(topics),
        list(partitions),
        list(marks.values()),
    )


async def save_replay_checkpoints(
    conn: asyncpg.Connection, schema: str, positions: Mapping[tuple[str, int], int]
) -> None:
    """A rebuild's own position per partition, stored with the writes it covers."""
    if not positions:
        return
    topics, partitions = zip(*positions.keys(), strict=True)
    await conn.execute(
        f"""INSERT INTO {checked(schema)}.replay_checkpoint AS c
                (topic, partition, next_offset)
            SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
            ON CONFLICT (topic, partition) DO UPDATE
            SET next_offset = GREATEST(c.next_offset, EXCLUDED.next_offset)""",
        list(topics),
        list(partitions),
        list(positions.values()),
    )


async def load_replay_checkpoints(
    conn: asyncpg.Connection, schema: str
) -> dict[tuple[str, int], int]:
    rows = await conn.fetch(
        f"SELECT topic, partition, next_offset FROM {checked(schema)}.replay_checkpoint"
    )
    return {(r["topic"], r["partition"]): r["next_offset"] for r in rows}


async def copy_facts(
    conn: asyncpg.Connection, source: str, target: str, tables: Sequence[str]
) -> None:
    """Carry fact tables a partial rebuild did not replay over from the current generation."""
    for table in tables:
        await conn.execute(f"TRUNCATE {checked(target)}.{table}")
        await conn.execute(
            f"INSERT INTO {target}.{table} SELECT * FROM {checked(source)}.{table}"
        )


class PostgresFacts:
    """The fact sink of one generation on a connection inside the caller's transaction."""

    def __init__(self, conn: asyncpg.Connection, schema: str) -> None:
        self.conn = conn
        self.schema = checked(schema)

    @classmethod
    async def current(cls, conn: asyncpg.Connection) -> PostgresFacts:
        """The current generation, its pointer held FOR SHARE until the transaction ends.

        A switch takes the pointer FOR UPDATE, so it waits for this batch and this batch
        for a switch in progress; replicas of the projector do not block each other.
        """
        return cls(conn, await generations.current(conn, lock="FOR SHARE"))

    async def write_groups(self, rows_by_group: Mapping[str, Sequence[Row]]) -> None:
        await write_groups(self.conn, self.schema, rows_by_group)

    async def advance_watermarks(
        self, marks: Mapping[tuple[str, int], datetime]
    ) -> None:
        await advance_watermarks(self.conn, self.schema, marks)

    async def save_positions(
        self, reached: Mapping[tuple[str, int], int], replayed: int, to_replay: int
    ) -> None:
        await save_replay_checkpoints(self.conn, self.schema, reached)
        await self.conn.execute(
            """UPDATE rm_control.generations SET replayed = $2, to_replay = $3
               WHERE name = $1""",
            self.schema,
            replayed,
            to_replay,
        )

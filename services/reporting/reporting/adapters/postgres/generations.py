"""Generations of the read models: one PostgreSQL schema each, and the pointer to the current."""

from __future__ import annotations

import re
from importlib import resources

import asyncpg

from reporting.domain.facts import FACT_TABLES, GROUPS
from reporting.domain.models import MODELS

# Bump when the fact tables or views change shape: older generations then need a rebuild.
# 2: national and trend are read through national_where/trend_where (filterable).
LAYOUT = 2
_NAME = re.compile(r"^rm_g\d+$")
_INDEXES = (
    "enrollment_f (package_id)",
    "enrollment_f (lapas_code)",
    "assessment_f (enrollment_id)",
    "certificate_f (enrollment_id)",
)


class NoCurrentGeneration(RuntimeError):
    """The pointer row is missing: the service has not initialised its read models."""


def checked(name: str) -> str:
    """A generation name, safe to splice into SQL as a schema identifier."""
    if not _NAME.match(name):
        raise ValueError(f"not a generation name: {name!r}")
    return name


def tables_ddl(schema: str) -> str:
    """CREATE TABLE statements for every fact table, built from the group catalogue."""
    columns: dict[str, dict[str, str]] = {table: {} for table in FACT_TABLES}
    for group in GROUPS.values():
        table = columns[group.table]
        table.setdefault(group.key.name, f"{group.key.sql_type} PRIMARY KEY")
        for column in group.columns:
            table[column.name] = column.sql_type
        table[group.time_column] = "timestamptz"
        table[group.id_column] = "uuid"
    statements = []
    for name in sorted(columns):
        body = ",\n  ".join(f"{n} {t}" for n, t in columns[name].items())
        statements.append(f"CREATE TABLE {schema}.{name} (\n  {body}\n);")
    for index in _INDEXES:
        statements.append(f"CREATE INDEX ON {schema}.{index};")
    statements.append(
        f"""CREATE TABLE {schema}.watermark (
  topic text NOT NULL, partition integer NOT NULL,
  last_event_time timestamptz NOT NULL, PRIMARY KEY (topic, partition));"""
    )
    statements.append(
        f"""CREATE TABLE {schema}.replay_checkpoint (
  topic text NOT NULL, partition integer NOT NULL,
  next_offset bigint NOT NULL, PRIMARY KEY (topic, partition));"""
    )
    return "\n".join(statements)


def views_ddl(schema: str) -> str:
    sql = (
        resources.files("reporting.adapters.postgres")
        .joinpath("sql/views.sql")
        .read_text()
    )
    return sql.replace("__S__", schema)


async def create_generation(conn: asyncpg.Connection, facts: frozenset[str]) -> str:
    """A new empty generation in state 'building'; returns its schema name."""
    async with conn.transaction():
        number = await conn.fetchval("SELECT nextval('rm_control.generation_seq')")
        name = checked(f"rm_g{number}")
        await conn.execute(f"CREATE SCHEMA {name}")
        await conn.execute(tables_ddl(name))
        await conn.execute(views_ddl(name))
        await conn.execute(
            """INSERT INTO rm_control.generations (name, layout, state, facts)
               VALUES ($1, $2, 'building', $3)""",
            name,
            LAYOUT,
            sorted(facts),
        )
    return name


async def ensure_current(conn: asyncpg.Connection) -> str:
    """The current generation, creating and pointing at a first one if there is none."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('lintas:rm:init'))")
        current = await conn.fetchval("SELECT generation FROM rm_control.pointer")
        if current is not None:
            return str(current)
        name = await create_generation(conn, FACT_TABLES)
        await point_to(conn, name)
        return name


async def current(conn: asyncpg.Connection, *, lock: str = "") -> str:
    """The generation queries read; ``lock`` is '' or 'FOR SHARE' or 'FOR UPDATE'."""
    assert lock in ("", "FOR SHARE", "FOR UPDATE")
    name = await conn.fetchval(f"SELECT generation FROM rm_control.pointer {lock}")
    if name is None:
        raise NoCurrentGeneration("no read-model generation yet")
    return checked(str(name))


async def point_to(conn: asyncpg.Connection, name: str) -> None:
    """Make ``name`` current and re-point the stable ``rm.*`` views, in the caller's tx."""
    checked(name)
    await conn.execute(
        """INSERT INTO rm_control.pointer (id, generation) VALUES (true, $1)
           ON CONFLICT (id) DO UPDATE SET generation = $1, switched_at = now()""",
        name,
    )
    await conn.execute(
        """UPDATE rm_control.generations
           SET state = CASE WHEN name = $1 THEN 'current' ELSE 'retired' END,
               switched_at = CASE WHEN name = $1 THEN now() ELSE switched_at END
           WHERE name = $1 OR state = 'current'""",
        name,
    )
    for model in MODELS.values():
        await conn.execute(f"DROP VIEW IF EXISTS rm.{model.view}")
        await conn.execute(
            f"CREATE VIEW rm.{model.view} AS SELECT * FROM {name}.{model.view}"
        )


async def drop_old(conn: asyncpg.Connection, keep: int) -> list[str]:
    """Drop retired generations beyond the ``keep`` most recent (current included)."""
    rows = await conn.fetch(
        """SELECT name FROM rm_control.generations WHERE state = 'retired'
           ORDER BY created_at DESC OFFSET $1""",
        max(keep - 1, 0),
    )
    dropped = []
    for row in rows:
        name = checked(row["name"])
        async with conn.transaction():
            await conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            await conn.execute(
                "DELETE FROM rm_control.generations WHERE name = $1", name
            )
        dropped.append(name)
    return dropped


async def abandon_building(conn: asyncpg.Connection) -> list[str]:
    """Drop generations left 'building' by an interrupted rebuild."""
    rows = await conn.fetch(
        "SELECT name FROM rm_control.generations WHERE state = 'building'"
    )
    for row in rows:
        async with conn.transaction():
            await conn.execute(f"DROP SCHEMA IF EXISTS {checked(row['name'])} CASCADE")
            await conn.execute(
                "DELETE FROM rm_control.generations WHERE name = $1", row["name"]
            )
    return [row["name"] for row in rows]

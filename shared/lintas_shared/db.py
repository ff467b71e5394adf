"""PostgreSQL plumbing: connection pools with JSON codecs, and versioned migrations."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import asyncpg

KERNEL_MIGRATIONS = "lintas_shared"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb as dicts both ways; the kernel never stores JSON as text.
    await conn.set_type_codec(
        "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )
    await conn.set_type_codec(
        "json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )


async def create_pool(
    dsn: str, *, min_size: int = 1, max_size: int = 10
) -> asyncpg.Pool:
    """A pool whose connections encode and decode json/jsonb as Python objects."""
    pool = await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection
    )
    assert pool is not None
    return pool


async def connect(dsn: str) -> asyncpg.Connection:
    """A single connection with the same codecs as ``create_pool``."""
    conn = await asyncpg.connect(dsn)
    await _init_connection(conn)
    return conn


@dataclass(frozen=True, slots=True)
class Migration:
    component: str
    version: int
    name: str
    sql: str


def migrations_in(component: str, package: str) -> list[Migration]:
    """The ``NNN_name.sql`` files of ``package``'s ``migrations`` folder, in order."""
    folder = resources.files(package).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(
                Migration(component, int(match.group(1)), entry.name, entry.read_text())
            )
    return sorted(found, key=lambda m: m.version)


def migrations_from_dir(component: str, folder: Path) -> list[Migration]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append(
                Migration(component, int(match.group(1)), path.name, path.read_text())
            )
    return found


async def migrate(conn: asyncpg.Connection, migrations: list[Migration]) -> list[str]:
    """Apply what is not applied yet, each in its own transaction; replicas wait on a lock."""
    await conn.execute(
        """CREATE TABLE IF NOT EXISTS schema_migrations (
               component text NOT NULL, version integer NOT NULL, name text NOT NULL,
               applied_at timestamptz NOT NULL DEFAULT now(),
               PRIMARY KEY (component, version))"""
    )
    applied: list[str] = []
    for migration in migrations:
        async with conn.transaction():
            # Serialises replicas starting at once; released at commit.
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtext('lintas:migrate'))"
            )
            done = await conn.fetchval(
                "SELECT 1 FROM schema_migrations WHERE component=$1 AND version=$2",
                migration.component,
                migration.version,
            )
            if done:
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (component, version, name) VALUES ($1,$2,$3)",
                migration.component,
                migration.version,
                migration.name,
            )
            applied.append(f"{migration.component}/{migration.name}")
    return applied


async def migrate_dsn(dsn: str, migrations: list[Migration]) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        return await migrate(conn, migrations)
    finally:
        await conn.close()


def kernel_migrations() -> list[Migration]:
    """Event store, outbox, idempotency keys and inbox tables."""
    return migrations_in(KERNEL_MIGRATIONS, KERNEL_MIGRATIONS)

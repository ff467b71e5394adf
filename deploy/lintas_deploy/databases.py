"""Database helpers that work on any PostgreSQL server given an admin URL."""

import contextlib
import re
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from lintas_deploy.aio import run_sync

_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def dsn_for(admin_url: str, dbname: str) -> str:
    """`admin_url` with its database replaced by `dbname`."""
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


def create_database(admin_dsn: str, name: str) -> str:
    """Create database `name` on the server of `admin_dsn` unless it exists; its DSN."""
    _check_name(name)

    async def create() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            found = await conn.fetchval(
                "SELECT 1 FROM pg_database WHERE datname = $1", name
            )
            if not found:
                with contextlib.suppress(asyncpg.DuplicateDatabaseError):  # a race
                    await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    run_sync(create)
    return dsn_for(admin_dsn, name)


def drop_database(admin_dsn: str, name: str) -> None:
    """Drop database `name` if it exists, disconnecting its clients first."""
    _check_name(name)

    async def drop() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    run_sync(drop)


def _check_name(name: str) -> None:
    # Names are interpolated into SQL (CREATE DATABASE takes no parameters).
    if not _DB_NAME.match(name):
        raise ValueError(f"database name {name!r} must match {_DB_NAME.pattern}")

"""Database helpers that work on any PostgreSQL server given an admin URL."""

import contextlib
import re
from urllib.parse import quote, urlsplit, urlunsplit

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


def create_service_database(admin_dsn: str, name: str, password: str) -> str:
    """Database `name` owned by a login role of the same name; that role's DSN.

    The role owns the database (so its schema and every object its migrations create)
    and nothing else: CONNECT and TEMPORARY are revoked from PUBLIC on the database, so
    no other service's role can even connect to it. The role is no superuser and
    cannot create roles or databases; its password is set again on each call.
    """
    _check_name(name)

    async def create() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            exists = await conn.fetchval(
                "SELECT 1 FROM pg_roles WHERE rolname = $1", name
            )
            verb = "ALTER" if exists else "CREATE"
            # Utility statements take no parameters: the password is quoted literally.
            literal = await conn.fetchval("SELECT quote_literal($1)", password)
            await conn.execute(
                f'{verb} ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                f"PASSWORD {literal}"
            )
            owner = await conn.fetchval(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1",
                name,
            )
            if owner is None:
                with contextlib.suppress(asyncpg.DuplicateDatabaseError):  # a race
                    await conn.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
            elif owner != name:
                raise RuntimeError(
                    f"database {name} exists but is owned by {owner}, not its "
                    f"service role {name}; drop it (or the server's data) to recreate"
                )
            await conn.execute(
                f'REVOKE CONNECT, TEMPORARY ON DATABASE "{name}" FROM PUBLIC'
            )
        finally:
            await conn.close()

    run_sync(create)
    return role_dsn(admin_dsn, name, password)


def role_dsn(admin_dsn: str, name: str, password: str) -> str:
    """The DSN of role `name` (password `password`) on database `name`."""
    parts = urlsplit(dsn_for(admin_dsn, name))
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(name, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def drop_database(admin_dsn: str, name: str) -> None:
    """Drop database `name` if it exists, disconnecting its clients first."""
    _check_name(name)

    async def drop() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'DROP ROLE IF EXISTS "{name}"')
        finally:
            await conn.close()

    run_sync(drop)


def _check_name(name: str) -> None:
    # Names are interpolated into SQL (CREATE DATABASE takes no parameters).
    if not _DB_NAME.match(name):
        raise ValueError(f"database name {name!r} must match {_DB_NAME.pattern}")

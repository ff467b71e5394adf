"""One PostgreSQL role per service database, on the real server: own database only."""

import secrets
import uuid
from collections.abc import Iterator

import asyncpg
import pytest

from lintas_deploy.databases import create_service_database, drop_database

pytestmark = pytest.mark.integration


@pytest.fixture
def two_services(pg_admin_dsn: str) -> Iterator[dict[str, str]]:
    """An enrollment and a certification database, each with its own role; DSNs."""
    suffix = uuid.uuid4().hex[:8]
    names = {s: f"test_{s}_{suffix}" for s in ("enrollment", "certification")}
    dsns = {
        service: create_service_database(pg_admin_dsn, name, secrets.token_hex(16))
        for service, name in names.items()
    }
    try:
        yield dsns
    finally:
        for name in names.values():
            drop_database(pg_admin_dsn, name)


def _other_database(dsn: str, database: str) -> str:
    return dsn.rsplit("/", 1)[0] + f"/{database}"


@pytest.mark.parametrize(
    ("who", "target"),
    [("certification", "enrollment"), ("enrollment", "certification")],
)
async def test_a_service_role_cannot_connect_to_another_services_database(
    two_services: dict[str, str], who: str, target: str
) -> None:
    target_db = two_services[target].rsplit("/", 1)[1]
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="CONNECT"):
        await asyncpg.connect(_other_database(two_services[who], target_db))


async def test_a_service_role_owns_what_it_creates_in_its_own_database(
    two_services: dict[str, str],
) -> None:
    conn = await asyncpg.connect(two_services["enrollment"])
    try:
        await conn.execute("CREATE TABLE probe (id int PRIMARY KEY)")
        await conn.execute("INSERT INTO probe VALUES (1)")
        owner = await conn.fetchval(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'probe'"
        )
        assert owner == await conn.fetchval("SELECT current_user")
        assert await conn.fetchval("SELECT count(*) FROM probe") == 1
    finally:
        await conn.close()


async def test_a_service_role_has_no_administrative_rights(
    two_services: dict[str, str],
) -> None:
    conn = await asyncpg.connect(two_services["certification"])
    try:
        flags = await conn.fetchrow(
            "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
            " WHERE rolname = current_user"
        )
        assert tuple(flags) == (False, False, False)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CREATE DATABASE stolen")
    finally:
        await conn.close()


async def test_a_wrong_password_is_refused(two_services: dict[str, str]) -> None:
    dsn = two_services["enrollment"]
    user, _, rest = dsn.partition("://")[2].partition("@")
    wrong = f"postgresql://{user.partition(':')[0]}:not-the-password@{rest}"
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(wrong)


async def test_the_superuser_needs_its_password_too(pg_admin_dsn: str) -> None:
    parts = pg_admin_dsn.partition("://")[2]
    user, _, rest = parts.partition("@")
    if ":" not in user:
        pytest.skip("an external test server (LINTAS_TEST_DATABASE_URL) without one")
    without = f"postgresql://{user.partition(':')[0]}@{rest}"
    with pytest.raises(
        (asyncpg.InvalidPasswordError, asyncpg.ClientCannotConnectError)
    ):
        await asyncpg.connect(without)

"""A PostgreSQL outage during a request is a retryable 503 problem, never a 500."""

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from lintas_deploy.postgres import PostgresNode
from lintas_deploy.procs import free_ports
from lintas_shared.db import create_pool
from lintas_shared.http.problems import install_problem_handlers

pytestmark = pytest.mark.integration

APP_NAME = "lintas-outage-test"


def _app(pool: asyncpg.Pool) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/commands")
    async def command(sleep: float = 0) -> dict[str, int]:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_sleep($1)", sleep)
            return {"answer": await conn.fetchval("SELECT 42")}

    return app


async def _client(pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(pool))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


def _assert_retryable_problem(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    body = response.json()
    assert body["retryable"] is True
    assert body["type"].endswith("/problems/service-unavailable")
    assert "safe to retry" in body["detail"]


@pytest.fixture
def private_server() -> Iterator[PostgresNode]:
    """A server of this test's own, so stopping it troubles no other test."""
    run_dir = Path(tempfile.mkdtemp(prefix="lintas-test-outage-"))
    (port,) = free_ports(1)
    node = PostgresNode(
        run_dir, port=port, settings={"fsync": "off"}, owner_pid=os.getpid()
    )
    node.start()
    try:
        yield node
    finally:
        node.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


async def test_a_stopped_server_gives_503_with_retry_after_and_recovers(
    private_server: PostgresNode,
) -> None:
    pool = await create_pool(private_server.admin_dsn, min_size=1, max_size=2)
    try:
        async for client in _client(pool):
            assert (await client.post("/commands")).json() == {"answer": 42}

            await asyncio.to_thread(private_server.stop)
            for _ in range(3):  # the pooled connection, then fresh connect attempts
                _assert_retryable_problem(await client.post("/commands"))

            await asyncio.to_thread(private_server.start)
            assert (await client.post("/commands")).json() == {"answer": 42}
    finally:
        pool.terminate()


async def test_a_connection_killed_mid_transaction_gives_503(
    fresh_database: str, pg_admin_dsn: str
) -> None:
    dsn = f"{fresh_database}?application_name={APP_NAME}"
    pool = await create_pool(dsn, min_size=1, max_size=2)
    admin = await asyncpg.connect(pg_admin_dsn)
    try:
        async for client in _client(pool):
            request = asyncio.create_task(client.post("/commands", params={"sleep": 5}))
            killed = 0
            for _ in range(100):  # until the request's backend is in its sleep
                await asyncio.sleep(0.05)
                killed = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = $1 AND query LIKE '%pg_sleep%'",
                    APP_NAME,
                )
                if killed:
                    break
            assert killed == 1
            _assert_retryable_problem(await asyncio.wait_for(request, 10))
            assert (await client.post("/commands")).json() == {"answer": 42}
    finally:
        await admin.close()
        await pool.close()

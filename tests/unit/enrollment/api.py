"""A thin client for the enrollment HTTP API, used by unit (memory) and integration (PG) tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from enrollment.adapters.http.app import create_app
from enrollment.application.context import Context
from enrollment.application.queries import EnrollmentQueries
from lintas_shared.contracts.units import UnitRef
from tests.unit.enrollment import factories as f

LAPAS_ACTOR = {"X-Actor-Agency": "DITJENPAS", "X-Actor-Unit": "LAPAS-IIA-PADANG"}
BLK_ACTOR = {"X-Actor-Agency": "KEMNAKER", "X-Actor-Unit": "BPVP-PADANG"}


def app_for(context: Context, queries: EnrollmentQueries) -> FastAPI:
    app = create_app()
    app.state.context = context
    app.state.queries = queries
    return app


@asynccontextmanager
async def memory_api(harness: f.Harness | None = None) -> AsyncIterator[Api]:
    h = harness or f.Harness()
    async with Api.over(app_for(h.ctx, h.queries)) as api:
        yield api


def _headers(actor: dict[str, str], key: str | None) -> dict[str, str]:
    return actor | ({"Idempotency-Key": key} if key else {})


class Api:
    """One method per endpoint; bodies built from the test factories."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    @classmethod
    @asynccontextmanager
    async def over(cls, app: FastAPI) -> AsyncIterator[Api]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://enrollment"
        ) as c:
            yield cls(c)

    async def sign(
        self, lapas: UnitRef, blk: UnitRef, key: str | None = None, **overrides: Any
    ) -> httpx.Response:
        body = f.sign_agreement(lapas, blk, **overrides).model_dump(mode="json")
        return await self.client.post(
            "/agreements", json=body, headers=_headers(BLK_ACTOR, key)
        )

    async def open(
        self, blk: UnitRef, key: str | None = None, **overrides: Any
    ) -> httpx.Response:
        body = f.open_package(blk, **overrides).model_dump(mode="json")
        return await self.client.post(
            "/packages", json=body, headers=_headers(BLK_ACTOR, key)
        )

    async def enrol(
        self,
        package_id: uuid.UUID | str,
        lapas_code: str,
        key: str | None = None,
        **overrides: Any,
    ) -> httpx.Response:
        body = f.enrol(uuid.UUID(str(package_id)), lapas_code, **overrides).model_dump(
            mode="json", exclude={"package_id"}
        )
        return await self.client.post(
            f"/packages/{package_id}/enrollments",
            json=body,
            headers=_headers(LAPAS_ACTOR, key),
        )

    async def withdraw(
        self,
        package_id: object,
        enrollment_id: object,
        reason: str,
        key: str | None = None,
    ) -> httpx.Response:
        return await self.client.post(
            f"/packages/{package_id}/enrollments/{enrollment_id}/withdrawal",
            json={"reason": reason},
            headers=_headers(LAPAS_ACTOR, key),
        )

    async def cancel(self, package_id: object, reason: str) -> httpx.Response:
        return await self.client.post(
            f"/packages/{package_id}/cancellation",
            json={"reason": reason},
            headers=BLK_ACTOR,
        )

    async def close(self, package_id: object) -> httpx.Response:
        return await self.client.post(
            f"/packages/{package_id}/closure", headers=BLK_ACTOR
        )

    async def terminate(self, agreement_id: object, reason: str) -> httpx.Response:
        return await self.client.post(
            f"/agreements/{agreement_id}/termination",
            json={"reason": reason},
            headers=BLK_ACTOR,
        )

    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def scene(self, **package: Any) -> f.Scene:
        lapas, blk = f.lapas(), f.blk()
        signed = await self.sign(lapas, blk)
        opened = await self.open(blk, **package)
        assert signed.status_code == opened.status_code == 201, (
            signed.text,
            opened.text,
        )
        return f.Scene(
            lapas,
            blk,
            uuid.UUID(signed.json()["agreement_id"]),
            uuid.UUID(opened.json()["package_id"]),
        )

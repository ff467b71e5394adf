"""A thin client for the enrollment HTTP API, used by unit (memory) and integration (PG) tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from enrollment.adapters.http.app import create_app
from enrollment.application.context import Context
from enrollment.application.queries import EnrollmentQueries
from lintas_shared.contracts.units import UnitRef
from lintas_shared.identity import Principal, Role, TokenVerifier, UnitKind
from lintas_shared.identity.fastapi import install_identity
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.identity import (
    NamedPrincipalVerifier,
    bearer,
    blk_operator,
    lapas_operator,
    principal,
    token_for,
)

# The pilot's units: requests that name no unit of their own act for these.
LAPAS_ACTOR = lapas_operator("LAPAS-IIA-PADANG")
BLK_ACTOR = blk_operator("BPVP-PADANG")
NATIONAL_ANALYST = principal(
    "KEMNAKER-PUSAT", UnitKind.CENTRE, role=Role.ANALYST, province=None
)
NATIONAL_READER = bearer(NATIONAL_ANALYST)


def app_for(
    context: Context,
    queries: EnrollmentQueries,
    verifier: TokenVerifier | None = None,
) -> FastAPI:
    """The API over `context`; tokens checked by `verifier` (default: the fake one)."""
    app = create_app()
    install_identity(app, verifier or NamedPrincipalVerifier())
    app.state.context = context
    app.state.queries = queries
    app.state.audit = context.audit
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

    def __init__(
        self, client: httpx.AsyncClient, sign: Callable[[Principal], str] = token_for
    ) -> None:
        self.client = client
        self._sign = sign  # a principal's bearer token (fake, or a real issuer's)
        # Who acts for what this client created: each command is sent by the unit
        # that may send it (the parties, the package's BLK, the officer's Lapas).
        self.agreements: dict[str, tuple[str, str]] = {}
        self.packages: dict[str, str] = {}
        self.enrollments: dict[str, str] = {}

    def _package_blk(self, package_id: object) -> dict[str, str]:
        return self.blk(self.packages.get(str(package_id), "BPVP-PADANG"))

    @classmethod
    @asynccontextmanager
    async def over(
        cls, app: FastAPI, sign: Callable[[Principal], str] = token_for
    ) -> AsyncIterator[Api]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://enrollment"
        ) as c:
            yield cls(c, sign)

    def lapas(self, code: str) -> dict[str, str]:
        """The bearer header of the operator of Lapas `code`."""
        return {
            "Authorization": f"Bearer {self._sign(principal(code, UnitKind.LAPAS))}"
        }

    def blk(self, code: str) -> dict[str, str]:
        """The bearer header of the operator of BLK `code`."""
        return {"Authorization": f"Bearer {self._sign(principal(code, UnitKind.BLK))}"}

    def national_reader(self) -> dict[str, str]:
        """A centre analyst: every aggregate and every officer-level row."""
        return {"Authorization": f"Bearer {self._sign(NATIONAL_ANALYST)}"}

    async def sign(
        self, lapas: UnitRef, blk: UnitRef, key: str | None = None, **overrides: Any
    ) -> httpx.Response:
        body = f.sign_agreement(lapas, blk, **overrides).model_dump(mode="json")
        response = await self.client.post(
            "/agreements", json=body, headers=_headers(self.blk(blk.code), key)
        )
        if response.status_code == 201:
            self.agreements[response.json()["agreement_id"]] = (lapas.code, blk.code)
        return response

    async def agree(
        self, lapas: UnitRef, blk: UnitRef, **overrides: Any
    ) -> httpx.Response:
        """An agreement in force: the BLK signs, the Lapas countersigns."""
        signed = await self.sign(lapas, blk, **overrides)
        assert signed.status_code == 201, signed.text
        countersigned = await self.countersign(signed.json()["agreement_id"])
        assert countersigned.status_code == 200, countersigned.text
        return signed

    async def countersign(
        self, agreement_id: object, key: str | None = None
    ) -> httpx.Response:
        """The Lapas party signs an agreement the BLK signed (``sign``)."""
        lapas_code = self.agreements.get(str(agreement_id), ("LAPAS-IIA-PADANG", ""))[0]
        return await self.client.post(
            f"/agreements/{agreement_id}/signature",
            headers=_headers(self.lapas(lapas_code), key),
        )

    async def open(
        self, blk: UnitRef, key: str | None = None, **overrides: Any
    ) -> httpx.Response:
        body = f.open_package(blk, **overrides).model_dump(mode="json")
        response = await self.client.post(
            "/packages", json=body, headers=_headers(self.blk(blk.code), key)
        )
        if response.status_code == 201:
            self.packages[response.json()["package_id"]] = blk.code
        return response

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
        response = await self.client.post(
            f"/packages/{package_id}/enrollments",
            json=body,
            headers=_headers(self.lapas(lapas_code), key),
        )
        if response.status_code == 201:
            self.enrollments[response.json()["enrollment_id"]] = lapas_code
        return response

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
            headers=_headers(
                self.lapas(
                    self.enrollments.get(str(enrollment_id), "LAPAS-IIA-PADANG")
                ),
                key,
            ),
        )

    async def cancel(self, package_id: object, reason: str) -> httpx.Response:
        return await self.client.post(
            f"/packages/{package_id}/cancellation",
            json={"reason": reason},
            headers=self._package_blk(package_id),
        )

    async def close(self, package_id: object) -> httpx.Response:
        return await self.client.post(
            f"/packages/{package_id}/closure", headers=self._package_blk(package_id)
        )

    async def terminate(self, agreement_id: object, reason: str) -> httpx.Response:
        return await self.client.post(
            f"/agreements/{agreement_id}/termination",
            json={"reason": reason},
            headers=self.blk(
                self.agreements.get(str(agreement_id), ("", "BPVP-PADANG"))[1]
            ),
        )

    async def get(self, path: str, **params: str) -> Any:
        # A centre analyst: every aggregate and every officer-level row, nationally.
        response = await self.client.get(
            path, params=params, headers=self.national_reader()
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def scene(self, **package: Any) -> f.Scene:
        lapas, blk = f.lapas(), f.blk()
        signed = await self.agree(lapas, blk)
        opened = await self.open(blk, **package)
        assert opened.status_code == 201, opened.text
        return f.Scene(
            lapas,
            blk,
            uuid.UUID(signed.json()["agreement_id"]),
            uuid.UUID(opened.json()["package_id"]),
        )

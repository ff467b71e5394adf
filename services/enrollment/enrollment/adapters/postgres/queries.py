"""Operator queries on the enrollment service's query tables."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from enrollment.application.queries import (
    AgreementView,
    EnrollmentView,
    PackageView,
    RosterView,
)
from lintas_shared.eventstore.postgres import session_connection

_PACKAGE = "SELECT *, seats - seats_taken AS seats_left FROM package_view"


class PostgresQueries:
    """Reads the tables kept by ``projection.project``; also the agreement directory."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def agreement(self, agreement_id: UUID) -> AgreementView | None:
        row = await self._pool.fetchrow(
            "SELECT * FROM agreement_view WHERE agreement_id = $1", agreement_id
        )
        return AgreementView.model_validate(dict(row)) if row else None

    async def agreements(
        self, lapas_code: str | None = None, blk_code: str | None = None
    ) -> list[AgreementView]:
        rows = await self._pool.fetch(
            """SELECT * FROM agreement_view
               WHERE ($1::text IS NULL OR lapas_code = $1)
                 AND ($2::text IS NULL OR blk_code = $2)
               ORDER BY valid_from, number, agreement_id::text""",
            lapas_code,
            blk_code,
        )
        return [AgreementView.model_validate(dict(row)) for row in rows]

    async def agreements_for_package(
        self, lapas_code: str, package_id: UUID
    ) -> list[UUID]:
        # Asked while a command runs: on the command's connection (see the event store).
        async with session_connection(self._pool) as conn:
            rows = await conn.fetch(
                """SELECT a.agreement_id FROM agreement_view a
                   JOIN package_view p ON p.blk_code = a.blk_code
                   WHERE a.lapas_code = $1 AND p.package_id = $2
                   ORDER BY a.valid_from, a.number, a.agreement_id::text""",
                lapas_code,
                package_id,
            )
        return [row["agreement_id"] for row in rows]

    async def package(self, package_id: UUID) -> PackageView | None:
        row = await self._pool.fetchrow(f"{_PACKAGE} WHERE package_id = $1", package_id)
        return PackageView.model_validate(dict(row)) if row else None

    async def packages(self, blk_code: str | None = None) -> list[PackageView]:
        rows = await self._pool.fetch(
            f"""{_PACKAGE} WHERE ($1::text IS NULL OR blk_code = $1)
                ORDER BY start_date, code, package_id::text""",
            blk_code,
        )
        return [PackageView.model_validate(dict(row)) for row in rows]

    async def roster(self, package_id: UUID) -> RosterView | None:
        # One snapshot for the package and its rows, so seats_left matches the list.
        async with (
            self._pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            row = await conn.fetchrow(f"{_PACKAGE} WHERE package_id = $1", package_id)
            if row is None:
                return None
            rows = await conn.fetch(
                """SELECT * FROM enrollment_view
                   WHERE package_id = $1 AND status = 'ENROLLED'
                   ORDER BY enrolled_at, nip""",
                package_id,
            )
        return RosterView(
            package=PackageView.model_validate(dict(row)),
            enrollments=[_enrollment(r) for r in rows],
        )

    async def officer_enrollments(self, nip: str) -> list[EnrollmentView]:
        rows = await self._pool.fetch(
            "SELECT * FROM enrollment_view WHERE nip = $1 ORDER BY start_date, enrolled_at",
            nip,
        )
        return [_enrollment(r) for r in rows]


def _enrollment(row: asyncpg.Record) -> EnrollmentView:
    data: dict[str, Any] = dict(row)
    return EnrollmentView.model_validate(data)

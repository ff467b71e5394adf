"""Read-model queries: filters, roll-ups and pages over the current generation's views."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from reporting.adapters.postgres import generations
from reporting.domain.access import RowScope
from reporting.domain.models import ReadModel


class BadQuery(ValueError):
    """A filter or grouping the model does not offer; ``field`` names the parameter."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class OutdatedGeneration(RuntimeError):
    """The current generation was built by an older layout: a rebuild is needed."""


class Unscoped(RuntimeError):
    """An officer-level model was queried without a reader scope (a bug, never data)."""


@dataclass(frozen=True)
class ModelQuery:
    filters: dict[str, Any] = field(default_factory=dict)
    period_from: date | None = None
    period_to: date | None = None
    group_by: tuple[str, ...] | None = None
    page: int = 1
    page_size: int | None = 50  # None: every row (CSV export)
    scope: RowScope | None = None  # required for officer-level models


@dataclass(frozen=True)
class Page:
    generation: str
    data_as_of: datetime | None
    total: int
    columns: list[str]
    rows: list[dict[str, Any]]


def plain(value: Any) -> Any:
    """JSON- and CSV-friendly scalars."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def build_sql(
    schema: str, model: ReadModel, q: ModelQuery
) -> tuple[str, list[Any], list[str]]:
    """The SELECT for a model query, its arguments, and the output columns."""
    where: list[str] = []
    args: list[Any] = []
    for param in q.filters:
        if param not in model.accepts:
            raise BadQuery(param, f"{model.name} cannot be filtered by {param}")
    source = f"{generations.checked(schema)}.{model.source or model.view}"
    if model.function is not None:
        # Slices go into the function, NULL meaning "all" (see views.sql).
        slots = []
        for param, sql_type in model.arguments.items():
            args.append(q.filters.get(param))
            slots.append(f"${len(args)}::{sql_type}")
        source = f"{generations.checked(schema)}.{model.function}({', '.join(slots)})"
    for param, value in q.filters.items():
        column = model.filters.get(param)
        if column is None:
            continue  # a function argument, bound above
        args.append(value)
        where.append(f"{column} = ${len(args)}")
    where += _scoped(model, q.scope, args)
    for bound, op, param in ((q.period_from, ">=", "from"), (q.period_to, "<=", "to")):
        if bound is None:
            continue
        if model.period is None:
            raise BadQuery(param, f"{model.name} has no period to filter")
        args.append(bound)
        where.append(f"({model.period})::date {op} ${len(args)}")
    where_sql = f" WHERE {' AND '.join(where)}" if where else ""
    if model.can_roll_up:
        dims = list(q.group_by or model.dimensions)
        wrong = [d for d in dims if d not in model.dimensions]
        if wrong or not dims:
            raise BadQuery(
                "group_by", f"group_by takes some of: {', '.join(model.dimensions)}"
            )
        ratios = [
            f"round(sum({num})::numeric / NULLIF(sum({den}), 0), 4) AS {name}"
            for name, (num, den) in model.ratios.items()
        ]
        select = [*dims, *(f"sum({m})::bigint AS {m}" for m in model.measures), *ratios]
        order = [c for c in model.order_by if c in dims] or dims
        sql = (
            f"SELECT {', '.join(select)} FROM {source}{where_sql} "
            f"GROUP BY {', '.join(dims)} ORDER BY {', '.join(order)}"
        )
        columns = [*dims, *model.measures, *model.ratios]
    else:
        if q.group_by:
            raise BadQuery("group_by", f"{model.name} cannot be rolled up")
        order_sql = f" ORDER BY {', '.join(model.order_by)}" if model.order_by else ""
        sql = f"SELECT {', '.join(model.columns)} FROM {source}{where_sql}{order_sql}"
        columns = list(model.columns)
    return sql, args, columns


def _scoped(model: ReadModel, scope: RowScope | None, args: list[Any]) -> list[str]:
    """The WHERE terms limiting an officer-level model to the reader's scope."""
    if not model.officer_level:
        return []
    if scope is None:
        raise Unscoped(f"{model.name} holds officer-level rows: a scope is required")
    if scope.kind is None:
        return []  # national
    args.append(scope.value)
    return [f"{model.scope[scope.kind]} = ${len(args)}"]


async def fetch_model(
    conn: asyncpg.Connection, model: ReadModel, q: ModelQuery
) -> Page:
    """One consistent snapshot: generation, data-as-of, total and the requested page."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        schema = await generations.current(conn)
        await conn.execute("SET LOCAL TIME ZONE 'Asia/Jakarta'")
        sql, args, columns = build_sql(schema, model, q)
        as_of = await data_as_of(conn, schema)
        total = await _count(conn, schema, sql, args)
        if q.page_size is not None:
            args = [*args, q.page_size, (q.page - 1) * q.page_size]
            sql += f" LIMIT ${len(args) - 1} OFFSET ${len(args)}"
        rows = await conn.fetch(sql, *args)
    return Page(
        schema,
        as_of,
        int(total),
        columns,
        [{c: plain(row[c]) for c in columns} for row in rows],
    )


async def _count(
    conn: asyncpg.Connection, schema: str, sql: str, args: list[Any]
) -> int:
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM ({sql}) q", *args))
    except (asyncpg.UndefinedFunctionError, asyncpg.UndefinedTableError) as exc:
        raise OutdatedGeneration(
            f"read-model generation {schema} predates this version of the service; "
            "run `python -m reporting rebuild --all`"
        ) from exc


@dataclass
class Export:
    """An open snapshot streaming a model's rows: call ``close`` once done (idempotent)."""

    generation: str
    data_as_of: datetime | None
    total: int
    columns: list[str]
    rows: AsyncIterator[asyncpg.Record]
    close: Callable[[], Awaitable[None]]


async def open_export(
    pool: asyncpg.Pool, model: ReadModel, q: ModelQuery, cap: int
) -> Export:
    """Every matching row up to ``cap``, read through a cursor in one snapshot.

    The connection stays checked out until ``close``; the count taken first says whether
    the cap cut the export short, before any row is sent.
    """
    conn = await pool.acquire()
    tx = conn.transaction(isolation="repeatable_read", readonly=True)
    closed = False

    async def close() -> None:
        nonlocal closed
        if closed:
            return
        closed = True
        try:
            await tx.rollback()  # read only: nothing to keep
        finally:
            await pool.release(conn)

    try:
        await tx.start()
        schema = await generations.current(conn)
        await conn.execute("SET LOCAL TIME ZONE 'Asia/Jakarta'")
        sql, args, columns = build_sql(schema, model, q)
        as_of = await data_as_of(conn, schema)
        total = await _count(conn, schema, sql, args)
    except BaseException:
        await close()
        raise
    capped = f"{sql} LIMIT ${len(args) + 1}"

    async def rows() -> AsyncIterator[asyncpg.Record]:
        async for row in conn.cursor(capped, *args, cap, prefetch=1000):
            yield row

    return Export(schema, as_of, total, columns, rows(), close)


async def data_as_of(conn: asyncpg.Connection, schema: str) -> datetime | None:
    """Time of the latest event applied to this generation."""
    value: datetime | None = await conn.fetchval(
        f"SELECT max(last_event_time) FROM {generations.checked(schema)}.watermark"
    )
    return value


async def fetch_officer(
    conn: asyncpg.Connection,
    nip: str,
    scope: RowScope,
    progress: ReadModel,
    registry: ReadModel,
) -> dict[str, Any]:
    """One officer's path within ``scope``: enrollments, assessments, certificates.

    ``progress`` and ``registry`` are the officer_progress and instructors models,
    whose scope columns apply. An assessment is shown only with a visible enrollment
    (it names no unit of its own), unless the scope is national.
    """
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        schema = await generations.current(conn)
        await conn.execute("SET LOCAL TIME ZONE 'Asia/Jakarta'")
        args: list[Any] = [nip]
        terms = _scoped(progress, scope, args)
        in_scope = "".join(f" AND {t}" for t in terms)
        enrollment_cols = ", ".join(progress.columns)
        enrollments = await conn.fetch(
            f"SELECT {enrollment_cols} FROM {schema}.{progress.source or progress.view}"
            f" WHERE nip = $1{in_scope} ORDER BY enrolled_at, enrollment_id",
            *args,
        )
        assessments_in_scope = (
            ""
            if scope.kind is None
            else f" AND enrollment_id IN (SELECT enrollment_id FROM "
            f"{schema}.{progress.source or progress.view} WHERE nip = $1{in_scope})"
        )
        assessments = await conn.fetch(
            f"""SELECT assessment_id, enrollment_id, kejuruan, kind, result, lsp,
                       assessed_on
                FROM {schema}.assessment_f WHERE nip = $1{assessments_in_scope}
                ORDER BY assessed_on, assessment_id""",
            *args,
        )
        cert_args: list[Any] = [nip]
        cert_terms = "".join(f" AND {t}" for t in _scoped(registry, scope, cert_args))
        certificates = await conn.fetch(
            f"SELECT * FROM {schema}.certificates WHERE nip = $1{cert_terms} "
            "ORDER BY issued_on, certificate_number",
            *cert_args,
        )
        as_of = await data_as_of(conn, schema)
    return {
        "nip": nip,
        "generation": schema,
        "data_as_of": plain(as_of),
        "enrollments": [{k: plain(v) for k, v in r.items()} for r in enrollments],
        "assessments": [{k: plain(v) for k, v in r.items()} for r in assessments],
        "certificates": [{k: plain(v) for k, v in r.items()} for r in certificates],
    }


async def list_generations(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT name, layout, state, facts, created_at, switched_at, replayed, to_replay
           FROM rm_control.generations ORDER BY created_at"""
    )
    return [{k: plain(v) for k, v in r.items()} for r in rows]

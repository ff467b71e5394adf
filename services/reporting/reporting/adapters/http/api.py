"""JSON and CSV query API over the read models; every answer says which data it is as of."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, Literal

import asyncpg
from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from lintas_shared.contracts.base import Kejuruan
from lintas_shared.http.problems import Problem
from reporting.adapters.postgres.generations import NoCurrentGeneration
from reporting.adapters.postgres.queries import (
    BadQuery,
    ModelQuery,
    Page,
    fetch_model,
    fetch_officer,
    list_generations,
    plain,
)
from reporting.domain.models import MODELS, ReadModel

PoolGetter = Callable[[], asyncpg.Pool]


class ModelPage(BaseModel):
    """One page of a read model."""

    model: str = Field(description="Read model name.")
    generation: str = Field(description="Read-model generation that answered.")
    data_as_of: str | None = Field(
        description="Event time of the latest event applied (RFC 3339), null if none."
    )
    total: int = Field(description="Rows matching the filters, over all pages.")
    page: int = Field(description="Page number, from 1.")
    page_size: int = Field(description="Rows per page.")
    columns: list[str] = Field(description="Column names, in order.")
    items: list[dict[str, Any]] = Field(description="Rows of this page.")


class Filters(BaseModel):
    """Query parameters every model endpoint accepts (each model uses some of them)."""

    province: str | None = None
    lapas: str | None = None
    blk: str | None = None
    kejuruan: Kejuruan | None = None
    year: int | None = None
    status: str | None = None
    track: str | None = None
    nip: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    group_by: str | None = None


def filters(
    province: Annotated[str | None, Query(description="Province (Kanwil).")] = None,
    lapas: Annotated[str | None, Query(description="Lapas code.")] = None,
    blk: Annotated[str | None, Query(description="BLK code.")] = None,
    kejuruan: Annotated[Kejuruan | None, Query(description="Trade.")] = None,
    year: Annotated[int | None, Query(description="Programme year.")] = None,
    status: Annotated[str | None, Query(description="Status (per model).")] = None,
    track: Annotated[str | None, Query(description="INSTRUCTOR or RESKILLING.")] = None,
    nip: Annotated[str | None, Query(description="Officer's NIP.")] = None,
    period_from: Annotated[
        date | None, Query(alias="from", description="Period start (inclusive).")
    ] = None,
    period_to: Annotated[
        date | None, Query(alias="to", description="Period end (inclusive).")
    ] = None,
    group_by: Annotated[
        str | None,
        Query(
            description="Comma-separated dimensions to roll up to (lapas, provinces, blk)."
        ),
    ] = None,
) -> Filters:
    return Filters(
        province=province,
        lapas=lapas,
        blk=blk,
        kejuruan=kejuruan,
        year=year,
        status=status,
        track=track,
        nip=nip,
        period_from=period_from,
        period_to=period_to,
        group_by=group_by,
    )


def to_query(f: Filters, page: int, page_size: int | None) -> ModelQuery:
    chosen = {
        k: (v.value if isinstance(v, Kejuruan) else v)
        for k, v in f.model_dump(
            exclude={"period_from", "period_to", "group_by"}
        ).items()
        if v is not None
    }
    group_by = tuple(g.strip() for g in f.group_by.split(",")) if f.group_by else None
    return ModelQuery(chosen, f.period_from, f.period_to, group_by, page, page_size)


def csv_response(model: ReadModel, page: Page) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(page.columns)
    for row in page.rows:
        writer.writerow(["" if row[c] is None else row[c] for c in page.columns])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{model.name}.csv"',
            "X-Data-As-Of": plain(page.data_as_of) or "",
            "X-Generation": page.generation,
        },
    )


async def _page(pool: asyncpg.Pool, model: ReadModel, query: ModelQuery) -> Page:
    try:
        async with pool.acquire() as conn:
            return await fetch_model(conn, model, query)
    except BadQuery as exc:
        raise Problem(
            400,
            "unsupported-query",
            str(exc),
            errors=[{"field": exc.field, "message": str(exc)}],
        ) from exc
    except NoCurrentGeneration as exc:
        raise Problem(503, "read-models-not-ready", str(exc), retryable=True) from exc


def _model_endpoints(
    router: APIRouter, model: ReadModel, pool: PoolGetter
) -> tuple[Callable[..., Awaitable[Any]], Callable[..., Awaitable[Response]]]:
    async def read(
        response: Response,
        f: Annotated[Filters, Depends(filters)],
        page: Annotated[int, Query(ge=1, description="Page number.")] = 1,
        page_size: Annotated[
            int, Query(ge=1, le=1000, description="Rows per page.")
        ] = 50,
        format: Annotated[
            Literal["json", "csv"], Query(description="json or csv.")
        ] = "json",
    ) -> Any:
        if format == "csv":
            return csv_response(model, await _page(pool(), model, to_query(f, 1, None)))
        result = await _page(pool(), model, to_query(f, page, page_size))
        response.headers["X-Data-As-Of"] = plain(result.data_as_of) or ""
        return ModelPage(
            model=model.name,
            generation=result.generation,
            data_as_of=plain(result.data_as_of),
            total=result.total,
            page=page,
            page_size=page_size,
            columns=result.columns,
            items=result.rows,
        )

    async def export(f: Annotated[Filters, Depends(filters)]) -> Response:
        return csv_response(model, await _page(pool(), model, to_query(f, 1, None)))

    filters_doc = ", ".join(model.filters) or "none"
    doc = (
        f"{model.description}\n\nFilters: {filters_doc}"
        + (f"; period (from/to) on {model.period}" if model.period else "")
        + (
            f"; group_by over {', '.join(model.dimensions)}"
            if model.can_roll_up
            else ""
        )
        + ". `format=csv` returns every matching row as CSV."
    )
    router.add_api_route(
        f"/api/v1/{model.name}",
        read,
        methods=["GET"],
        summary=model.title,
        description=doc,
        response_model=ModelPage,
        tags=["read models"],
        name=f"read_{model.name}",
    )
    router.add_api_route(
        f"/export/{model.name}.csv",
        export,
        methods=["GET"],
        summary=f"{model.title} as CSV",
        description=f"Every row of {model.name} matching the filters, as CSV.",
        tags=["export"],
        name=f"export_{model.name}",
        response_class=Response,
    )
    return read, export


def query_router(pool: PoolGetter) -> APIRouter:
    """Routes for every read model, the officer path, and generations."""
    router = APIRouter()
    for model in MODELS.values():
        _model_endpoints(router, model, pool)

    @router.get("/api/v1/models", tags=["read models"], summary="Read-model catalogue")
    async def catalogue() -> list[dict[str, Any]]:
        return [
            {
                "name": m.name,
                "title": m.title,
                "description": m.description,
                "columns": list(m.columns),
                "filters": list(m.filters),
                "period": m.period,
                "dimensions": list(m.dimensions),
            }
            for m in MODELS.values()
        ]

    @router.get(
        "/api/v1/officers/{nip}",
        tags=["read models"],
        summary="One officer's progress",
        description="Enrollments, assessments (K/BK) and certificates of one officer.",
    )
    async def officer(nip: str) -> dict[str, Any]:
        if not (len(nip) == 18 and nip.isdigit()):
            raise Problem(
                422,
                "invalid-nip",
                "a NIP has 18 digits",
                errors=[{"field": "nip", "message": "18 digits"}],
            )
        async with pool().acquire() as conn:
            try:
                return await fetch_officer(conn, nip)
            except NoCurrentGeneration as exc:
                raise Problem(
                    503, "read-models-not-ready", str(exc), retryable=True
                ) from exc

    @router.get(
        "/api/v1/generations",
        tags=["operations"],
        summary="Read-model generations",
        description="Current, retired and building generations with rebuild progress.",
    )
    async def gens() -> list[dict[str, Any]]:
        async with pool().acquire() as conn:
            return await list_generations(conn)

    return router

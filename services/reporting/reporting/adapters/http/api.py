"""JSON and CSV query API over the read models; every answer says which data it is as of."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

import asyncpg
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.convertors import Convertor, register_url_convertor

from lintas_shared.http.problems import PROBLEM_JSON, Problem, problem_response
from lintas_shared.identity import Principal
from lintas_shared.identity.fastapi import Authenticated
from reporting.adapters.http.access import AuditGetter, ReadAccess, aggregate_reader
from reporting.adapters.http.csv_export import CSV_HEADERS, csv_response
from reporting.adapters.http.params import (
    NIP,
    parameters,
    query_names,
    refuse_unknown,
    with_signature,
)
from reporting.adapters.postgres.generations import NoCurrentGeneration
from reporting.adapters.postgres.queries import (
    BadQuery,
    Export,
    ModelQuery,
    OutdatedGeneration,
    Page,
    fetch_model,
    fetch_officer,
    list_generations,
    open_export,
    plain,
)
from reporting.domain.access import RowScope
from reporting.domain.models import MODELS, ReadModel

PoolGetter = Callable[[], asyncpg.Pool]


class _NipSegment(Convertor[str]):
    """An 18-digit path segment: only a NIP-shaped URL reaches the old officer route,
    so /api/v1/officers/lookup is not caught by it (GET there is a 405)."""

    regex = "[0-9]{18}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("nip_segment", _NipSegment())


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


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {}}}


NOT_READY = _problem(
    "read-models-not-ready: no generation yet (retry after Retry-After), or "
    "read-models-outdated: the current one needs `python -m reporting rebuild --all`."
)
INVALID = _problem("invalid-request: a parameter breaks its schema; `errors` names it.")
UNSUPPORTED = _problem(
    "unsupported-query: a query parameter this model does not offer; `errors` names it."
)
UNAUTHENTICATED = _problem(
    "Not signed in (missing-credentials) or the bearer token was refused "
    "(invalid-token; `errors[0].rule` names the reason)."
)
FORBIDDEN = _problem(
    "The reader has no scope for officer-level rows; the type and `errors[0].rule` "
    "name the rule (e.g. officer-rows-need-a-reader-scope)."
)
SIGNED_IN: dict[int | str, dict[str, Any]] = {401: UNAUTHENTICATED}
CSV_OK = {
    "description": "Every matching row up to the row cap, as CSV (UTF-8 with BOM).",
    "content": {"text/csv": {"schema": {"type": "string"}}},
    "headers": CSV_HEADERS,
}


def to_query(
    values: dict[str, Any],
    page: int,
    page_size: int | None,
    scope: RowScope | None = None,
) -> ModelQuery:
    chosen = {
        k: (v.value if isinstance(v, Enum) else v)
        for k, v in values.items()
        if v is not None and k not in {"period_from", "period_to", "group_by"}
    }
    group = values.get("group_by")
    group_by = tuple(g.strip() for g in group.split(",")) if group else None
    return ModelQuery(
        chosen,
        values.get("period_from"),
        values.get("period_to"),
        group_by,
        page,
        page_size,
        scope,
    )


def _refusal(exc: Exception) -> Problem:
    if isinstance(exc, BadQuery):
        return Problem(
            400,
            "unsupported-query",
            str(exc),
            errors=[{"field": f"query.{exc.field}", "message": str(exc)}],
        )
    if isinstance(exc, OutdatedGeneration):
        return Problem(503, "read-models-outdated", str(exc))
    return Problem(503, "read-models-not-ready", str(exc), retryable=True)


async def _page(pool: asyncpg.Pool, model: ReadModel, query: ModelQuery) -> Page:
    try:
        async with pool.acquire() as conn:
            return await fetch_model(conn, model, query)
    except (BadQuery, NoCurrentGeneration, OutdatedGeneration) as exc:
        raise _refusal(exc) from exc


async def _export(
    pool: asyncpg.Pool, model: ReadModel, query: ModelQuery, cap: int
) -> Export:
    try:
        return await open_export(pool, model, query, cap)
    except (BadQuery, NoCurrentGeneration, OutdatedGeneration) as exc:
        raise _refusal(exc) from exc


def _doc(model: ReadModel) -> str:
    accepts = ", ".join(model.accepts) or "none"
    return (
        f"{model.description}\n\nFilters: {accepts}"
        + (f"; period (from/to) on {model.period}" if model.period else "")
        + (
            f"; group_by over {', '.join(model.dimensions)}"
            if model.can_roll_up
            else ""
        )
        + ". Any other query parameter is refused (400 unsupported-query). "
        "`format=csv` returns every matching row as CSV, up to the row cap."
    )


def _given(values: dict[str, Any]) -> list[str]:
    """The names of the filters a request gave (for the audit trail: no values)."""
    return [k.removeprefix("period_") for k, v in values.items() if v is not None]


def _model_endpoints(
    router: APIRouter,
    model: ReadModel,
    pool: PoolGetter,
    cap: int,
    access: ReadAccess,
) -> None:
    paged = parameters(model, paged=True)
    known_paged = query_names(paged)
    plain_params = parameters(model, paged=False)
    known = query_names(plain_params)

    async def read(request: Request, principal: Principal, **values: Any) -> Any:
        refuse_unknown(request, model, known_paged)
        page, size = values.pop("page"), values.pop("page_size")
        form = values.pop("format")
        scope = await access.model_scope(
            principal, model, form=form, filters=_given(values)
        )
        if form == "csv":
            query = to_query(values, 1, None, scope)
            return csv_response(
                model.name, await _export(pool(), model, query, cap), cap
            )
        result = await _page(pool(), model, to_query(values, page, size, scope))
        body = ModelPage(
            model=model.name,
            generation=result.generation,
            data_as_of=plain(result.data_as_of),
            total=result.total,
            page=page,
            page_size=size,
            columns=result.columns,
            items=result.rows,
        )
        return Response(
            body.model_dump_json(),
            media_type="application/json",
            headers={"X-Data-As-Of": plain(result.data_as_of) or ""},
        )

    async def export(request: Request, principal: Principal, **values: Any) -> Response:
        refuse_unknown(request, model, known)
        scope = await access.model_scope(
            principal, model, form="csv", filters=_given(values)
        )
        query = to_query(values, 1, None, scope)
        return csv_response(model.name, await _export(pool(), model, query, cap), cap)

    errors: dict[int | str, dict[str, Any]] = {
        400: UNSUPPORTED,
        **SIGNED_IN,
        **({403: FORBIDDEN} if model.officer_level else {}),
        422: INVALID,
        503: NOT_READY,
    }
    router.add_api_route(
        f"/api/v1/{model.name}",
        with_signature(read, paged),
        methods=["GET"],
        summary=model.title,
        description=_doc(model),
        response_model=ModelPage,
        tags=["read models"],
        name=f"read_{model.name}",
        responses={
            200: {
                "description": "One page as JSON, or with `format=csv` every row "
                "(up to the row cap) as CSV.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
            **errors,
        },
    )
    router.add_api_route(
        f"/export/{model.name}.csv",
        with_signature(export, plain_params),
        methods=["GET"],
        summary=f"{model.title} as CSV",
        description=f"Every row of {model.name} matching the filters, as CSV, up to "
        f"the row cap (X-Row-Cap; X-Truncated says if rows were left out). "
        f"Filters: {', '.join(model.accepts) or 'none'}"
        + (f"; from/to on {model.period}" if model.period else "")
        + ("; group_by" if model.can_roll_up else "")
        + ".",
        tags=["export"],
        name=f"export_{model.name}",
        response_class=Response,
        responses={200: CSV_OK, **errors},
    )


class OfficerLookup(BaseModel):
    """Whose path to show: the NIP travels in the body, never in a URL."""

    model_config = ConfigDict(extra="forbid")

    nip: str = Field(
        min_length=18, max_length=18, pattern=NIP, description="The officer's NIP."
    )


def query_router(pool: PoolGetter, row_cap: int, audit: AuditGetter) -> APIRouter:
    """Routes for every read model, the officer lookup, and generations.

    Officer-level reads are written to the audit trail `audit` gives.
    """
    router = APIRouter()
    access = ReadAccess(audit)
    for model in MODELS.values():
        _model_endpoints(router, model, pool, row_cap, access)

    @router.get(
        "/api/v1/models",
        tags=["read models"],
        summary="Read-model catalogue",
        responses=SIGNED_IN,
    )
    async def catalogue(principal: Authenticated) -> list[dict[str, Any]]:
        aggregate_reader(principal)
        return [
            {
                "name": m.name,
                "title": m.title,
                "description": m.description,
                "columns": list(m.columns),
                "filters": list(m.accepts),
                "period": m.period,
                "dimensions": list(m.dimensions),
                "officer_level": m.officer_level,
            }
            for m in MODELS.values()
        ]

    @router.post(
        "/api/v1/officers/lookup",
        tags=["read models"],
        summary="One officer's progress",
        description="Enrollments, assessments (K/BK) and certificates of one officer, "
        "within the reader's scope (own Lapas, own BLK, own province, national).",
        responses={
            **SIGNED_IN,
            403: FORBIDDEN,
            404: _problem(
                "officer-not-found: nothing is known of this NIP within your scope."
            ),
            422: INVALID,
            503: NOT_READY,
        },
    )
    async def officer(lookup: OfficerLookup, principal: Authenticated) -> Any:
        scope = await access.officer_rows(principal, {"lookup": "officer"})
        async with pool().acquire() as conn:
            try:
                found = await fetch_officer(
                    conn,
                    lookup.nip,
                    scope,
                    MODELS["officer_progress"],
                    MODELS["instructors"],
                )
            except NoCurrentGeneration as exc:
                raise _refusal(exc) from exc
        if not (found["enrollments"] or found["assessments"] or found["certificates"]):
            raise Problem(
                404,
                "officer-not-found",
                "the read models hold no enrollment, assessment or certificate for "
                "this NIP within your scope (yet: events may still be on their way)",
            )
        return found

    @router.get("/api/v1/officers/{nip:nip_segment}", include_in_schema=False)
    async def officer_by_path() -> JSONResponse:
        # A NIP in a URL ends up in access logs and browser history (UU PDP); the
        # answer names the route, not the path asked for, so the NIP is not echoed.
        gone = Problem(
            410,
            "moved-to-lookup",
            "officers are no longer looked up by a NIP in the URL: POST "
            '/api/v1/officers/lookup with {"nip": "..."} and a bearer token',
        )
        return problem_response(gone, "/api/v1/officers/{nip}")

    @router.get(
        "/api/v1/generations",
        tags=["operations"],
        summary="Read-model generations",
        description="Current, retired and building generations with rebuild progress.",
        responses=SIGNED_IN,
    )
    async def gens(principal: Authenticated) -> list[dict[str, Any]]:
        aggregate_reader(principal)
        async with pool().acquire() as conn:
            return await list_generations(conn)

    return router

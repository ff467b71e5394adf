"""The FastAPI application: routers, problem handlers, OpenAPI metadata."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from enrollment.adapters.http import commands, queries
from enrollment.adapters.problems import domain_problem, validation_problem
from enrollment.domain.errors import DomainError
from lintas_shared.http.problems import install_problem_handlers, problem_response

DESCRIPTION = """\
Cooperation agreements (PKS) between Lapas and BLK, training packages, and officer
enrollment. Every POST takes `X-Actor-Agency` and `X-Actor-Unit` headers (kept in the
events) and an optional `Idempotency-Key`; refusals are RFC 9457 problem documents
naming the field or rule that failed.
"""


def create_app(
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """The API; the composition root (or a test) sets ``app.state.context``/``queries``."""
    app = FastAPI(
        title="Lintas enrollment",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_problem_handlers(app)

    @app.exception_handler(DomainError)
    async def _refused(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(domain_problem(exc), request.url.path)

    @app.exception_handler(ValidationError)
    async def _invalid(request: Request, exc: ValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc), request.url.path)

    app.include_router(commands.router)
    app.include_router(queries.router)
    return app

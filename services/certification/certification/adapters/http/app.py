"""The FastAPI application: routers, problem handlers, OpenAPI metadata."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from certification.adapters.http import commands, queries
from certification.adapters.http.problems import refusal_problem
from certification.domain.errors import Refusal
from lintas_shared.http.problems import install_problem_handlers, problem_response

DESCRIPTION = """\
Training completion, competency assessments (K / BK) and instructor certificates, as
recorded by BLK operators. Every POST takes `X-Actor-Agency` and `X-Actor-Unit` headers
(kept in the events) and an optional `Idempotency-Key`; refusals are RFC 9457 problem
documents naming the field or rule. A refusal with `"retryable": true` (and a
`Retry-After` header) is worth retrying: typically the enrollment has not reached this
service yet. `GET /certificates/{number}` is the public certificate check.
"""


def create_app(
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """The API; the composition root (or a test) sets ``app.state.context``/``queries``."""
    app = FastAPI(
        title="Lintas certification",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_problem_handlers(app)

    @app.exception_handler(Refusal)
    async def _refused(request: Request, exc: Refusal) -> JSONResponse:
        return problem_response(refusal_problem(exc), request.url.path)

    app.include_router(commands.router)
    app.include_router(queries.router)
    return app

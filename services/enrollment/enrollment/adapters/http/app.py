"""The FastAPI application: routers, problem handlers, OpenAPI metadata."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from enrollment.adapters.http import commands, queries
from lintas_shared.audit.http import audit_router
from lintas_shared.http.edge import DEFAULT_MAX_BODY_BYTES
from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.http.refusals import install_refusal_handlers

DESCRIPTION = """\
Cooperation agreements (PKS) between Lapas and BLK, training packages, and officer
enrollment. Every request needs `Authorization: Bearer <token>` from a trusted issuer;
the actor kept in the events is the verified principal (agency, unit, opaque subject).
What each principal may do is checked per command and per read (a refusal is a 403
naming the rule; every command and officer-level read is in `GET /audit`). Every POST
takes an optional `Idempotency-Key`; refusals are RFC 9457 problem documents naming
the field or rule that failed.
"""


def create_app(
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The API; the composition root (or a test) sets ``app.state.context``/``queries``."""
    app = FastAPI(
        title="Lintas enrollment",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_problem_handlers(app, max_body_bytes=max_body_bytes)
    install_refusal_handlers(app)

    app.include_router(commands.router)
    app.include_router(queries.router)
    app.include_router(audit_router())
    return app

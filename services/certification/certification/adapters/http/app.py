"""The FastAPI application: routers, problem handlers, OpenAPI metadata."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from certification.adapters.http import commands, queries, verification
from certification.adapters.http.rate_limit import RateLimiter
from lintas_shared.audit.http import audit_router
from lintas_shared.http.edge import DEFAULT_MAX_BODY_BYTES
from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.http.refusals import install_refusal_handlers

DESCRIPTION = """\
Training completion, competency assessments (K / BK) and instructor certificates, as
recorded by BLK operators and LSP assessors. Every request needs `Authorization: Bearer
<token>` from a trusted issuer, except the public check; the actor kept in the events is
the verified principal. Who may do what is checked per command and per read (a 403 names
the rule); commands and officer-level reads are recorded in `GET /audit`. Every POST
takes an optional `Idempotency-Key`; refusals are RFC 9457 problem documents naming the
field or rule. A refusal with `"retryable": true` (and a
`Retry-After` header) is worth retrying: typically the enrollment has not reached this
service yet. `GET /certificates/{code}` is the public certificate check: by the
certificate's verification code (not its number), rate-limited per client address.
"""


def create_app(
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    verification_limiter: RateLimiter | None = None,
) -> FastAPI:
    """The API; the composition root (or a test) sets ``app.state.context``/``queries``.

    ``verification_limiter`` limits the public check per client address (default:
    30 a minute, bursts of 10).
    """
    app = FastAPI(
        title="Lintas certification",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_problem_handlers(app, max_body_bytes=max_body_bytes)
    install_refusal_handlers(app)

    app.include_router(commands.router)
    app.include_router(queries.router)
    app.include_router(verification.router)
    app.include_router(audit_router())
    app.state.verification_limiter = verification_limiter or RateLimiter(30, 10)
    return app

"""RFC 9457 problem responses: every refusal says what was wrong and where.

``install_problem_handlers`` also puts the shared edge in front of the app (control
characters, correlation id, body size and media type, outages as retryable 503s), makes
the OpenAPI document describe those problems, and serves the API docs offline.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from lintas_shared.eventstore.ports import ConcurrencyConflict, IdempotencyKeyReused
from lintas_shared.http.docs import install_docs
from lintas_shared.http.document import PROBLEM_BASE, PROBLEM_JSON, Problem
from lintas_shared.http.edge import DEFAULT_MAX_BODY_BYTES, EdgeMiddleware
from lintas_shared.http.failures import failure_problem
from lintas_shared.http.openapi import install_openapi

__all__ = [
    "PROBLEM_BASE",
    "PROBLEM_JSON",
    "Problem",
    "install_problem_handlers",
    "problem_response",
    "validation_problem",
]

_HTTP_CODES = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
}


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    return JSONResponse(
        problem.to_dict(instance),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers() or None,
    )


def validation_problem(exc: RequestValidationError) -> Problem:
    """A 422 naming each failing field in dotted form, or a 400 for malformed JSON."""
    errors: list[dict[str, Any]] = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            return _malformed_json(err, exc.body)
        loc = [str(p) for p in err["loc"]]
        field = ".".join(loc[1:] if loc[:1] == ["body"] and len(loc) > 1 else loc)
        errors.append({"field": field, "message": err["msg"]})
    where = ", ".join(f"{e['field']} ({e['message']})" for e in errors)
    return Problem(
        422, "invalid-request", f"invalid value(s) at: {where}", errors=errors
    )


def install_problem_handlers(
    app: FastAPI, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> None:
    """Turn validation errors, known kernel errors and HTTP errors into problem documents.

    Also installs the edge middleware (bodies over ``max_body_bytes`` get a 413), the
    OpenAPI post-processor, and the self-hosted ``/docs`` and ``/redoc``.
    """
    app.add_middleware(EdgeMiddleware, max_body_bytes=max_body_bytes)
    install_openapi(app, max_body_bytes)
    install_docs(app)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc), request.url.path)

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(request: Request, exc: ConcurrencyConflict) -> JSONResponse:
        problem = Problem(409, "concurrent-update", str(exc), retryable=True)
        return problem_response(problem, request.url.path)

    @app.exception_handler(IdempotencyKeyReused)
    async def _reused(request: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        problem = Problem(
            422,
            "idempotency-key-reused",
            f"{exc}; send a new Idempotency-Key for a different request",
            errors=[
                {"field": "Idempotency-Key", "message": "reused with another body"}
            ],
        )
        return problem_response(problem, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http-error")
        problem = Problem(exc.status_code, code, str(exc.detail))
        response = problem_response(problem, request.url.path)
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["Allow"] = allowed_methods(request)
        return response

    # Only reached when something outside the edge middleware fails (the edge answers
    # everything inside it): still a problem document, never Starlette's text/plain.
    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        correlation_id = request.headers.get("x-correlation-id")
        return problem_response(failure_problem(exc, correlation_id), request.url.path)


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette names only the first)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route_methods
    return ", ".join(sorted(methods))


def _malformed_json(err: Any, document: Any) -> Problem:
    text = document.decode("utf-8", "replace") if isinstance(document, bytes) else ""
    text = document if isinstance(document, str) else text
    position = err["loc"][-1] if isinstance(err["loc"][-1], int) else 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    reason = (err.get("ctx") or {}).get("error", "invalid JSON")
    where = f"line {line}, column {column}: {reason}"
    return Problem(
        400,
        "malformed-json",
        f"the body is not valid JSON ({where})",
        title="Malformed JSON",
        errors=[{"field": "body", "message": where}],
    )

"""RFC 9457 problem responses: every refusal says what was wrong and where."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lintas_shared.eventstore.ports import ConcurrencyConflict, IdempotencyKeyReused

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://lintas.example.go.id/problems/"


class Problem(Exception):
    """Raise from an endpoint or handler to answer with a problem document.

    ``code`` is a short slug (``seats-exhausted``); it becomes the ``type`` URI. ``errors``
    lists ``{"field" or "rule": ..., "message": ...}`` entries for precise feedback.
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title or code.replace("-", " ").capitalize()
        self.detail = detail
        self.errors = errors or []
        self.retryable = retryable

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        if self.retryable:
            body["retryable"] = True
        return body


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    headers = {"Retry-After": "1"} if problem.retryable else None
    return JSONResponse(
        problem.to_dict(instance),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Turn validation errors, known kernel errors and HTTP errors into problem documents."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in err["loc"] if p != "body"),
                "message": err["msg"],
            }
            for err in exc.errors()
        ]
        where = ", ".join(e["field"] for e in errors)
        problem = Problem(
            422, "invalid-request", f"invalid value(s) at: {where}", errors=errors
        )
        return problem_response(problem, request.url.path)

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
        problem = Problem(exc.status_code, "http-error", str(exc.detail))
        return problem_response(problem, request.url.path)

"""Refusals as RFC 9457 problems, the same for HTTP responses and Kafka replies."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from lintas_shared.domain.refusals import Refusal, RefusalKind
from lintas_shared.eventstore.ports import ConcurrencyConflict, IdempotencyKeyReused
from lintas_shared.http.problems import Problem, problem_response

STATUS = {
    RefusalKind.NOT_FOUND: 404,
    RefusalKind.CONFLICT: 409,
    RefusalKind.INVALID: 422,
}


def refusal_problem(refusal: Refusal) -> Problem:
    """404 for unknown references, 409 for conflicts with the state, 422 for bad data."""
    errors: list[dict[str, Any]] = []
    for v in refusal.violations:
        entry = {"rule": v.rule, "message": v.message}
        if v.field is not None:
            entry["field"] = v.field
        errors.append(entry)
    return Problem(
        STATUS[refusal.kind],
        refusal.rule,
        refusal.message,
        errors=errors,
        retryable=refusal.retryable,
    )


def validation_problem(exc: ValidationError) -> Problem:
    """A command model refused its payload: every field named."""
    errors = [
        {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors()
    ]
    where = ", ".join(e["field"] for e in errors)
    return Problem(
        422, "invalid-request", f"invalid value(s) at: {where}", errors=errors
    )


def command_problem(
    exc: Exception, key_field: str = "Idempotency-Key"
) -> Problem | None:
    """The problem for a refused command, or None if ``exc`` is not a refusal (a bug or
    an outage, which the caller lets propagate or retries)."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, Refusal):
        return refusal_problem(exc)
    if isinstance(exc, ValidationError):
        return validation_problem(exc)
    if isinstance(exc, IdempotencyKeyReused):
        return Problem(
            422,
            "idempotency-key-reused",
            f"{exc}; use a new {key_field} for a different request",
            errors=[{"field": key_field, "message": "reused with another body"}],
        )
    if isinstance(exc, ConcurrencyConflict):
        # Still contended after the runner's retries: the sender may resend.
        return Problem(409, "concurrent-update", str(exc), retryable=True)
    return None


def install_refusal_handlers(app: FastAPI) -> None:
    """Refusals and command-model validation errors raised in routes become problems."""

    @app.exception_handler(Refusal)
    async def _refused(request: Request, exc: Refusal) -> JSONResponse:
        return problem_response(refusal_problem(exc), request.url.path)

    @app.exception_handler(ValidationError)
    async def _invalid(request: Request, exc: ValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc), request.url.path)

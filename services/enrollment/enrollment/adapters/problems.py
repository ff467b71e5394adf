"""Refusals as RFC 9457 problems, the same for HTTP responses and Kafka replies."""

from __future__ import annotations

from pydantic import ValidationError

from enrollment.domain.errors import (
    DomainError,
    InvalidCommand,
    NotFound,
    RuleViolation,
)
from lintas_shared.eventstore.ports import ConcurrencyConflict, IdempotencyKeyReused
from lintas_shared.http.problems import Problem

_STATUS: dict[type[DomainError], int] = {
    InvalidCommand: 422,
    NotFound: 404,
    RuleViolation: 409,
}


def domain_problem(exc: DomainError) -> Problem:
    """422 for bad data, 404 for unknown references, 409 for conflicts with the state."""
    errors = []
    for v in exc.violations:
        entry = {"rule": v.rule, "message": v.message}
        if v.field is not None:
            entry["field"] = v.field
        errors.append(entry)
    status = next(s for cls, s in _STATUS.items() if isinstance(exc, cls))
    return Problem(status, exc.rule, str(exc), errors=errors)


def validation_problem(exc: ValidationError) -> Problem:
    errors = [
        {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"]}
        for err in exc.errors()
    ]
    where = ", ".join(e["field"] for e in errors)
    return Problem(
        422, "invalid-request", f"invalid value(s) at: {where}", errors=errors
    )


def refusal_problem(exc: Exception) -> Problem | None:
    """The problem for a refused command, or None if ``exc`` is not a refusal."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, DomainError):
        return domain_problem(exc)
    if isinstance(exc, ValidationError):
        return validation_problem(exc)
    if isinstance(exc, IdempotencyKeyReused):
        return Problem(
            422,
            "idempotency-key-reused",
            f"{exc}; use a new key for a different request",
            errors=[
                {"field": "Idempotency-Key", "message": "reused with another body"}
            ],
        )
    if isinstance(exc, ConcurrencyConflict):
        return Problem(409, "concurrent-update", str(exc), retryable=True)
    return None

"""What an unhandled exception means to the caller: an outage to retry, or our bug."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
from aiokafka.errors import KafkaError

from lintas_shared.http.document import Problem

# A lost or refused connection: PostgreSQL restarting or overloaded, the pool closing, a
# socket error (OSError covers ConnectionError and, since 3.11, asyncio.TimeoutError from
# an acquire that timed out), the broker unreachable. The transaction did not commit, or
# committed whole; either way a retry is safe.
_DATABASE_OUTAGES: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.TooManyConnectionsError,
    asyncpg.exceptions.TransactionRollbackError,
    OSError,
    TimeoutError,
)
# PostgreSQL refuses NUL in text and in jsonb; that is the caller's input, not our bug.
_UNSTORABLE_TEXT: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.CharacterNotInRepertoireError,
    asyncpg.exceptions.UntranslatableCharacterError,
)
OUTAGE_RETRY_AFTER_SECONDS = 2


def failure_problem(exc: BaseException, correlation_id: str | None) -> Problem:
    """The problem for an exception no handler took; no internal detail in it."""
    for cause in _causes(exc):
        if isinstance(cause, _UNSTORABLE_TEXT):
            return Problem(
                400,
                "control-character",
                "the request holds a character that cannot be stored (such as NUL, "
                "U+0000); remove it",
                title="Control character in request",
            )
        if isinstance(cause, KafkaError):
            return _outage("the message broker")
        if isinstance(cause, _DATABASE_OUTAGES):
            return _outage("the database")
    quote = f" (correlation id {correlation_id})" if correlation_id else ""
    return Problem(
        500,
        "internal-error",
        f"an unexpected error occurred and was logged{quote}; nothing more is shown "
        "here. Quote the correlation id when reporting it",
        title="Internal error",
    )


def is_outage(problem: Problem) -> bool:
    return problem.status == 503


def _outage(which: str) -> Problem:
    return Problem(
        503,
        "service-unavailable",
        f"{which} was unavailable or broke off the request; safe to retry: "
        "nothing was half-written (a transaction either committed whole or not at "
        "all). Retry after the "
        "Retry-After seconds with the same Idempotency-Key: if the first attempt did "
        "commit, the retry returns its answer and writes nothing new",
        title="Temporarily unavailable",
        retryable=True,
        retry_after=OUTAGE_RETRY_AFTER_SECONDS,
    )


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it was raised from, and the members of exception groups."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        if current.__cause__ is not None:
            stack.append(current.__cause__)

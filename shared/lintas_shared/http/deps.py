"""FastAPI dependencies and route wiring the write services share.

``app_state(name)`` reads what the composition root put on ``app.state`` (503 while the
service starts); ``PrincipalDep`` is the verified caller (401 without a good bearer
token) and ``KeyDep`` its Idempotency-Key scoped to the principal's unit; ``CommandRoute``
documents the command headers and the statuses every command can answer; ``replied`` is
the answer to a command. The actor of a command is the principal: ``X-Actor-*`` headers
are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from lintas_shared.commands import Outcome
from lintas_shared.http.actor import KEY_PATTERN, idempotency_key
from lintas_shared.http.problems import PROBLEM_JSON, Problem
from lintas_shared.identity.fastapi import Authenticated


def app_state(name: str) -> Callable[[Request], Any]:
    """A dependency on ``app.state.<name>``; 503 (retryable) until startup set it."""

    async def dependency(request: Request) -> Any:
        value = getattr(request.app.state, name, None)
        if value is None:
            raise Problem(503, "not-ready", "the service is starting", retryable=True)
        return value

    dependency.__name__ = f"app_state_{name}"
    return dependency


async def scoped_key(
    principal: Authenticated,
    key: Annotated[str | None, Depends(idempotency_key)],
) -> str | None:
    """Keys are scoped to the principal's unit, so two agencies' systems cannot collide."""
    if key is None:
        return None
    return f"http:{principal.agency}/{principal.unit}:{key}"


async def correlation_id(
    x_correlation_id: Annotated[
        str | None, Header(description="Correlation id to carry through events.")
    ] = None,
) -> str | None:
    """The caller's correlation id (the correlation middleware adds one if absent)."""
    return x_correlation_id


PrincipalDep = Authenticated
CorrelationDep = Annotated[str | None, Depends(correlation_id)]
KeyDep = Annotated[str | None, Depends(scoped_key)]


Responses = dict[int | str, dict[str, Any]]


def problem(description: str) -> dict[str, Any]:
    """An OpenAPI response answered with a problem document."""
    return {"description": description, "content": {PROBLEM_JSON: {}}}


COMMAND_PROBLEMS: Responses = {
    400: problem("Malformed Idempotency-Key header"),
    401: problem("No bearer token, or one that does not verify (the reason is named)"),
    403: problem("The principal may not do this here (the rule is named)"),
    409: problem("Refused in the current state (the rule is named; retryable if so)"),
    422: problem("Invalid data, a broken rule, or an Idempotency-Key reused"),
}


IDEMPOTENCY_KEY_HEADER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Unique per intended command (8-200 printable ASCII characters); a "
    "retry with the same key and body writes nothing new and gets the first answer.",
    "schema": {
        "type": "string",
        "pattern": KEY_PATTERN,
        "minLength": 8,
        "maxLength": 200,
    },
}


class CommandRoute(APIRoute):
    """A command's route: the Idempotency-Key and ``COMMAND_PROBLEMS`` in its OpenAPI.

    The key is read by ``idempotency_key`` (hidden from the generated schema so a
    malformed one is a 400 naming it) and documented here as checked; the
    ``Authorization`` header is documented by the principal dependency itself.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        extra = dict(kwargs.pop("openapi_extra", None) or {})
        extra["parameters"] = [IDEMPOTENCY_KEY_HEADER, *extra.get("parameters", [])]
        kwargs["responses"] = {**COMMAND_PROBLEMS, **(kwargs.get("responses") or {})}
        super().__init__(path, endpoint, openapi_extra=extra, **kwargs)


def replied(outcome: Outcome, status: int) -> JSONResponse:
    """The command's answer; a replayed one says so in ``Idempotent-Replayed``."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return JSONResponse(outcome.response, status_code=status, headers=headers)

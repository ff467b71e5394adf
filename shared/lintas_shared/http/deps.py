"""FastAPI dependencies and route wiring the write services share.

``app_state(name)`` reads what the composition root put on ``app.state`` (503 while the
service starts); ``MetadataDep`` and ``KeyDep`` are a command's actor metadata and its
Idempotency-Key scoped to the acting unit; ``CommandRoute`` documents the command headers
and the statuses every command can answer; ``replied`` is the answer to a command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from lintas_shared.commands import Outcome
from lintas_shared.envelope import EventMetadata
from lintas_shared.http.actor import COMMAND_HEADERS, command_metadata, idempotency_key
from lintas_shared.http.problems import PROBLEM_JSON, Problem


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
    metadata: Annotated[EventMetadata, Depends(command_metadata)],
    key: Annotated[str | None, Depends(idempotency_key)],
) -> str | None:
    """Keys are scoped to the acting unit, so two agencies' systems cannot collide."""
    if key is None:
        return None
    return f"http:{metadata.actor_agency}/{metadata.actor_unit}:{key}"


MetadataDep = Annotated[EventMetadata, Depends(command_metadata)]
KeyDep = Annotated[str | None, Depends(scoped_key)]


Responses = dict[int | str, dict[str, Any]]


def problem(description: str) -> dict[str, Any]:
    """An OpenAPI response answered with a problem document."""
    return {"description": description, "content": {PROBLEM_JSON: {}}}


COMMAND_PROBLEMS: Responses = {
    400: problem("Missing or malformed X-Actor-* or Idempotency-Key header"),
    409: problem("Refused in the current state (the rule is named; retryable if so)"),
    422: problem("Invalid data, a broken rule, or an Idempotency-Key reused"),
}


class CommandRoute(APIRoute):
    """A command's route: the command headers and ``COMMAND_PROBLEMS`` in its OpenAPI.

    The headers are read by the dependencies above (hidden from the generated schema so
    a missing one stays a 400 ``missing-actor``) and documented here as checked.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        extra = dict(kwargs.pop("openapi_extra", None) or {})
        extra["parameters"] = [*COMMAND_HEADERS, *extra.get("parameters", [])]
        kwargs["responses"] = {**COMMAND_PROBLEMS, **(kwargs.get("responses") or {})}
        super().__init__(path, endpoint, openapi_extra=extra, **kwargs)


def replied(outcome: Outcome, status: int) -> JSONResponse:
    """The command's answer; a replayed one says so in ``Idempotent-Replayed``."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return JSONResponse(outcome.response, status_code=status, headers=headers)

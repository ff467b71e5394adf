"""FastAPI dependencies: the use-case context and queries the composition root put on app.state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from enrollment.application.context import Context
from enrollment.application.queries import EnrollmentQueries
from lintas_shared.envelope import EventMetadata
from lintas_shared.http.actor import command_metadata, idempotency_key
from lintas_shared.http.problems import Problem


def _state(request: Request, name: str) -> Any:
    value = getattr(request.app.state, name, None)
    if value is None:
        raise Problem(503, "not-ready", "the service is starting", retryable=True)
    return value


async def get_context(request: Request) -> Context:
    context: Context = _state(request, "context")
    return context


async def get_queries(request: Request) -> EnrollmentQueries:
    queries: EnrollmentQueries = _state(request, "queries")
    return queries


async def scoped_key(
    metadata: Annotated[EventMetadata, Depends(command_metadata)],
    key: Annotated[str | None, Depends(idempotency_key)],
) -> str | None:
    """Keys are scoped to the acting unit, so two agencies' systems cannot collide."""
    if key is None:
        return None
    return f"http:{metadata.actor_agency}/{metadata.actor_unit}:{key}"


ContextDep = Annotated[Context, Depends(get_context)]
QueriesDep = Annotated[EnrollmentQueries, Depends(get_queries)]
MetadataDep = Annotated[EventMetadata, Depends(command_metadata)]
KeyDep = Annotated[str | None, Depends(scoped_key)]

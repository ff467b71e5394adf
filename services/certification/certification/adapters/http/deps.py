"""FastAPI dependencies: what the composition root put on ``app.state``, and command headers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from certification.adapters.postgres.queries import CertificateQueries
from certification.application.context import CertificationContext
from lintas_shared.envelope import EventMetadata
from lintas_shared.http.actor import command_metadata, idempotency_key
from lintas_shared.http.problems import Problem


def _state(request: Request, name: str) -> Any:
    value = getattr(request.app.state, name, None)
    if value is None:
        raise Problem(503, "not-ready", "the service is starting", retryable=True)
    return value


def get_context(request: Request) -> CertificationContext:
    context: CertificationContext = _state(request, "context")
    return context


def get_queries(request: Request) -> CertificateQueries:
    queries: CertificateQueries = _state(request, "queries")
    return queries


def scoped_key(
    metadata: Annotated[EventMetadata, Depends(command_metadata)],
    key: Annotated[str | None, Depends(idempotency_key)],
) -> str | None:
    """Keys are scoped to the acting unit, so two agencies' systems cannot collide."""
    if key is None:
        return None
    return f"http:{metadata.actor_agency}/{metadata.actor_unit}:{key}"


ContextDep = Annotated[CertificationContext, Depends(get_context)]
QueriesDep = Annotated[CertificateQueries, Depends(get_queries)]
MetadataDep = Annotated[EventMetadata, Depends(command_metadata)]
KeyDep = Annotated[str | None, Depends(scoped_key)]

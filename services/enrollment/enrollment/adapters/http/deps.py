"""FastAPI dependencies: the use-case context and queries the composition root put on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from enrollment.application.context import Context
from enrollment.application.queries import EnrollmentQueries
from lintas_shared.audit import AuditWriter
from lintas_shared.http.deps import CorrelationDep, KeyDep, PrincipalDep, app_state

ContextDep = Annotated[Context, Depends(app_state("context"))]
QueriesDep = Annotated[EnrollmentQueries, Depends(app_state("queries"))]
AuditDep = Annotated[AuditWriter, Depends(app_state("audit"))]

__all__ = [
    "AuditDep",
    "ContextDep",
    "CorrelationDep",
    "KeyDep",
    "PrincipalDep",
    "QueriesDep",
]

"""FastAPI dependencies: the use-case context and queries the composition root put on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from enrollment.application.context import Context
from enrollment.application.queries import EnrollmentQueries
from lintas_shared.http.deps import KeyDep, MetadataDep, app_state

ContextDep = Annotated[Context, Depends(app_state("context"))]
QueriesDep = Annotated[EnrollmentQueries, Depends(app_state("queries"))]

__all__ = ["ContextDep", "KeyDep", "MetadataDep", "QueriesDep"]

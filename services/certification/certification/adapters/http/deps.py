"""FastAPI dependencies: the use-case context and queries the composition root put on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from certification.application.context import CertificationContext
from certification.application.queries import CertificateQueries
from lintas_shared.http.deps import KeyDep, PrincipalDep, app_state

ContextDep = Annotated[CertificationContext, Depends(app_state("context"))]
QueriesDep = Annotated[CertificateQueries, Depends(app_state("queries"))]

__all__ = ["ContextDep", "KeyDep", "PrincipalDep", "QueriesDep"]

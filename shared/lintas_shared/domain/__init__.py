"""Pure building blocks of the write services' domains: the aggregate base and refusals."""

from lintas_shared.domain.aggregate import Aggregate
from lintas_shared.domain.refusals import (
    InvalidCommand,
    NotFound,
    Refusal,
    RefusalKind,
    RuleViolation,
    Violation,
)

__all__ = [
    "Aggregate",
    "InvalidCommand",
    "NotFound",
    "Refusal",
    "RefusalKind",
    "RuleViolation",
    "Violation",
]

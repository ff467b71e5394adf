"""Domain refusals as RFC 9457 problems: the status follows the kind of refusal."""

from __future__ import annotations

from certification.domain.errors import Refusal, RefusalKind
from lintas_shared.http.problems import Problem

_STATUS = {
    RefusalKind.NOT_FOUND: 404,
    RefusalKind.CONFLICT: 409,
    RefusalKind.INVALID: 422,
}


def refusal_problem(refusal: Refusal) -> Problem:
    where = (
        {"field": refusal.field, "message": refusal.detail}
        if refusal.field
        else {"rule": refusal.code, "message": refusal.detail}
    )
    return Problem(
        _STATUS[refusal.kind],
        refusal.code,
        refusal.detail,
        errors=[where],
        retryable=refusal.retryable,
    )

"""Request headers every command carries: acting agency and unit, correlation, idempotency."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header

from lintas_shared.envelope import EventMetadata
from lintas_shared.http.problems import Problem

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")
_KEY = re.compile(r"^[\x21-\x7e]{8,200}$")


async def command_metadata(
    x_actor_agency: Annotated[
        str | None,
        Header(description="Acting agency, e.g. KEMNAKER or DITJENPAS."),
    ] = None,
    x_actor_unit: Annotated[
        str | None,
        Header(description="Acting unit code, e.g. BPVP-PADANG or LAPAS-IIA-PADANG."),
    ] = None,
    x_correlation_id: Annotated[
        str | None, Header(description="Correlation id to carry through events.")
    ] = None,
) -> EventMetadata:
    """FastAPI dependency: the actor headers, validated, as event metadata."""
    errors = []
    for name, value in (
        ("X-Actor-Agency", x_actor_agency),
        ("X-Actor-Unit", x_actor_unit),
    ):
        if not value:
            errors.append({"field": name, "message": "header is required"})
        elif not _CODE.match(value):
            errors.append(
                {"field": name, "message": "use an upper-case code like BPVP-PADANG"}
            )
    if errors:
        raise Problem(
            400, "missing-actor", "who is acting must be stated", errors=errors
        )
    assert x_actor_agency and x_actor_unit
    if x_correlation_id:
        return EventMetadata(
            x_actor_agency, x_actor_unit, correlation_id=x_correlation_id
        )
    return EventMetadata(x_actor_agency, x_actor_unit)


async def idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Unique per intended command; a retry with it writes nothing new.",
        ),
    ] = None,
) -> str | None:
    """FastAPI dependency: the optional Idempotency-Key header, checked for shape."""
    if idempotency_key is not None and not _KEY.match(idempotency_key):
        raise Problem(
            400,
            "invalid-idempotency-key",
            "Idempotency-Key must be 8-200 printable ASCII characters",
            errors=[{"field": "Idempotency-Key", "message": "bad format"}],
        )
    return idempotency_key

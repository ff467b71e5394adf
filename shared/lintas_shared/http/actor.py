"""Request headers every command carries: acting agency and unit, correlation, idempotency.

The dependencies read the headers themselves, so a missing or malformed one is a 400
problem naming it (not a generic 422); ``COMMAND_HEADERS`` documents them in OpenAPI as
they are checked (see ``lintas_shared.http.deps.CommandRoute``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Header

from lintas_shared.envelope import EventMetadata
from lintas_shared.http.problems import Problem

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,63}$"
KEY_PATTERN = r"^[\x21-\x7e]{8,200}$"
_CODE = re.compile(CODE_PATTERN)
_KEY = re.compile(KEY_PATTERN)


def _header(name: str, description: str, *, required: bool, **schema: Any) -> Any:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": {"type": "string", **schema},
    }


COMMAND_HEADERS: list[dict[str, Any]] = [
    _header(
        "X-Actor-Agency",
        "Acting agency, e.g. KEMNAKER or DITJENPAS (kept in the events).",
        required=True,
        pattern=CODE_PATTERN,
        maxLength=64,
    ),
    _header(
        "X-Actor-Unit",
        "Acting unit code, e.g. BPVP-PADANG or LAPAS-IIA-PADANG.",
        required=True,
        pattern=CODE_PATTERN,
        maxLength=64,
    ),
    _header(
        "Idempotency-Key",
        "Unique per intended command (8-200 printable ASCII characters); a retry "
        "with the same key and body writes nothing new and gets the first answer.",
        required=False,
        pattern=KEY_PATTERN,
        minLength=8,
        maxLength=200,
    ),
]


async def command_metadata(
    x_actor_agency: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_actor_unit: Annotated[str | None, Header(include_in_schema=False)] = None,
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
    assert x_actor_agency and x_actor_unit  # both checked just above
    if x_correlation_id:
        return EventMetadata(
            x_actor_agency, x_actor_unit, correlation_id=x_correlation_id
        )
    return EventMetadata(x_actor_agency, x_actor_unit)


async def idempotency_key(
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", include_in_schema=False)
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

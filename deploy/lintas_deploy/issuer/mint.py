"""Mint access and ID tokens for a persona with the issuer's current key."""

from __future__ import annotations

import time
import uuid
from typing import Any

from lintas_deploy.issuer.keys import SigningKey
from lintas_deploy.personas import Persona
from lintas_shared.identity.principal import principal_claims


def access_token(
    key: SigningKey,
    persona: Persona,
    *,
    issuer: str,
    audience: str,
    seconds: int,
    client_id: str,
    now: float | None = None,
) -> str:
    """A signed access token proving `persona` to `audience`."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        **principal_claims(persona.principal(issuer)),
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "nbf": issued,
        "exp": issued + seconds,
        "jti": str(uuid.uuid4()),
        "client_id": client_id,
    }
    return key.sign(claims)


def id_token(
    key: SigningKey,
    persona: Persona,
    *,
    issuer: str,
    client_id: str,
    nonce: str | None,
    seconds: int,
) -> str:
    """An OpenID Connect ID token for the client that signed the persona in."""
    issued = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": persona.subject,
        "aud": client_id,
        "iat": issued,
        "exp": issued + seconds,
        "persona": persona.id,  # a role at a unit, not a person's name
    }
    if nonce:
        claims["nonce"] = nonce
    return key.sign(claims)

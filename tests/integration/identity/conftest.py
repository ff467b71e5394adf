"""Two real local issuers (one per ministry) on free ports, and helpers to get tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lintas_deploy.issuer.process import IssuerProcess
from lintas_deploy.personas import persona
from lintas_deploy.procs import free_ports
from lintas_shared.identity import IdentitySettings, TrustedIssuer
from lintas_shared.identity.principal import Agency, principal_claims


def start_issuer(name: str, run_dir: Path) -> IssuerProcess:
    """A started, ready issuer on a free port (a fresh port if one was taken meanwhile)."""
    for attempt in range(3):
        (port,) = free_ports(1)
        issuer = IssuerProcess(name, run_dir, port)
        try:
            issuer.start()
            issuer.wait_ready()
            return issuer
        except RuntimeError:
            issuer.stop()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def issuers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, IssuerProcess]]:
    """The Ditjenpas and the Kemnaker issuer, running for the module."""
    run_dir = tmp_path_factory.mktemp("issuers")
    started = {name: start_issuer(name, run_dir) for name in ("ditjenpas", "kemnaker")}
    try:
        yield started
    finally:
        for issuer in started.values():
            issuer.stop()


def trust(*issuers: IssuerProcess, **settings: Any) -> IdentitySettings:
    """Verifier settings trusting these issuers by discovery, as production would."""
    agencies = {
        "ditjenpas": frozenset({Agency.DITJENPAS}),
        "kemnaker": frozenset({Agency.KEMNAKER, Agency.LSP}),
    }
    return IdentitySettings(
        trusted_issuers=tuple(
            TrustedIssuer(issuer=i.url, agencies=agencies[i.name], audience="lintas")
            for i in issuers
        ),
        **settings,
    )


def claims_for(
    persona_id: str, issuer: IssuerProcess, **changes: Any
) -> dict[str, Any]:
    """Valid access-token claims of a pilot persona; `changes` set (None removes)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        **principal_claims(persona(persona_id).principal(issuer.url)),
        "iss": issuer.url,
        "aud": "lintas",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def signed(issuer: IssuerProcess, claims: dict[str, Any]) -> str:
    """`claims` signed with the issuer's real current key (the one its JWKS serves)."""
    return issuer.keys.current().sign(claims)


def client_token(issuer: IssuerProcess, client_id: str) -> str:
    """An access token from the issuer's /token endpoint (client credentials)."""
    response = httpx.post(
        f"{issuer.url}/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, issuer.client_secret(client_id)),
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])

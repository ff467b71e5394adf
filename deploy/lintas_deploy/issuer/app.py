"""The local development issuer: discovery, JWKS, /authorize and /token in one FastAPI app."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from lintas_deploy.issuer import authorize, grants
from lintas_deploy.issuer.authorize import PendingCode
from lintas_deploy.issuer.clients import ClientSecrets
from lintas_deploy.issuer.config import DASHBOARD_ORIGINS, IssuerConfig
from lintas_deploy.issuer.keys import ALGORITHM, KeyStore
from lintas_shared.http.problems import install_problem_handlers


def create_app(config: IssuerConfig) -> FastAPI:
    """The issuer `config` describes; keys and client secrets are made on first start."""
    keys = KeyStore(config.folder / "keys")
    keys.current()
    secrets = ClientSecrets(config.folder)
    secrets.ensure(config.systems)
    # The token command signs offline and needs the `iss` this issuer serves.
    (config.folder / "issuer.json").write_text(json.dumps({"issuer": config.url}))
    codes: dict[str, PendingCode] = {}
    app = FastAPI(
        title=f"Lintas development issuer ({config.name})",
        description="OpenID Connect issuer for local runs and tests; no internet.",
    )
    install_problem_handlers(app)
    # The dashboard (a public client in the browser) reads discovery and redeems its
    # code at /token from its own origin; locally that is a loopback origin (RFC 8252).
    app.add_middleware(
        CORSMiddleware,
        allow_origin_regex=DASHBOARD_ORIGINS,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        allow_credentials=False,
    )

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        base = config.url
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks.json",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "code_challenge_methods_supported": ["S256"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "scopes_supported": ["openid"],
        }

    @app.get("/jwks.json")
    async def jwks() -> dict[str, Any]:
        return keys.jwks()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok", "issuer": config.url}

    app.include_router(authorize.router(config, codes))
    app.include_router(grants.router(config, keys, secrets, codes))
    return app

"""`/token`: authorization_code with PKCE S256 (people) and client_credentials (systems)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from lintas_deploy.issuer.authorize import PendingCode
from lintas_deploy.issuer.clients import ClientSecrets
from lintas_deploy.issuer.config import IssuerConfig
from lintas_deploy.issuer.forms import form, oauth_error
from lintas_deploy.issuer.keys import KeyStore
from lintas_deploy.issuer.mint import access_token, id_token
from lintas_deploy.personas import Persona

_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")  # RFC 7636 §4.1


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of `verifier`."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


def router(
    config: IssuerConfig,
    keys: KeyStore,
    secrets: ClientSecrets,
    codes: dict[str, PendingCode],
) -> APIRouter:
    """The /token route of one issuer."""
    api = APIRouter()

    def issued(
        persona: Persona, client_id: str, nonce: str | None = None
    ) -> JSONResponse:
        key = keys.current()
        body: dict[str, Any] = {
            "access_token": access_token(
                key,
                persona,
                issuer=config.url,
                audience=config.audience,
                seconds=config.token_seconds,
                client_id=client_id,
            ),
            "token_type": "Bearer",
            "expires_in": config.token_seconds,
        }
        if persona.client_id is None:
            body["id_token"] = id_token(
                key,
                persona,
                issuer=config.url,
                client_id=client_id,
                nonce=nonce,
                seconds=config.token_seconds,
            )
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def authorization_code(fields: dict[str, str]) -> JSONResponse:
        # A code is consumed by any attempt, so a wrong verifier cannot be retried.
        pending = codes.pop(fields.get("code", ""), None)
        if pending is None or pending.expires_at < time.monotonic():
            return oauth_error(
                400, "invalid_grant", "unknown, used or expired code", "code"
            )
        if fields.get("client_id") != pending.client_id:
            return oauth_error(
                400, "invalid_grant", "code was issued to another client", "client_id"
            )
        if fields.get("redirect_uri") != pending.redirect_uri:
            return oauth_error(
                400,
                "invalid_grant",
                "redirect_uri differs from /authorize",
                "redirect_uri",
            )
        verifier = fields.get("code_verifier", "")
        if not _VERIFIER.match(verifier):
            return oauth_error(
                400,
                "invalid_grant",
                "code_verifier missing or malformed (PKCE)",
                "code_verifier",
            )
        if not hmac.compare_digest(s256(verifier), pending.challenge):
            return oauth_error(
                400,
                "invalid_grant",
                "code_verifier does not match the code_challenge",
                "code_verifier",
            )
        return issued(pending.persona, pending.client_id, pending.nonce)

    def client_credentials(request: Request, fields: dict[str, str]) -> JSONResponse:
        given = _basic(request) or (
            fields.get("client_id", ""),
            fields.get("client_secret", ""),
        )
        client_id, secret = given
        system = config.systems.get(client_id)
        if system is None or not secret or not secrets.check(client_id, secret):
            return oauth_error(
                401,
                "invalid_client",
                "unknown client or wrong client secret",
                "client_secret",
                {"WWW-Authenticate": f'Basic realm="{config.name}"'},
            )
        return issued(system, client_id)

    @api.post("/token")
    async def token(request: Request) -> JSONResponse:
        fields = await form(request)
        grant = fields.get("grant_type")
        if grant == "authorization_code":
            return authorization_code(fields)
        if grant == "client_credentials":
            return client_credentials(request, fields)
        return oauth_error(
            400,
            "unsupported_grant_type",
            "grant_type must be authorization_code or client_credentials",
            "grant_type",
        )

    return api

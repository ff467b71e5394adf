"""`/authorize`: the sign-in page offering the pilot personas; codes bound to PKCE S256."""

from __future__ import annotations

import html
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lintas_deploy.issuer.config import DASHBOARD_CLIENT, IssuerConfig
from lintas_deploy.issuer.forms import form
from lintas_deploy.personas import Persona
from lintas_shared.http.problems import Problem

_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # base64url SHA-256, no padding
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class PendingCode:
    """An authorization code waiting to be redeemed once, with its PKCE challenge."""

    persona: Persona
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    expires_at: float


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        400,
        "invalid-authorization-request",
        f"{field}: {message}",
        errors=[{"field": field, "message": message}],
    )


def _checked(params: dict[str, str]) -> dict[str, str]:
    if params.get("response_type") != "code":
        raise _invalid("response_type", "only 'code' is supported")
    if params.get("client_id") != DASHBOARD_CLIENT:
        raise _invalid("client_id", f"unknown client; use '{DASHBOARD_CLIENT}'")
    uri = params.get("redirect_uri", "")
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or parts.hostname not in _LOOPBACK:
        raise _invalid("redirect_uri", "must be an http(s) loopback URL (RFC 8252)")
    if params.get("code_challenge_method") != "S256":
        raise _invalid("code_challenge_method", "PKCE with S256 is required")
    if not _CHALLENGE.match(params.get("code_challenge", "")):
        raise _invalid("code_challenge", "must be the base64url SHA-256 of a verifier")
    return params


_PASSED = ("response_type", "client_id", "redirect_uri", "state", "nonce")


def router(config: IssuerConfig, codes: dict[str, PendingCode]) -> APIRouter:
    """The /authorize routes of one issuer, sharing `codes` with /token."""
    api = APIRouter()
    people = {p.id: p for p in config.people}

    @api.get("/authorize", response_class=HTMLResponse)
    async def page(request: Request) -> HTMLResponse:
        params = _checked(dict(request.query_params))
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(params[name])}">'
            for name in (*_PASSED, "code_challenge", "code_challenge_method")
            if name in params
        )
        buttons = "".join(
            f'<li><button name="persona" value="{html.escape(p.id)}">'
            f"{html.escape(p.label)}</button> <small>{html.escape(p.unit)}, "
            f"{html.escape(', '.join(sorted(p.roles)))}</small></li>"
            for p in people.values()
        )
        title = f"Lintas development sign-in ({html.escape(config.name)})"
        return HTMLResponse(
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>Choose a pilot persona (local issuer, no passwords).</p>"
            f"<form method='post' action='/authorize'>{hidden}<ul>{buttons}</ul>"
            f"</form></body></html>"
        )

    @api.post("/authorize")
    async def choose(request: Request) -> RedirectResponse:
        params = _checked(await form(request))
        chosen = people.get(params.get("persona", ""))
        if chosen is None:
            raise _invalid("persona", f"not a persona of the {config.name} issuer")
        code = secrets.token_urlsafe(32)
        codes[code] = PendingCode(
            chosen,
            params["client_id"],
            params["redirect_uri"],
            params["code_challenge"],
            params.get("nonce"),
            time.monotonic() + config.code_seconds,
        )
        query = {
            "code": code,
            **({"state": params["state"]} if "state" in params else {}),
        }
        sep = "&" if "?" in params["redirect_uri"] else "?"
        return RedirectResponse(
            f"{params['redirect_uri']}{sep}{urlencode(query)}", status_code=303
        )

    return api

"""FastAPI edge: `Authorization: Bearer` -> Principal (or 401), Denied -> 403 naming the rule."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse

from lintas_shared.http.problems import Problem, problem_response
from lintas_shared.identity.policy import Denied, authorize
from lintas_shared.identity.principal import Principal
from lintas_shared.identity.rules import Action, Resource
from lintas_shared.identity.tokens import TokenRefused
from lintas_shared.identity.verifier import TokenVerifier

REALM = "lintas"
_STATE_KEY = "lintas_token_verifier"
# RFC 6750 error_description: printable ASCII without '"' and '\'.
_UNSAFE = re.compile(r"[^\x20-\x21\x23-\x5b\x5d-\x7e]")


class Unauthenticated(Problem):
    """401 with a `WWW-Authenticate: Bearer` challenge (RFC 6750)."""

    def __init__(self, code: str, detail: str, *, error: str | None, rule: str) -> None:
        super().__init__(
            401,
            code,
            detail,
            title="Not authenticated",
            errors=[{"field": "Authorization", "rule": rule, "message": detail}],
        )
        challenge = f'Bearer realm="{REALM}"'
        if error:
            description = _UNSAFE.sub("?", detail)[:300]
            challenge += f', error="{error}", error_description="{description}"'
        self.challenge = challenge


def install_identity(app: FastAPI, verifier: TokenVerifier) -> None:
    """Make `verifier` the app's and answer Unauthenticated with its challenge header."""
    setattr(app.state, _STATE_KEY, verifier)

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        response = problem_response(exc, request.url.path)
        response.headers["WWW-Authenticate"] = exc.challenge
        return response


def _verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, _STATE_KEY, None)
    if verifier is None:
        raise RuntimeError("install_identity(app, verifier) was not called")
    assert isinstance(verifier, TokenVerifier)
    return verifier


async def optional_principal(
    request: Request,
    authorization: Annotated[
        str | None,
        Header(description="`Bearer <access token>` from a trusted issuer."),
    ] = None,
) -> Principal | None:
    """The verified Principal, None without credentials; 401 for bad credentials."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated(
            "invalid-token",
            "the Authorization header must be 'Bearer <token>'",
            error="invalid_token",
            rule="malformed",
        )
    try:
        return await _verifier(request).verify(token)
    except TokenRefused as refused:
        raise Unauthenticated(
            "invalid-token",
            f"{refused.reason}: {refused.detail}",
            error="invalid_token",
            rule=refused.reason.value,
        ) from None


async def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    """The verified Principal; 401 when there are no credentials or they are bad."""
    if principal is None:
        raise Unauthenticated(
            "missing-credentials",
            "sign in: send Authorization: Bearer <token>",
            error=None,
            rule="missing-credentials",
        )
    return principal


Authenticated = Annotated[Principal, Depends(current_principal)]
MaybeAuthenticated = Annotated[Principal | None, Depends(optional_principal)]


def forbid(denied: Denied) -> Problem:
    """The 403 problem for a refusal: the rule is its type and its errors[].rule."""
    return Problem(
        403,
        denied.rule,
        denied.message,
        title="Not allowed",
        errors=[{"rule": denied.rule, "message": denied.message}],
    )


def require(
    principal: Principal | None, action: Action, resource: Resource | None = None
) -> None:
    """Raise the 403 problem unless the policy allows `action` on `resource`."""
    decision = authorize(principal, action, resource)
    if isinstance(decision, Denied):
        if principal is None:  # not signed in: a 401 challenge, not a 403
            raise Unauthenticated(
                "missing-credentials", decision.message, error=None, rule=decision.rule
            )
        raise forbid(decision)

"""The issuer's flows: authorization code with PKCE S256 for people, client credentials."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from lintas_deploy.issuer.process import IssuerProcess
from lintas_shared.identity import PrincipalKind, TokenVerifier
from tests.integration.identity.conftest import trust

pytestmark = pytest.mark.integration

REDIRECT = "http://127.0.0.1:8003/signed-in"


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(issuer: IssuerProcess, challenge: str, persona: str) -> str:
    params = {
        "response_type": "code",
        "client_id": "lintas-dashboard",
        "redirect_uri": REDIRECT,
        "state": "st-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = httpx.get(f"{issuer.url}/authorize", params=params)
    assert page.status_code == 200 and f'value="{persona}"' in page.text
    chosen = httpx.post(f"{issuer.url}/authorize", data={**params, "persona": persona})
    assert chosen.status_code == 303
    query = parse_qs(urlsplit(chosen.headers["location"]).query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def _redeem(issuer: IssuerProcess, code: str, verifier: str | None) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": "lintas-dashboard",
    }
    if verifier is not None:
        data["code_verifier"] = verifier
    return httpx.post(f"{issuer.url}/token", data=data)


async def test_a_person_signs_in_with_pkce_and_the_token_proves_the_persona(
    issuers: dict[str, IssuerProcess],
) -> None:
    issuer = issuers["ditjenpas"]
    verifier, challenge = _pkce()
    response = _redeem(
        issuer, _authorize(issuer, challenge, "kanwil-sumbar-analyst"), verifier
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = TokenVerifier(trust(issuer))
    try:
        principal = await tokens.verify(response.json()["access_token"])
    finally:
        await tokens.aclose()
    assert (principal.kind, principal.unit, principal.province) == (
        PrincipalKind.PERSON,
        "KANWIL-DITJENPAS-SUMBAR",
        "Sumatera Barat",
    )


@pytest.mark.parametrize(
    ("verifier", "words"),
    [
        (None, "code_verifier missing"),
        (secrets.token_urlsafe(48), "does not match the code_challenge"),
    ],
    ids=["no-verifier", "wrong-verifier"],
)
def test_a_code_redeemed_without_the_right_verifier_is_refused_and_spent(
    issuers: dict[str, IssuerProcess], verifier: str | None, words: str
) -> None:
    issuer = issuers["ditjenpas"]
    right, challenge = _pkce()
    code = _authorize(issuer, challenge, "lapas-padang-operator")
    refused = _redeem(issuer, code, verifier)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert words in refused.json()["error_description"]
    assert refused.json()["errors"][0]["field"] == "code_verifier"
    again = _redeem(issuer, code, right)  # no second try with the same code
    assert again.status_code == 400 and "used or expired" in again.json()["detail"]


def test_authorize_without_pkce_s256_is_refused(
    issuers: dict[str, IssuerProcess],
) -> None:
    issuer = issuers["ditjenpas"]
    response = httpx.get(
        f"{issuer.url}/authorize",
        params={
            "response_type": "code",
            "client_id": "lintas-dashboard",
            "redirect_uri": REDIRECT,
            "code_challenge": "x" * 43,
            "code_challenge_method": "plain",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "code_challenge_method", "message": "PKCE with S256 is required"}
    ]


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [
        ("sdp-lapas-iia-padang", "wrong-secret"),
        ("no-such-client", "x"),
        ("sdp-lapas-iia-padang", ""),
    ],
    ids=["wrong-secret", "unknown-client", "empty-secret"],
)
def test_client_credentials_with_a_wrong_secret_are_refused(
    issuers: dict[str, IssuerProcess], client_id: str, secret: str
) -> None:
    response = httpx.post(
        f"{issuers['ditjenpas'].url}/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"] == 'Basic realm="ditjenpas"'
    assert "access_token" not in response.json()


def test_client_credentials_in_the_form_body_are_accepted(
    issuers: dict[str, IssuerProcess],
) -> None:
    issuer = issuers["kemnaker"]
    response = httpx.post(
        f"{issuer.url}/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "pelatihan-bpvp-padang",
            "client_secret": issuer.client_secret("pelatihan-bpvp-padang"),
        },
    )
    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"


def test_one_ministrys_client_has_no_secret_at_the_other(
    issuers: dict[str, IssuerProcess],
) -> None:
    kemnaker_secret = issuers["kemnaker"].client_secret("pelatihan-bpvp-padang")
    response = httpx.post(
        f"{issuers['ditjenpas'].url}/token",
        data={"grant_type": "client_credentials"},
        auth=("pelatihan-bpvp-padang", kemnaker_secret),
    )
    assert response.status_code == 401

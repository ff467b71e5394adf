"""Each bad credential, against the real issuers over HTTP: the verifier's precise refusal,
and a 401 problem with a Bearer challenge through a FastAPI app that writes nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from lintas_deploy.issuer.process import IssuerProcess
from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.identity import (
    Action,
    Refusal,
    Resource,
    TokenRefused,
    TokenVerifier,
)
from lintas_shared.identity.fastapi import Authenticated, install_identity, require
from tests.integration.identity.conftest import claims_for, client_token, signed, trust

pytestmark = pytest.mark.integration

Issuers = dict[str, IssuerProcess]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _raw(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


def _djp(i: Issuers) -> IssuerProcess:
    return i["ditjenpas"]


def expired(i: Issuers) -> str:
    past = int(time.time()) - 3600
    return signed(
        _djp(i),
        claims_for("lapas-padang-operator", _djp(i), iat=past, nbf=past, exp=past + 60),
    )


def not_yet_valid(i: Issuers) -> str:
    later = int(time.time()) + 3600
    return signed(_djp(i), claims_for("lapas-padang-operator", _djp(i), nbf=later))


def issued_in_future(i: Issuers) -> str:
    later = int(time.time()) + 3600
    return signed(
        _djp(i), claims_for("lapas-padang-operator", _djp(i), iat=later, nbf=None)
    )


def untrusted_issuer(i: Issuers) -> str:
    return signed(
        _djp(i),
        claims_for("lapas-padang-operator", _djp(i), iss="http://127.0.0.1:9/x"),
    )


def wrong_audience(i: Issuers) -> str:
    return signed(
        _djp(i), claims_for("lapas-padang-operator", _djp(i), aud="another-system")
    )


def bad_signature(i: Issuers) -> str:
    # A genuine token whose payload was changed to act for another Lapas.
    head, _, sig = client_token(_djp(i), "sdp-lapas-iia-padang").split(".")
    forged = claims_for("lapas-padang-operator", _djp(i), unit="LAPAS-IIA-BUKITTINGGI")
    return f"{head}.{_b64(json.dumps(forged).encode())}.{sig}"


def alg_none(i: Issuers) -> str:
    kid = _djp(i).keys.current().kid
    return _raw(
        {"alg": "none", "typ": "JWT", "kid": kid},
        claims_for("lapas-padang-operator", _djp(i)),
    )


def hs256_with_public_key(i: Issuers) -> str:
    # The classic confusion: HMAC keyed with the issuer's published public key.
    key = _djp(i).keys.current()
    public = key.public_jwk()["x"].encode()
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    unsigned = _raw(header, claims_for("lapas-padang-operator", _djp(i))).rsplit(
        ".", 1
    )[0]
    mac = hmac.new(public, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{_b64(mac)}"


def rs256_under_an_eddsa_key_id(i: Issuers) -> str:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = _djp(i).keys.current().kid
    return jwt.encode(
        claims_for("lapas-padang-operator", _djp(i)),
        private,
        algorithm="RS256",
        headers={"kid": kid},
    )


def unknown_key_id(i: Issuers) -> str:
    claims = claims_for("lapas-padang-operator", _djp(i))
    return jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": "not-ours"},
    )


def missing_subject(i: Issuers) -> str:
    return signed(_djp(i), claims_for("lapas-padang-operator", _djp(i), sub=None))


def missing_roles(i: Issuers) -> str:
    return signed(_djp(i), claims_for("lapas-padang-operator", _djp(i), roles=None))


def self_declared_agency(i: Issuers) -> str:
    return signed(
        _djp(i), claims_for("lapas-padang-operator", _djp(i), agency="HACKER")
    )


def other_ministry_agency(i: Issuers) -> str:
    # Ditjenpas's issuer, genuinely signing, claims a Kemnaker BLK operator.
    return signed(_djp(i), claims_for("bpvp-padang-operator", _djp(i)))


def kemnaker_token_dressed_as_ditjenpas(i: Issuers) -> str:
    kemnaker = i["kemnaker"]
    return signed(kemnaker, claims_for("lapas-padang-operator", _djp(i)))


def not_a_jwt(i: Issuers) -> str:
    return "not-a-token"


CASES: list[tuple[Callable[[Issuers], str], Refusal, str]] = [
    (expired, Refusal.EXPIRED, "token expired at"),
    (not_yet_valid, Refusal.NOT_YET_VALID, "(nbf)"),
    (issued_in_future, Refusal.NOT_YET_VALID, "(iat)"),
    (
        untrusted_issuer,
        Refusal.UNTRUSTED_ISSUER,
        "'http://127.0.0.1:9/x' is not a trusted",
    ),
    (
        wrong_audience,
        Refusal.WRONG_AUDIENCE,
        "'another-system' does not include 'lintas'",
    ),
    (bad_signature, Refusal.BAD_SIGNATURE, "signature does not verify"),
    (alg_none, Refusal.ALGORITHM_NOT_ALLOWED, "alg 'none'"),
    (
        hs256_with_public_key,
        Refusal.ALGORITHM_NOT_ALLOWED,
        "alg 'HS256' is not in the allow-list",
    ),
    (
        rs256_under_an_eddsa_key_id,
        Refusal.ALGORITHM_NOT_ALLOWED,
        "cannot verify alg 'RS256'",
    ),
    (unknown_key_id, Refusal.UNKNOWN_KEY, "'not-ours' is not in the key set"),
    (missing_subject, Refusal.MISSING_CLAIM, "claim 'sub'"),
    (missing_roles, Refusal.MISSING_CLAIM, "claim 'roles'"),
    (self_declared_agency, Refusal.INVALID_CLAIM, "claim 'agency'"),
    (
        other_ministry_agency,
        Refusal.AGENCY_NOT_VOUCHED,
        "speaks for DITJENPAS, not KEMNAKER",
    ),
    (
        kemnaker_token_dressed_as_ditjenpas,
        Refusal.ISSUER_MISMATCH,
        "signed with a key of issuer",
    ),
    (not_a_jwt, Refusal.MALFORMED, "not a signed JWT"),
]


@pytest.fixture(scope="module")
async def verifier(issuers: Issuers) -> AsyncIterator[TokenVerifier]:
    """A verifier trusting both ministries, its key caches warm for both."""
    verifier = TokenVerifier(trust(*issuers.values()))
    await verifier.verify(client_token(issuers["ditjenpas"], "sdp-lapas-iia-padang"))
    await verifier.verify(client_token(issuers["kemnaker"], "pelatihan-bpvp-padang"))
    yield verifier
    await verifier.aclose()


def _app(verifier: TokenVerifier, writes: list[str]) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    install_identity(app, verifier)

    @app.post("/packages/{blk}/closure")
    async def close(blk: str, principal: Authenticated) -> dict[str, str]:
        require(principal, Action.PACKAGE_CLOSE, Resource(blk=blk))
        writes.append(principal.unit)
        return {"closed_by": principal.unit}

    return app


async def _post(
    app: FastAPI, token: str | None, blk: str = "BPVP-PADANG"
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        return await client.post(f"/packages/{blk}/closure", headers=headers)


@pytest.mark.parametrize(
    ("make", "reason", "words"), CASES, ids=[c[0].__name__ for c in CASES]
)
async def test_bad_credential_is_refused_with_its_reason_and_answered_401(
    issuers: Issuers,
    verifier: TokenVerifier,
    make: Callable[[Issuers], str],
    reason: Refusal,
    words: str,
) -> None:
    token = make(issuers)
    with pytest.raises(TokenRefused) as refused:
        await verifier.verify(token)
    assert refused.value.reason is reason
    assert words in refused.value.detail

    writes: list[str] = []
    response = await _post(_app(verifier, writes), token)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith(
        'Bearer realm="lintas", error="invalid_token", error_description="'
    )
    assert reason.value in challenge
    body = response.json()
    assert body["errors"][0] == {
        "field": "Authorization",
        "rule": reason.value,
        "message": body["detail"],
    }
    assert words in body["detail"]
    assert writes == []


async def test_the_right_unit_is_allowed_and_another_unit_gets_403_naming_the_rule(
    issuers: Issuers, verifier: TokenVerifier
) -> None:
    writes: list[str] = []
    app = _app(verifier, writes)
    blk = client_token(issuers["kemnaker"], "pelatihan-bpvp-padang")
    assert (await _post(app, blk)).json() == {"closed_by": "BPVP-PADANG"}
    lapas = client_token(issuers["ditjenpas"], "sdp-lapas-iia-padang")
    for token, blk_code in ((lapas, "BPVP-PADANG"), (blk, "BBPVP-MEDAN")):
        response = await _post(app, token, blk_code)
        assert response.status_code == 403
        assert response.json()["type"].endswith("/blk-owns-package")
        assert response.json()["errors"][0]["rule"] == "blk-owns-package"
    assert writes == ["BPVP-PADANG"]


async def test_no_credentials_get_a_bare_bearer_challenge(
    verifier: TokenVerifier,
) -> None:
    response = await _post(_app(verifier, []), None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="lintas"'
    assert response.json()["type"].endswith("/missing-credentials")


async def test_one_ministrys_token_is_refused_by_a_verifier_trusting_only_the_other(
    issuers: Issuers,
) -> None:
    only_kemnaker = TokenVerifier(trust(issuers["kemnaker"]))
    try:
        with pytest.raises(TokenRefused) as refused:
            await only_kemnaker.verify(
                client_token(issuers["ditjenpas"], "sdp-lapas-iia-padang")
            )
        assert refused.value.reason is Refusal.UNTRUSTED_ISSUER
    finally:
        await only_kemnaker.aclose()


async def test_a_genuine_token_of_each_ministry_proves_its_principal(
    issuers: Issuers, verifier: TokenVerifier
) -> None:
    lapas = await verifier.verify(
        client_token(issuers["ditjenpas"], "sdp-lapas-iia-padang")
    )
    blk = await verifier.verify(
        client_token(issuers["kemnaker"], "pelatihan-bpvp-padang")
    )
    assert (lapas.agency, lapas.unit, lapas.kind, lapas.issuer) == (
        "DITJENPAS",
        "LAPAS-IIA-PADANG",
        "client",
        issuers["ditjenpas"].url,
    )
    assert (blk.agency, blk.unit, blk.issuer) == (
        "KEMNAKER",
        "BPVP-PADANG",
        issuers["kemnaker"].url,
    )

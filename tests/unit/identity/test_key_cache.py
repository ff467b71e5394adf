"""The key cache on a fake HTTP transport: a failed refresh keeps held keys until expiry."""

from __future__ import annotations

import httpx
import pytest

from lintas_shared.identity.jwks import IssuerKeys
from lintas_shared.identity.settings import TrustedIssuer
from lintas_shared.identity.tokens import Refusal, TokenRefused

pytestmark = pytest.mark.unit

ISS = "http://issuer.test"
X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"  # an Ed25519 public key
KEY_A = {"kty": "OKP", "crv": "Ed25519", "kid": "a", "x": X}
KEY_B = {**KEY_A, "kid": "b"}


class Issuer:
    """A fake issuer: serves `keys` unless `down`; counts requests."""

    def __init__(self) -> None:
        self.keys = [KEY_A]
        self.down = False
        self.requests = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.down:
            raise httpx.ConnectError("refused", request=request)
        if request.url.path.endswith("openid-configuration"):
            return httpx.Response(
                200, json={"issuer": ISS, "jwks_uri": f"{ISS}/jwks.json"}
            )
        return httpx.Response(200, json={"keys": self.keys})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _cache(issuer: Issuer, clock: Clock, min_refresh: float = 10.0) -> IssuerKeys:
    http = httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle))
    trusted = TrustedIssuer(issuer=ISS, agencies=frozenset({"DITJENPAS"}))
    return IssuerKeys(
        trusted, http, lifetime=60.0, min_refresh=min_refresh, clock=clock
    )


async def test_held_keys_survive_a_failed_refresh_until_their_lifetime_ends() -> None:
    issuer, clock = Issuer(), Clock()
    cache = _cache(issuer, clock)
    assert (await cache.key("a")).kid == "a"
    issuer.down = True
    clock.now += 30
    with pytest.raises(TokenRefused) as unknown:
        await cache.key("b")  # refresh attempted, failed
    assert unknown.value.reason is Refusal.UNKNOWN_KEY
    assert "last refresh failed" in unknown.value.detail
    assert (await cache.key("a")).kid == "a"  # still held
    clock.now += 31  # 61 s after the last successful fetch
    with pytest.raises(TokenRefused) as gone:
        await cache.key("a")
    assert gone.value.reason is Refusal.KEYS_UNAVAILABLE


async def test_an_unknown_kid_refreshes_at_most_once_per_interval() -> None:
    issuer, clock = Issuer(), Clock()
    cache = _cache(issuer, clock)
    await cache.key("a")
    fetched = issuer.requests
    clock.now += 11
    issuer.keys = [KEY_A, KEY_B]
    for _ in range(5):
        with pytest.raises(TokenRefused):
            await cache.key("c")
    assert issuer.requests == fetched + 1  # one JWKS fetch for five unknown kids
    assert (await cache.key("b")).kid == "b"  # picked up by that one refresh


async def test_a_refresh_that_succeeds_drops_keys_the_issuer_retired() -> None:
    issuer, clock = Issuer(), Clock()
    cache = _cache(issuer, clock, min_refresh=0)
    await cache.key("a")
    issuer.keys = [KEY_B]
    await cache.key("b")
    with pytest.raises(TokenRefused) as err:
        await cache.key("a")
    assert err.value.reason is Refusal.UNKNOWN_KEY

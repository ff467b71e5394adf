"""Key rotation and issuer outage, with the real issuer process and its JWKS over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from lintas_deploy.issuer.process import IssuerProcess
from lintas_shared.identity import Refusal, TokenRefused, TokenVerifier
from tests.integration.identity.conftest import (
    claims_for,
    client_token,
    signed,
    start_issuer,
    trust,
)

pytestmark = pytest.mark.integration


class Clock:
    """The verifier's key-cache clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def issuer(tmp_path: Path) -> Iterator[IssuerProcess]:
    """A Ditjenpas issuer of this test alone (these tests stop and rotate it)."""
    started = start_issuer("ditjenpas", tmp_path)
    try:
        yield started
    finally:
        started.stop()


async def test_a_token_signed_with_a_rotated_in_key_refreshes_the_key_set(
    issuer: IssuerProcess,
) -> None:
    verifier = TokenVerifier(trust(issuer, jwks_min_refresh_seconds=0))
    try:
        first = await verifier.verify(client_token(issuer, "sdp-lapas-iia-padang"))
        old_kid = issuer.keys.current().kid
        new_kid = issuer.keys.rotate().kid
        token = client_token(issuer, "sdp-lapas-iia-padang")  # the issuer signs with it
        assert new_kid != old_kid
        assert jwt.get_unverified_header(token)["kid"] == new_kid
        second = await verifier.verify(token)
        assert second == first
        assert verifier.keys_of(issuer.url).fetches == 2  # one refresh for the new kid
    finally:
        await verifier.aclose()


async def test_unknown_key_ids_do_not_hammer_the_issuer(issuer: IssuerProcess) -> None:
    verifier = TokenVerifier(trust(issuer, jwks_min_refresh_seconds=60))
    try:
        await verifier.verify(client_token(issuer, "sdp-lapas-iia-padang"))
        issuer.keys.rotate()
        for _ in range(3):
            with pytest.raises(TokenRefused) as refused:
                await verifier.verify(client_token(issuer, "sdp-lapas-iia-padang"))
            assert refused.value.reason is Refusal.UNKNOWN_KEY
        assert verifier.keys_of(issuer.url).fetches == 1  # refresh rate-limited
    finally:
        await verifier.aclose()


async def test_while_the_issuer_is_down_cached_keys_work_until_they_expire(
    issuer: IssuerProcess,
) -> None:
    clock = Clock()
    settings = trust(issuer, jwks_cache_seconds=300, jwks_min_refresh_seconds=0)
    verifier = TokenVerifier(settings, clock=clock)
    claims = claims_for("lapas-padang-operator", issuer)
    try:
        await verifier.verify(signed(issuer, claims))
        assert issuer.stop()
        clock.now = 200.0  # within the cache lifetime
        principal = await verifier.verify(
            signed(issuer, claims_for("lapas-padang-operator", issuer))
        )
        assert principal.unit == "LAPAS-IIA-PADANG"
        issuer.keys.rotate()  # a key the verifier cannot fetch while the issuer is down
        with pytest.raises(TokenRefused) as unknown:
            await verifier.verify(signed(issuer, claims))
        assert unknown.value.reason is Refusal.UNKNOWN_KEY
        assert "unreachable" in unknown.value.detail
        clock.now = 301.0  # past the lifetime of the keys fetched at 0
        with pytest.raises(TokenRefused) as gone:
            await verifier.verify(signed(issuer, claims))
        assert gone.value.reason is Refusal.KEYS_UNAVAILABLE
        assert "unreachable" in gone.value.detail
        issuer.start()
        issuer.wait_ready()
        assert (
            await verifier.verify(signed(issuer, claims))
        ).unit == "LAPAS-IIA-PADANG"
    finally:
        await verifier.aclose()

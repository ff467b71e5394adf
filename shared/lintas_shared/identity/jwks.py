"""One issuer's signing keys: discovery, JWKS fetch, cache, rate-limited refresh.

A failed refresh never drops the keys already held (the trap of pyjwt #1162): they stay
usable until their cache lifetime, counted from the last successful fetch, runs out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from lintas_shared.identity.settings import TrustedIssuer
from lintas_shared.identity.tokens import KeyFetchError, Refusal, TokenRefused


@dataclass(frozen=True)
class SigningKey:
    """A public key from an issuer's key set, with what it declared about itself."""

    kid: str
    kty: str
    alg: str | None
    jwk: PyJWK


@dataclass(frozen=True)
class _Held:
    keys: dict[str, SigningKey]
    fetched_at: float


class IssuerKeys:
    """The key cache of one trusted issuer."""

    def __init__(
        self,
        trusted: TrustedIssuer,
        http: httpx.AsyncClient,
        *,
        lifetime: float,
        min_refresh: float,
        clock: Callable[[], float],
    ) -> None:
        self.trusted = trusted
        self._http = http
        self._lifetime = lifetime
        self._min_refresh = min_refresh
        self._clock = clock
        self._jwks_uri = trusted.jwks_url
        self._held: _Held | None = None
        self._last_attempt: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0  # successful key-set fetches, for metrics and tests
        self.last_error: str | None = None

    def cached(self, kid: str) -> SigningKey | None:
        """The key `kid` if held and not past its lifetime (no network)."""
        held = self._usable(self._clock())
        return held.keys.get(kid) if held else None

    async def key(self, kid: str) -> SigningKey:
        """The key `kid`, refreshing the set once if it is unknown or expired."""
        found = self.cached(kid)
        if found is not None:
            return found
        async with self._lock:  # one refresh at a time; waiters see its result
            found = self.cached(kid)
            if found is not None:
                return found
            now = self._clock()
            if self._may_refresh(now):
                await self._refresh(now)
            return self._after_refresh(kid)

    def _after_refresh(self, kid: str) -> SigningKey:
        now = self._clock()
        held = self._usable(now)
        if held is None:
            why = self.last_error or "refresh not yet allowed"
            raise TokenRefused(
                Refusal.KEYS_UNAVAILABLE,
                f"no usable keys of issuer {self.trusted.issuer}: {why}",
            )
        if kid in held.keys:
            return held.keys[kid]
        assert self._last_attempt is not None  # a usable set implies an attempt
        ago = now - self._last_attempt
        failed = (
            f"; the last refresh failed: {self.last_error}" if self.last_error else ""
        )
        raise TokenRefused(
            Refusal.UNKNOWN_KEY,
            f"key id '{kid}' is not in the key set of issuer {self.trusted.issuer} "
            f"(refreshed {ago:.0f}s ago{failed})",
        )

    def _usable(self, now: float) -> _Held | None:
        held = self._held
        if held is None or now - held.fetched_at >= self._lifetime:
            return None
        return held

    def _may_refresh(self, now: float) -> bool:
        last = self._last_attempt
        return last is None or now - last >= self._min_refresh

    async def _refresh(self, now: float) -> None:
        self._last_attempt = now
        try:
            keys = await self._fetch()
        except KeyFetchError as exc:
            self.last_error = str(exc)  # keep what is held: it may still be valid
            return
        self._held = _Held(keys, now)
        self.fetches += 1
        self.last_error = None

    async def _fetch(self) -> dict[str, SigningKey]:
        if self._jwks_uri is None:
            config = await self._get_json(self.trusted.discovery)
            if config.get("issuer") != self.trusted.issuer:
                raise KeyFetchError(
                    f"discovery names issuer {config.get('issuer')!r}, "
                    f"expected {self.trusted.issuer!r}"
                )
            uri = config.get("jwks_uri")
            if not isinstance(uri, str):
                raise KeyFetchError("discovery document has no jwks_uri")
            self._jwks_uri = uri
        return _parse_jwks(await self._get_json(self._jwks_uri))

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._http.get(url)
        except httpx.HTTPError as exc:
            raise KeyFetchError(f"{url} unreachable ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise KeyFetchError(f"{url} answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise KeyFetchError(f"{url} did not answer JSON") from exc
        if not isinstance(body, dict):
            raise KeyFetchError(f"{url} did not answer a JSON object")
        return body


def _parse_jwks(body: dict[str, Any]) -> dict[str, SigningKey]:
    keys: dict[str, SigningKey] = {}
    for data in body.get("keys") or ():
        if not isinstance(data, dict) or not data.get("kid"):
            continue  # a key without an id can never be chosen by a token
        if data.get("use", "sig") != "sig" or "d" in data:
            continue  # encryption keys, and never a private key
        kid = str(data["kid"])
        try:
            keys[kid] = SigningKey(
                kid, str(data.get("kty")), data.get("alg"), PyJWK(data)
            )
        except PyJWKError:
            continue  # a key type we do not support cannot verify anything
    if not keys:
        raise KeyFetchError("the key set holds no usable signing key")
    return keys

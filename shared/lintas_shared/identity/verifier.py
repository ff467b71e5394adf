"""Verify a bearer JWT against the trusted issuers and return the Principal it proves."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
from jwt import exceptions as jwt_errors

from lintas_shared.identity.jwks import IssuerKeys, SigningKey
from lintas_shared.identity.principal import (
    ClaimsError,
    Principal,
    principal_from_claims,
)
from lintas_shared.identity.settings import IdentitySettings, TrustedIssuer
from lintas_shared.identity.tokens import Refusal, TokenRefused

# Which key types can verify which algorithms; a key never verifies another family.
_KEY_TYPES = {"EdDSA": ("OKP",), "RS": ("RSA",), "PS": ("RSA",), "ES": ("EC",)}
_REQUIRED = ["exp", "iat", "iss", "aud", "sub"]


class TokenVerifier:
    """Checks signature, issuer, audience, times and claims; maps claims to a Principal."""

    def __init__(
        self,
        settings: IdentitySettings,
        *,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=settings.http_timeout_seconds)
        self._keys = {
            t.issuer: IssuerKeys(
                t,
                self._http,
                lifetime=settings.jwks_cache_seconds,
                min_refresh=settings.jwks_min_refresh_seconds,
                clock=clock,
            )
            for t in settings.trusted_issuers
        }

    def keys_of(self, issuer: str) -> IssuerKeys:
        """The key cache of a trusted issuer (for metrics and tests)."""
        return self._keys[issuer]

    async def aclose(self) -> None:
        """Close the HTTP client if this verifier made it."""
        if self._own_http:
            await self._http.aclose()

    async def verify(self, token: str) -> Principal:
        """The Principal `token` proves, or TokenRefused saying exactly why not."""
        header, unverified = _peek(token)
        alg = self._algorithm(header)
        trusted = self._trusted(unverified)
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRefused(Refusal.MALFORMED, "token header has no key id (kid)")
        key = await self._key(trusted, kid)
        _check_key_fits(key, alg, kid)
        claims = self._decode(token, key, alg, trusted, unverified)
        try:
            principal = principal_from_claims(claims, trusted.issuer)
        except ClaimsError as exc:
            reason = Refusal.MISSING_CLAIM if exc.missing else Refusal.INVALID_CLAIM
            raise TokenRefused(reason, str(exc)) from None
        if principal.agency not in trusted.agencies:
            speaks = ", ".join(sorted(trusted.agencies))
            raise TokenRefused(
                Refusal.AGENCY_NOT_VOUCHED,
                f"issuer {trusted.issuer} speaks for {speaks}, not {principal.agency}",
            )
        return principal

    def _algorithm(self, header: dict[str, Any]) -> str:
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none":
            raise TokenRefused(
                Refusal.ALGORITHM_NOT_ALLOWED,
                "unsigned token (alg 'none') is never accepted",
            )
        if alg not in self.settings.algorithms:
            allowed = ", ".join(sorted(self.settings.algorithms))
            raise TokenRefused(
                Refusal.ALGORITHM_NOT_ALLOWED,
                f"alg '{alg}' is not in the allow-list ({allowed})",
            )
        return alg

    def _trusted(self, unverified: dict[str, Any]) -> TrustedIssuer:
        iss = unverified.get("iss")
        if not isinstance(iss, str) or not iss:
            raise TokenRefused(Refusal.MISSING_CLAIM, "claim 'iss': is required")
        trusted = self.settings.issuer_for(iss)
        if trusted is None:
            raise TokenRefused(
                Refusal.UNTRUSTED_ISSUER, f"issuer '{iss}' is not a trusted issuer"
            )
        return trusted

    async def _key(self, trusted: TrustedIssuer, kid: str) -> SigningKey:
        try:
            return await self._keys[trusted.issuer].key(kid)
        except TokenRefused as refused:
            if refused.reason is not Refusal.UNKNOWN_KEY:
                raise
            # A key another trusted issuer holds: issuer A's token dressed as B's.
            owner = next(
                (
                    i
                    for i, k in self._keys.items()
                    if i != trusted.issuer and k.cached(kid)
                ),
                None,
            )
            if owner is None:
                raise
            raise TokenRefused(
                Refusal.ISSUER_MISMATCH,
                f"signed with a key of issuer {owner} but claims issuer {trusted.issuer}",
            ) from None

    def _decode(
        self,
        token: str,
        key: SigningKey,
        alg: str,
        trusted: TrustedIssuer,
        unverified: dict[str, Any],
    ) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                key.jwk.key,
                algorithms=[alg],
                audience=trusted.audience,
                issuer=trusted.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": _REQUIRED},
            )
        except jwt_errors.ExpiredSignatureError:
            when = _when(unverified.get("exp"))
            raise TokenRefused(Refusal.EXPIRED, f"token expired at {when}") from None
        except jwt_errors.ImmatureSignatureError as exc:
            claim = "iat" if "iat" in str(exc) else "nbf"
            when = _when(unverified.get(claim))
            raise TokenRefused(
                Refusal.NOT_YET_VALID, f"token not valid before {when} ({claim})"
            ) from None
        except jwt_errors.InvalidAudienceError:
            raise TokenRefused(
                Refusal.WRONG_AUDIENCE,
                f"audience {unverified.get('aud')!r} does not include "
                f"'{trusted.audience}'",
            ) from None
        except jwt_errors.InvalidIssuerError:
            raise TokenRefused(
                Refusal.WRONG_ISSUER, f"issuer is not {trusted.issuer}"
            ) from None
        except jwt_errors.InvalidSignatureError:
            raise TokenRefused(
                Refusal.BAD_SIGNATURE,
                f"signature does not verify with key '{key.kid}' of {trusted.issuer}",
            ) from None
        except jwt_errors.MissingRequiredClaimError as exc:
            raise TokenRefused(
                Refusal.MISSING_CLAIM, f"claim '{exc.claim}': is required"
            ) from None
        except jwt_errors.InvalidAlgorithmError as exc:
            raise TokenRefused(Refusal.ALGORITHM_NOT_ALLOWED, str(exc)) from None
        except jwt_errors.PyJWTError as exc:
            # iat not a number, sub not a string, a broken payload: the claims are wrong.
            raise TokenRefused(Refusal.INVALID_CLAIM, str(exc)) from None


def _peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims before verification: only to choose issuer and key.

    One parse for both (PyJWT's base64url check is most of a verification's cost, and
    the verifying decode parses the token once more).
    """
    try:
        parsed = jwt.decode_complete(token, options={"verify_signature": False})
    except jwt_errors.PyJWTError as exc:
        raise TokenRefused(Refusal.MALFORMED, f"not a signed JWT ({exc})") from None
    return parsed["header"], parsed["payload"]


def _check_key_fits(key: SigningKey, alg: str, kid: str) -> None:
    declared, kty = key.alg, key.kty
    family = "EdDSA" if alg == "EdDSA" else alg[:2]
    if (declared and declared != alg) or kty not in _KEY_TYPES.get(family, ()):
        raise TokenRefused(
            Refusal.ALGORITHM_NOT_ALLOWED,
            f"key '{kid}' ({kty}, {declared or 'no alg'}) cannot verify alg '{alg}'",
        )


def _when(value: Any) -> str:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
    return "an unreadable time"

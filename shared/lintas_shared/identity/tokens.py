"""Why a bearer token was refused: one precise reason per failure, safe to show the caller."""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    """The reasons a token is refused (slugs used in problem documents)."""

    MALFORMED = "malformed"
    ALGORITHM_NOT_ALLOWED = "algorithm-not-allowed"
    UNTRUSTED_ISSUER = "untrusted-issuer"
    ISSUER_MISMATCH = "issuer-mismatch"
    UNKNOWN_KEY = "unknown-key"
    KEYS_UNAVAILABLE = "keys-unavailable"
    BAD_SIGNATURE = "bad-signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    WRONG_ISSUER = "wrong-issuer"
    WRONG_AUDIENCE = "wrong-audience"
    MISSING_CLAIM = "missing-claim"
    INVALID_CLAIM = "invalid-claim"
    AGENCY_NOT_VOUCHED = "agency-not-vouched"


class TokenRefused(Exception):
    """A token did not verify; `reason` is the kind, `detail` says exactly what."""

    def __init__(self, reason: Refusal, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class KeyFetchError(Exception):
    """Discovery or the key set could not be fetched or made no sense."""

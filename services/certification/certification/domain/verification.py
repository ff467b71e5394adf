"""Certificate verification codes: an HMAC of the certificate number, 128 bits, base32.

The code is what a holder shows a verifier (an employer, a BLK) instead of the number:
numbers are sequential per series and can be listed, a code cannot be guessed. It is
derived, not drawn: the same key and number give the same code, so the certificates
table can be rebuilt from the streams and every printed code still verifies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

CODE_BITS = 128
CODE_LENGTH = 26  # ceil(128 / 5) base32 characters
# Domain separation: this key derives nothing else, and a v2 can change the scheme.
_LABEL = b"lintas/certificate-verification/v1\x00"
_SEPARATORS = re.compile(r"[\s-]+")
_CANONICAL = re.compile(rf"^[A-Z2-7]{{{CODE_LENGTH}}}$")
MIN_KEY_BYTES = 32


def verification_code(key: bytes, certificate_number: str) -> str:
    """The certificate's code: HMAC-SHA256(key, label || number), first 128 bits."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the verification key needs at least {MIN_KEY_BYTES} bytes")
    mac = hmac.new(key, _LABEL + certificate_number.encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[: CODE_BITS // 8]).decode().rstrip("=")


def canonical_code(text: str) -> str | None:
    """The code as stored (upper case, no spaces or hyphens); None if it cannot be one."""
    candidate = _SEPARATORS.sub("", text).upper()
    return candidate if _CANONICAL.match(candidate) else None

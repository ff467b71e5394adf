"""The issuer's Ed25519 signing keys, kept as PEM files in its run folder.

Every key in the folder is published in the JWKS; the newest signs. Rotating writes a new
file, so another process (a test, the token command) can rotate and the running issuer
serves the new key on its next request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALGORITHM = "EdDSA"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    """One private key and its RFC 7638 thumbprint as key id."""

    kid: str
    private: Ed25519PrivateKey

    @classmethod
    def of(cls, private: Ed25519PrivateKey) -> SigningKey:
        """Wrap a key, deriving its key id."""
        return cls(_thumbprint(private), private)

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK."""
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64(raw),
            "kid": self.kid,
            "use": "sig",
            "alg": ALGORITHM,
        }

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS of `claims` with this key."""
        return jwt.encode(
            claims, self.private, algorithm=ALGORITHM, headers={"kid": self.kid}
        )


def _thumbprint(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    members = {"crv": "Ed25519", "kty": "OKP", "x": _b64(raw)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return _b64(hashlib.sha256(canonical.encode()).digest())


class KeyStore:
    """The keys in `folder`: `signing-<ns>.pem`, newest last."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[str, SigningKey] = {}

    def keys(self) -> list[SigningKey]:
        """Every key in the folder, oldest first; creates the first one if none."""
        files = sorted(self.folder.glob("signing-*.pem"))
        if not files:
            return [self.rotate()]
        return [self._load(path) for path in files]

    def current(self) -> SigningKey:
        """The key that signs new tokens."""
        return self.keys()[-1]

    def jwks(self) -> dict[str, Any]:
        """The public key set."""
        return {"keys": [key.public_jwk() for key in self.keys()]}

    def rotate(self) -> SigningKey:
        """Generate a new key that signs from now on (old ones stay published)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = self.folder / f"signing-{time.time_ns():020d}.pem"
        partial = path.with_suffix(".tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        partial.rename(path)  # readers never see half a key
        return self._load(path)

    def retire(self, kid: str) -> None:
        """Remove a key from the set (it no longer verifies anything)."""
        for path in self.folder.glob("signing-*.pem"):
            if self._load(path).kid == kid:
                path.unlink()
                self._loaded.pop(path.name, None)

    def _load(self, path: Path) -> SigningKey:
        key = self._loaded.get(path.name)
        if key is None:
            private = serialization.load_pem_private_key(path.read_bytes(), None)
            if not isinstance(private, Ed25519PrivateKey):
                raise ValueError(f"{path} is not an Ed25519 key")
            key = self._loaded[path.name] = SigningKey.of(private)
        return key

"""Per-client secrets of the agency systems, generated into the issuer's run folder."""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path


class ClientSecrets:
    """`clients.json` (mode 0600): client id -> secret, created on first use."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "clients.json"

    def ensure(self, client_ids: Iterable[str]) -> dict[str, str]:
        """The secrets, generating one for every client that has none yet."""
        known = self.read()
        missing = [c for c in client_ids if c not in known]
        if missing:
            known.update({c: secrets.token_urlsafe(32) for c in missing})
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".tmp")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                json.dump(known, out, indent=2, sort_keys=True)
            partial.rename(self.path)
        return known

    def read(self) -> dict[str, str]:
        """The secrets on disk (empty if none yet)."""
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def check(self, client_id: str, secret: str) -> bool:
        """True if `secret` is `client_id`'s (constant-time comparison)."""
        expected = self.read().get(client_id)
        if expected is None:
            return False
        return hmac.compare_digest(expected.encode(), secret.encode())

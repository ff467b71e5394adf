"""Two real local issuers for a test session, and the tokens of the pilot's personas."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from lintas_deploy.issuer.config import AUDIENCE
from lintas_deploy.issuer.mint import access_token
from lintas_deploy.issuer.process import IssuerProcess
from lintas_deploy.issuer.token_command import choose
from lintas_deploy.personas import Persona, persona
from lintas_deploy.procs import free_ports
from lintas_deploy.trust import identity_env, identity_settings
from lintas_shared.identity import (
    Agency,
    IdentitySettings,
    Principal,
    TokenVerifier,
    principal_claims,
)

MINISTRIES = ("ditjenpas", "kemnaker")


def start_issuer(name: str, run_dir: Path, tries: int = 3) -> IssuerProcess:
    """A started, ready issuer on a free port (fresh ports if one was taken meanwhile)."""
    for attempt in range(1, tries + 1):
        (port,) = free_ports(1)
        issuer = IssuerProcess(name, run_dir, port)
        try:
            issuer.start()
            issuer.wait_ready()
            return issuer
        except RuntimeError:
            issuer.stop()
            if attempt == tries:
                raise
    raise AssertionError("unreachable")


@dataclass
class Identity:
    """The running issuers; tokens are signed with the key each issuer publishes."""

    issuers: dict[str, IssuerProcess]

    @property
    def urls(self) -> dict[str, str]:
        return {name: issuer.url for name, issuer in self.issuers.items()}

    def token_of(self, who: Persona, minutes: int = 30) -> str:
        """An access token for a persona, as its ministry's issuer would mint it."""
        issuer = self.issuers[who.ministry]
        return access_token(
            issuer.keys.current(),
            who,
            issuer=issuer.url,
            audience=AUDIENCE,
            seconds=minutes * 60,
            client_id=who.client_id or "lintas-tests",
        )

    def token_for(self, principal: Principal, minutes: int = 30) -> str:
        """A real token for any principal (a unit that has no persona, e.g. a test's
        own BLK), signed by the issuer of its ministry with the key it publishes."""
        ministry = "ditjenpas" if principal.agency is Agency.DITJENPAS else "kemnaker"
        issuer = self.issuers[ministry]
        now = int(time.time())
        claims = {
            **principal_claims(principal),
            "iss": issuer.url,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + minutes * 60,
            "jti": str(uuid.uuid4()),
        }
        return issuer.keys.current().sign(claims)

    def token(self, unit: str = "LAPAS-IIA-PADANG", role: str = "operator") -> str:
        """A token of the pilot persona holding `role` at `unit`."""
        return self.token_of(choose(unit, role))

    def persona_token(self, persona_id: str) -> str:
        """A token of the persona with this id (e.g. ``kemnaker-auditor``)."""
        return self.token_of(persona(persona_id))

    def headers(
        self, unit: str = "LAPAS-IIA-PADANG", role: str = "operator"
    ) -> dict[str, str]:
        """``Authorization: Bearer`` for the persona holding `role` at `unit`."""
        return {"Authorization": f"Bearer {self.token(unit, role)}"}

    def persona_headers(self, persona_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.persona_token(persona_id)}"}

    def settings(self) -> IdentitySettings:
        """Verifier settings trusting both issuers by discovery."""
        return identity_settings(self.urls)

    def verifier(self) -> TokenVerifier:
        """A fresh verifier trusting both issuers (close it with ``aclose``)."""
        return TokenVerifier(self.settings())

    def settings_env(self) -> dict[str, str]:
        """The LINTAS_IDENTITY_* environment for service processes."""
        return identity_env(self.urls)

    def stop(self) -> None:
        for issuer in self.issuers.values():
            issuer.stop()

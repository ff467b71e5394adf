"""The `token` command: a signed access token for a pilot persona, minted offline.

It signs with the local issuer's key from the run folder (the one the running issuer
publishes), so no HTTP round trip is needed and it works before the issuer starts.
"""

from __future__ import annotations

import json
from pathlib import Path

from lintas_deploy.issuer.config import AUDIENCE, ISSUERS, issuer_folder
from lintas_deploy.issuer.keys import KeyStore
from lintas_deploy.issuer.mint import access_token
from lintas_deploy.personas import PERSONAS, Persona, matching
from lintas_shared.identity.principal import Role


class NoSuchPersona(LookupError):
    """No single persona fits the unit and role asked for."""


def choose(unit: str, role: str, persona_id: str | None = None) -> Persona:
    """The one persona with `role` at `unit` (people first, then agency systems)."""
    try:
        wanted = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise NoSuchPersona(f"unknown role {role!r}; roles: {roles}") from None
    found = matching(unit, wanted) or matching(unit, wanted, clients=True)
    if persona_id is not None:
        found = [p for p in found if p.id == persona_id]
    if len(found) != 1:
        offered = "\n".join(
            f"  --unit {p.unit} --role {r}   ({p.id})"
            for p in PERSONAS
            for r in sorted(p.roles)
        )
        what = "no persona" if not found else "several personas (give --persona)"
        raise NoSuchPersona(f"{what} for {unit} / {role}; the pilot offers:\n{offered}")
    return found[0]


def issuer_url(run_dir: Path, ministry: str) -> str:
    """The URL the issuer last served on (written at its start), else its default."""
    meta = issuer_folder(run_dir, ministry) / "issuer.json"
    try:
        return str(json.loads(meta.read_text())["issuer"])
    except (OSError, ValueError, KeyError):
        return f"http://127.0.0.1:{ISSUERS[ministry].port}"


def mint_for(run_dir: Path, persona: Persona, minutes: int) -> str:
    """A token for `persona` signed by its ministry's local issuer key."""
    keys = KeyStore(issuer_folder(run_dir, persona.ministry) / "keys")
    return access_token(
        keys.current(),
        persona,
        issuer=issuer_url(run_dir, persona.ministry),
        audience=AUDIENCE,
        seconds=minutes * 60,
        client_id=persona.client_id or "lintas-cli",
    )

"""The local issuers (one per ministry), where they keep their keys, and their clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lintas_deploy.personas import PERSONAS, Persona
from lintas_shared.identity.principal import Agency

AUDIENCE = "lintas"
# The dashboard: a public client, so the authorization code needs PKCE (S256).
DASHBOARD_CLIENT = "lintas-dashboard"
# Where the dashboard runs: any loopback origin (its port is the reporting service's).
DASHBOARD_ORIGINS = r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?$"


@dataclass(frozen=True)
class IssuerSpec:
    """A local issuer's name, the agencies it speaks for and its default port."""

    name: str
    agencies: frozenset[Agency]
    port: int


ISSUERS = {
    "ditjenpas": IssuerSpec("ditjenpas", frozenset({Agency.DITJENPAS}), 8011),
    "kemnaker": IssuerSpec("kemnaker", frozenset({Agency.KEMNAKER, Agency.LSP}), 8012),
}


def issuer_folder(run_dir: Path, name: str) -> Path:
    """Where issuer `name` keeps its keys and client secrets."""
    return run_dir / "issuer" / name


@dataclass(frozen=True)
class IssuerConfig:
    """Everything one running issuer needs."""

    name: str
    url: str
    agencies: frozenset[Agency]
    folder: Path
    audience: str = AUDIENCE
    token_seconds: int = 900
    code_seconds: int = 60
    personas: tuple[Persona, ...] = field(default=())

    @classmethod
    def local(cls, name: str, run_dir: Path, port: int, **kw: int) -> IssuerConfig:
        """The config of local issuer `name` served on 127.0.0.1:`port`."""
        spec = ISSUERS[name]
        return cls(
            name=name,
            url=f"http://127.0.0.1:{port}",
            agencies=spec.agencies,
            folder=issuer_folder(run_dir, name),
            personas=tuple(p for p in PERSONAS if p.ministry == name),
            **kw,  # type: ignore[arg-type]
        )

    @property
    def people(self) -> tuple[Persona, ...]:
        """Personas that sign in through /authorize."""
        return tuple(p for p in self.personas if p.client_id is None)

    @property
    def systems(self) -> dict[str, Persona]:
        """Agency systems by client id (client credentials)."""
        return {p.client_id: p for p in self.personas if p.client_id}

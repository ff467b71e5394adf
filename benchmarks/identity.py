"""The run's local issuers, operators' tokens for the bench units, and verify/s in-process."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.reference import Unit
from lintas_deploy.issuer.config import AUDIENCE
from lintas_deploy.issuer.mint import access_token
from lintas_deploy.issuer.process import IssuerProcess
from lintas_deploy.personas import Persona
from lintas_deploy.procs import free_ports
from lintas_deploy.trust import identity_env, identity_settings
from lintas_shared.identity import Agency, Role, TokenVerifier, UnitKind

MINISTRIES = ("ditjenpas", "kemnaker")
TOKEN_SECONDS = 3 * 3600  # longer than any run: one token per unit, as a client caches


def operator(unit: Unit) -> Persona:
    """The operator of a bench Lapas or BLK (a role at a unit: subject from its code)."""
    lapas = unit.code.startswith("LAPAS")
    return Persona(
        id=f"bench-{unit.code.lower()}-operator",
        label=f"Operator, {unit.code}",
        ministry="ditjenpas" if lapas else "kemnaker",
        agency=Agency.DITJENPAS if lapas else Agency.KEMNAKER,
        unit=unit.code,
        unit_kind=UnitKind.LAPAS if lapas else UnitKind.BLK,
        roles=frozenset({Role.OPERATOR}),
        province=unit.province,
    )


def _start(name: str, run_dir: Path, tries: int = 3) -> IssuerProcess:
    # A free port can be taken between choosing and binding it: retry on fresh ports.
    for attempt in range(1, tries + 1):
        (port,) = free_ports(1)
        issuer = IssuerProcess(name, run_dir, port, token_seconds=TOKEN_SECONDS)
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
class BenchIdentity:
    """Both ministries' issuers of this run; tokens signed with the keys they publish."""

    issuers: dict[str, IssuerProcess] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # unit code -> token

    @classmethod
    def start(cls, run_dir: Path) -> BenchIdentity:
        started = cls()
        try:
            for name in MINISTRIES:
                started.issuers[name] = _start(name, run_dir)
        except BaseException:
            started.stop()
            raise
        return started

    @property
    def urls(self) -> dict[str, str]:
        return {name: issuer.url for name, issuer in self.issuers.items()}

    def env(self) -> dict[str, str]:
        """LINTAS_IDENTITY_* of a service trusting both issuers (by discovery)."""
        return identity_env(self.urls)

    def mint(self, unit: Unit) -> str:
        """A fresh access token of `unit`'s operator."""
        who = operator(unit)
        issuer = self.issuers[who.ministry]
        return access_token(
            issuer.keys.current(),
            who,
            issuer=issuer.url,
            audience=AUDIENCE,
            seconds=TOKEN_SECONDS,
            client_id="lintas-bench",
        )

    def headers(self, unit: Unit) -> dict[str, str]:
        """``Authorization: Bearer`` of `unit`'s operator (one token per unit)."""
        token = self.tokens.get(unit.code)
        if token is None:
            token = self.tokens[unit.code] = self.mint(unit)
        return {"Authorization": f"Bearer {token}"}

    def stop(self) -> None:
        for issuer in self.issuers.values():
            issuer.stop()
        self.issuers.clear()


async def verify_rate(
    identity: BenchIdentity, units: list[Unit], seconds: float = 3.0
) -> dict[str, float | int]:
    """`TokenVerifier.verify` per second over fresh tokens of `units`, one at a time.

    The verifier is the services' own (keys by discovery from the running issuers); its
    key cache is warmed first, as in a service past its first request, so what is timed
    is one verification: parse, signature, claims, principal.
    """
    tokens = [identity.mint(u) for u in units]
    verifier = TokenVerifier(identity_settings(identity.urls))
    try:
        for token in tokens[:2] + [identity.mint(u) for u in _one_per_ministry(units)]:
            await verifier.verify(token)  # fetches each issuer's keys once
        done, began = 0, time.perf_counter()
        while time.perf_counter() - began < seconds:
            for token in tokens:
                await verifier.verify(token)
            done += len(tokens)
            await asyncio.sleep(0)
        elapsed = time.perf_counter() - began
    finally:
        await verifier.aclose()
    return {
        "verified": done,
        "seconds": elapsed,
        "per_second": done / elapsed,
        "tokens": len(tokens),
    }


def _one_per_ministry(units: list[Unit]) -> list[Unit]:
    lapas = next((u for u in units if u.code.startswith("LAPAS")), None)
    blk = next((u for u in units if not u.code.startswith("LAPAS")), None)
    return [u for u in (lapas, blk) if u is not None]

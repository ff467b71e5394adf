"""Unit tests' stand-in for the token verifier: a token is the principal it names.

Only for infra-free unit tests; integration and e2e tests use real issuers' tokens.
"""

from __future__ import annotations

import uuid

from lintas_shared.identity import (
    Agency,
    IdentitySettings,
    Principal,
    PrincipalKind,
    Role,
    TokenRefused,
    TokenVerifier,
    UnitKind,
)
from lintas_shared.identity.tokens import Refusal

_PREFIX = "unit-test-principal:"
ISSUER = "http://issuer.unit-test"


class NamedPrincipalVerifier(TokenVerifier):
    """`verify` reads the principal back from a token made by `token_for`."""

    def __init__(self) -> None:
        super().__init__(IdentitySettings())

    async def verify(self, token: str) -> Principal:
        if not token.startswith(_PREFIX):
            raise TokenRefused(Refusal.MALFORMED, "not a unit-test token")
        return Principal.model_validate_json(token.removeprefix(_PREFIX))


def principal(
    unit: str,
    kind: UnitKind,
    *,
    role: Role = Role.OPERATOR,
    province: str | None = "Sumatera Barat",
) -> Principal:
    agency = {
        UnitKind.LAPAS: Agency.DITJENPAS,
        UnitKind.BLK: Agency.KEMNAKER,
    }.get(kind, Agency.KEMNAKER)
    return Principal(
        subject=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{unit}/{role}")),
        kind=PrincipalKind.PERSON,
        agency=agency,
        unit=unit,
        unit_kind=kind,
        province=province,
        roles=frozenset({role}),
        issuer=ISSUER,
    )


def token_for(who: Principal) -> str:
    return _PREFIX + who.model_dump_json()


def bearer(who: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(who)}"}


def lapas_operator(code: str) -> dict[str, str]:
    return bearer(principal(code, UnitKind.LAPAS))


def blk_operator(code: str) -> dict[str, str]:
    return bearer(principal(code, UnitKind.BLK))


def unit_token(unit: str) -> str:
    """The token of the operator of `unit` (a Lapas, else a BLK): the pilot's Tokens."""
    kind = UnitKind.LAPAS if unit.startswith(("LAPAS", "RUTAN")) else UnitKind.BLK
    return token_for(principal(unit, kind))

"""Who is acting: the verified principal and how a token's claims map onto it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lintas_shared.contracts.base import Kejuruan


class Agency(StrEnum):
    """The agencies Lintas knows; an issuer speaks for some of them."""

    DITJENPAS = "DITJENPAS"
    KEMNAKER = "KEMNAKER"
    LSP = "LSP"


class PrincipalKind(StrEnum):
    """A person signed in, or an agency system holding client credentials."""

    PERSON = "person"
    CLIENT = "client"


class UnitKind(StrEnum):
    """What kind of unit a principal belongs to; scopes follow from it."""

    LAPAS = "LAPAS"
    BLK = "BLK"
    KANWIL = "KANWIL"
    CENTRE = "CENTRE"
    LSP = "LSP"


class Role(StrEnum):
    """What a principal does at its unit."""

    OPERATOR = "operator"
    ASSESSOR = "assessor"
    ANALYST = "analyst"
    DATA_PROTECTION_OFFICER = "data_protection_officer"
    AUDITOR = "auditor"


# Which agencies a unit kind can belong to: a BLK is always Kemnaker's, and so on.
UNIT_AGENCIES: Mapping[UnitKind, frozenset[Agency]] = {
    UnitKind.LAPAS: frozenset({Agency.DITJENPAS}),
    UnitKind.BLK: frozenset({Agency.KEMNAKER}),
    UnitKind.KANWIL: frozenset({Agency.DITJENPAS, Agency.KEMNAKER}),
    UnitKind.CENTRE: frozenset({Agency.DITJENPAS, Agency.KEMNAKER}),
    UnitKind.LSP: frozenset({Agency.LSP}),
}

# Token claim names (besides the registered iss, sub, aud, exp, nbf, iat).
CLAIM_KIND = "principal_kind"
CLAIM_AGENCY = "agency"
CLAIM_UNIT = "unit"
CLAIM_UNIT_KIND = "unit_kind"
CLAIM_PROVINCE = "province"
CLAIM_ROLES = "roles"
CLAIM_KEJURUAN = "kejuruan"
REQUIRED_CLAIMS = (CLAIM_KIND, CLAIM_AGENCY, CLAIM_UNIT, CLAIM_UNIT_KIND, CLAIM_ROLES)

_NIP_LIKE = re.compile(r"^\d{18}$")


class Principal(BaseModel):
    """A verified identity: only built from a token whose signature and claims checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str = Field(
        min_length=1,
        max_length=255,
        description="Opaque subject id from the issuer; never a NIP or a name.",
    )
    kind: PrincipalKind = Field(description="Person or agency system (client).")
    agency: Agency = Field(description="Agency the principal acts for.")
    unit: str = Field(
        pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$",
        description="Unit code, e.g. LAPAS-IIA-PADANG, BPVP-PADANG, KEMNAKER-PUSAT.",
    )
    unit_kind: UnitKind = Field(description="Lapas, BLK, Kanwil, centre or LSP.")
    province: str | None = Field(
        default=None,
        min_length=2,
        max_length=100,
        description="Province of the unit; required for a Kanwil (its read scope).",
    )
    roles: frozenset[Role] = Field(min_length=1, description="Roles at the unit.")
    kejuruan: frozenset[Kejuruan] = Field(
        default=frozenset(),
        description="Trades an assessor is accredited for (assessors only).",
    )
    issuer: str = Field(min_length=1, description="The trusted issuer that vouched.")

    @model_validator(mode="after")
    def _consistent(self) -> Principal:
        if _NIP_LIKE.match(self.subject):
            raise ValueError("subject looks like a NIP; issuers must use opaque ids")
        if self.agency not in UNIT_AGENCIES[self.unit_kind]:
            raise ValueError(
                f"a {self.unit_kind} unit cannot belong to agency {self.agency}"
            )
        if self.unit_kind is UnitKind.KANWIL and not self.province:
            raise ValueError("a Kanwil principal needs its province")
        if Role.ASSESSOR in self.roles and not self.kejuruan:
            raise ValueError("an assessor needs at least one accredited kejuruan")
        if self.kejuruan and Role.ASSESSOR not in self.roles:
            raise ValueError("only assessors carry accredited kejuruan")
        return self

    def has(self, role: Role) -> bool:
        """True if the principal holds `role`."""
        return role in self.roles


class ClaimsError(ValueError):
    """The token's claims do not describe a valid principal; names the claim."""

    def __init__(self, claim: str, message: str, *, missing: bool = False) -> None:
        super().__init__(f"claim '{claim}': {message}")
        self.claim = claim
        self.message = message
        self.missing = missing


_FIELD_CLAIM = {
    "subject": "sub",
    "kind": CLAIM_KIND,
    "agency": CLAIM_AGENCY,
    "unit": CLAIM_UNIT,
    "unit_kind": CLAIM_UNIT_KIND,
    "province": CLAIM_PROVINCE,
    "roles": CLAIM_ROLES,
    "kejuruan": CLAIM_KEJURUAN,
}


def principal_from_claims(claims: Mapping[str, Any], issuer: str) -> Principal:
    """Map verified token claims onto a Principal, or raise ClaimsError naming the claim."""
    for claim in ("sub", *REQUIRED_CLAIMS):
        if claims.get(claim) in (None, "", []):
            raise ClaimsError(claim, "is required", missing=True)
    for claim in (CLAIM_ROLES, CLAIM_KEJURUAN):
        if claim in claims and not isinstance(claims[claim], list):
            raise ClaimsError(claim, "must be a list of strings")
    try:
        return Principal(
            subject=claims["sub"],
            kind=claims[CLAIM_KIND],
            agency=claims[CLAIM_AGENCY],
            unit=claims[CLAIM_UNIT],
            unit_kind=claims[CLAIM_UNIT_KIND],
            province=claims.get(CLAIM_PROVINCE),
            roles=frozenset(claims[CLAIM_ROLES]),
            kejuruan=frozenset(claims.get(CLAIM_KEJURUAN) or ()),
            issuer=issuer,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "claims"
        message = first["msg"].removeprefix("Value error, ")
        raise ClaimsError(_FIELD_CLAIM.get(field, field), message) from None


def principal_claims(principal: Principal) -> dict[str, Any]:
    """The claims an issuer puts in a token for `principal` (inverse of the mapping)."""
    claims: dict[str, Any] = {
        "sub": principal.subject,
        CLAIM_KIND: principal.kind.value,
        CLAIM_AGENCY: principal.agency.value,
        CLAIM_UNIT: principal.unit,
        CLAIM_UNIT_KIND: principal.unit_kind.value,
        CLAIM_ROLES: sorted(r.value for r in principal.roles),
    }
    if principal.province:
        claims[CLAIM_PROVINCE] = principal.province
    if principal.kejuruan:
        claims[CLAIM_KEJURUAN] = sorted(k.value for k in principal.kejuruan)
    return claims

"""Token claims <-> Principal: what is required, what is refused, and the round trip."""

from __future__ import annotations

from typing import Any

import pytest

from lintas_deploy.personas import PERSONAS, Persona
from lintas_shared.identity import principal_claims, principal_from_claims
from lintas_shared.identity.principal import ClaimsError, PrincipalKind, Role, UnitKind

pytestmark = pytest.mark.unit

ISS = "http://issuer.test"


def _claims(**changes: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": "0b7c6f0e-2f57-4a0e-9b8e-3c1d2e3f4a5b",
        "principal_kind": "person",
        "agency": "DITJENPAS",
        "unit": "LAPAS-IIA-PADANG",
        "unit_kind": "LAPAS",
        "province": "Sumatera Barat",
        "roles": ["operator"],
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def test_claims_of_a_lapas_operator_map_onto_its_principal() -> None:
    p = principal_from_claims(_claims(), ISS)
    assert (p.kind, p.agency, p.unit, p.unit_kind) == (
        PrincipalKind.PERSON,
        "DITJENPAS",
        "LAPAS-IIA-PADANG",
        UnitKind.LAPAS,
    )
    assert p.roles == {Role.OPERATOR} and p.issuer == ISS and not p.kejuruan


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_every_persona_survives_the_claims_round_trip(persona: Persona) -> None:
    principal = persona.principal(ISS)
    assert principal_from_claims(principal_claims(principal), ISS) == principal


@pytest.mark.parametrize(
    "claim", ["sub", "principal_kind", "agency", "unit", "unit_kind", "roles"]
)
def test_a_missing_claim_is_named(claim: str) -> None:
    with pytest.raises(ClaimsError) as err:
        principal_from_claims(_claims(**{claim: None}), ISS)
    assert err.value.claim == claim and err.value.missing


@pytest.mark.parametrize(
    ("changes", "claim", "words"),
    [
        ({"agency": "HACKER"}, "agency", "DITJENPAS"),
        ({"unit": "lapas padang"}, "unit", "pattern"),
        ({"roles": ["root"]}, "roles", "operator"),
        ({"roles": "operator"}, "roles", "list"),
        ({"unit_kind": "BLK"}, "claims", "cannot belong to agency DITJENPAS"),
        ({"sub": "198703152010121002"}, "claims", "looks like a NIP"),
        ({"unit_kind": "KANWIL", "province": None}, "claims", "province"),
        (
            {"roles": ["assessor"], "agency": "LSP", "unit_kind": "LSP"},
            "claims",
            "kejuruan",
        ),
        ({"kejuruan": ["TEKNIK_LAS"]}, "claims", "only assessors"),
        (
            {
                "kejuruan": ["ASTROLOGI"],
                "roles": ["assessor"],
                "agency": "LSP",
                "unit_kind": "LSP",
            },
            "kejuruan",
            "MEUBEL",
        ),
    ],
)
def test_claims_that_describe_no_valid_principal_are_refused(
    changes: dict[str, Any], claim: str, words: str
) -> None:
    with pytest.raises(ClaimsError) as err:
        principal_from_claims(_claims(**changes), ISS)
    assert err.value.claim == claim and not err.value.missing
    assert words in err.value.message

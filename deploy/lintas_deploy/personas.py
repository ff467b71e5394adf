"""The pilot's sign-in personas and agency systems, as data next to the pilot's units.

Each persona is a role at a unit, never a person: its subject is a UUID derived from the
persona id, so no name or NIP reaches a token. `ministry` names the local issuer that
vouches for it (one per ministry; the Kemnaker one also speaks for the LSPs).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lintas_deploy.pilot_data import BLK, LAPAS_BUKITTINGGI, LAPAS_PADANG
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.identity.principal import (
    Agency,
    Principal,
    PrincipalKind,
    Role,
    UnitKind,
)

_NAMESPACE = uuid.UUID("6b1f3c1e-9a4d-4f0e-8d7e-1a2b3c4d5e6f")
SUMBAR = "Sumatera Barat"
KANWIL_SUMBAR = "KANWIL-DITJENPAS-SUMBAR"
DITJENPAS_CENTRE = "DITJENPAS-PUSAT"
KEMNAKER_CENTRE = "KEMNAKER-PUSAT"
LSP_PADANG = "LSP-P2-BPVP-PADANG"


@dataclass(frozen=True)
class Persona:
    """A role at a unit that can sign in (person) or hold client credentials (system)."""

    id: str
    label: str
    ministry: str
    agency: Agency
    unit: str
    unit_kind: UnitKind
    roles: frozenset[Role]
    province: str | None = None
    kejuruan: frozenset[Kejuruan] = frozenset()
    client_id: str | None = None  # set for agency systems (client credentials)

    @property
    def subject(self) -> str:
        """The opaque, stable subject id of this persona."""
        return str(uuid.uuid5(_NAMESPACE, self.id))

    def principal(self, issuer: str) -> Principal:
        """The principal a token for this persona proves."""
        kind = PrincipalKind.CLIENT if self.client_id else PrincipalKind.PERSON
        return Principal(
            subject=self.subject,
            kind=kind,
            agency=self.agency,
            unit=self.unit,
            unit_kind=self.unit_kind,
            province=self.province,
            roles=self.roles,
            kejuruan=self.kejuruan,
            issuer=issuer,
        )


def _r(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


OP, ANALYST, DPO, AUDITOR = (
    Role.OPERATOR,
    Role.ANALYST,
    Role.DATA_PROTECTION_OFFICER,
    Role.AUDITOR,
)
_DJP, _KMN = Agency.DITJENPAS, Agency.KEMNAKER
_LAPAS, _BLK, _CENTRE = UnitKind.LAPAS, UnitKind.BLK, UnitKind.CENTRE

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "lapas-padang-operator",
        "Operator, Lapas Kelas IIA Padang",
        "ditjenpas",
        _DJP,
        LAPAS_PADANG["code"],
        _LAPAS,
        _r(OP),
        SUMBAR,
    ),
    Persona(
        "lapas-bukittinggi-operator",
        "Operator, Lapas Kelas IIA Bukittinggi",
        "ditjenpas",
        _DJP,
        LAPAS_BUKITTINGGI["code"],
        _LAPAS,
        _r(OP),
        SUMBAR,
    ),
    Persona(
        "bpvp-padang-operator",
        "Operator, BPVP Padang",
        "kemnaker",
        _KMN,
        BLK["code"],
        _BLK,
        _r(OP),
        SUMBAR,
    ),
    Persona(
        "lsp-assessor",
        "Asesor, LSP P2 BPVP Padang (las, meubel, barista)",
        "kemnaker",
        Agency.LSP,
        LSP_PADANG,
        UnitKind.LSP,
        _r(Role.ASSESSOR),
        SUMBAR,
        frozenset({Kejuruan.TEKNIK_LAS, Kejuruan.MEUBEL, Kejuruan.BARISTA}),
    ),
    Persona(
        "kemnaker-centre-operator",
        "Operator, Kemnaker pusat",
        "kemnaker",
        _KMN,
        KEMNAKER_CENTRE,
        _CENTRE,
        _r(OP),
    ),
    Persona(
        "kanwil-sumbar-analyst",
        "Analis, Kanwil Ditjenpas Sumatera Barat",
        "ditjenpas",
        _DJP,
        KANWIL_SUMBAR,
        UnitKind.KANWIL,
        _r(ANALYST),
        SUMBAR,
    ),
    Persona(
        "ditjenpas-centre-analyst",
        "Analis, Ditjenpas pusat",
        "ditjenpas",
        _DJP,
        DITJENPAS_CENTRE,
        _CENTRE,
        _r(ANALYST),
    ),
    Persona(
        "ditjenpas-dpo",
        "Pejabat pelindungan data, Ditjenpas",
        "ditjenpas",
        _DJP,
        DITJENPAS_CENTRE,
        _CENTRE,
        _r(DPO),
    ),
    Persona(
        "kemnaker-dpo",
        "Pejabat pelindungan data, Kemnaker",
        "kemnaker",
        _KMN,
        KEMNAKER_CENTRE,
        _CENTRE,
        _r(DPO),
    ),
    Persona(
        "ditjenpas-auditor",
        "Auditor, Ditjenpas",
        "ditjenpas",
        _DJP,
        DITJENPAS_CENTRE,
        _CENTRE,
        _r(AUDITOR),
    ),
    Persona(
        "kemnaker-auditor",
        "Auditor, Kemnaker",
        "kemnaker",
        _KMN,
        KEMNAKER_CENTRE,
        _CENTRE,
        _r(AUDITOR),
    ),
    Persona(
        "sdp-lapas-padang",
        "Sistem Database Pemasyarakatan, Lapas Padang (client)",
        "ditjenpas",
        _DJP,
        LAPAS_PADANG["code"],
        _LAPAS,
        _r(OP),
        SUMBAR,
        client_id="sdp-lapas-iia-padang",
    ),
    Persona(
        "training-system-bpvp-padang",
        "Sistem pelatihan Kemnaker, BPVP Padang (client)",
        "kemnaker",
        _KMN,
        BLK["code"],
        _BLK,
        _r(OP),
        SUMBAR,
        client_id="pelatihan-bpvp-padang",
    ),
)


def persona(persona_id: str) -> Persona:
    """The persona with this id (KeyError if none)."""
    for p in PERSONAS:
        if p.id == persona_id:
            return p
    raise KeyError(persona_id)


def matching(unit: str, role: Role, *, clients: bool = False) -> list[Persona]:
    """The personas (people, or systems if `clients`) holding `role` at `unit`."""
    return [
        p
        for p in PERSONAS
        if p.unit == unit and role in p.roles and (p.client_id is not None) == clients
    ]

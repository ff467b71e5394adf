"""Builders for enrollment tests: fictitious valid NIPs, units, command bodies, a harness."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from enrollment.application.context import Context, EnrollmentPolicy
from enrollment.application.enrol_officer import EnrolOfficer
from enrollment.application.open_package import OpenTrainingPackage
from enrollment.application.sign_agreement import SignAgreement
from enrollment.domain.events import EVENT_TYPES
from lintas_shared.contracts.base import Kejuruan, Track
from lintas_shared.contracts.units import UnitRef
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import InMemoryEventStore
from tests.unit.enrollment.memory_audit import MemoryAudit
from tests.unit.enrollment.memory_queries import MemoryQueries

TODAY = date(2026, 11, 28)


def nip(rng: random.Random | None = None, *, gender: str | None = None) -> str:
    """A fictitious NIP that passes every rule: born 1965-2000, appointed at 19-40."""
    rng = rng or random.Random()
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 35 * 365))
    year = min(birth.year + rng.randint(19, 40), 2024)
    month = rng.randint(1, 12)
    sex = gender or rng.choice("12")
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{sex}{rng.randint(1, 999):03d}"


def unit_code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


def lapas(code: str | None = None) -> UnitRef:
    return UnitRef(
        code=code or unit_code("LAPAS"),
        name="Lapas Kelas IIA Padang",
        province="Sumatera Barat",
    )


def blk(code: str | None = None) -> UnitRef:
    return UnitRef(
        code=code or unit_code("BPVP"), name="BPVP Padang", province="Sumatera Barat"
    )


def metadata(unit: str = "BPVP-PADANG", agency: str = "KEMNAKER") -> EventMetadata:
    return EventMetadata(actor_agency=agency, actor_unit=unit)


def sign_agreement(
    lapas_ref: UnitRef, blk_ref: UnitRef, **overrides: Any
) -> SignAgreement:
    fields: dict[str, Any] = {
        "number": f"PKS/{uuid.uuid4().hex[:6]}/2026",
        "lapas": lapas_ref,
        "blk": blk_ref,
        "kejuruan": [Kejuruan.TEKNIK_LAS, Kejuruan.BARISTA, Kejuruan.MEUBEL],
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2028, 12, 31),
    }
    return SignAgreement(**(fields | overrides))


def open_package(blk_ref: UnitRef, **overrides: Any) -> OpenTrainingPackage:
    fields: dict[str, Any] = {
        "code": f"LAS-{uuid.uuid4().hex[:6].upper()}",
        "title": "Teknik Las SMAW + metodologi",
        "blk": blk_ref,
        "kejuruan": Kejuruan.TEKNIK_LAS,
        "track": Track.INSTRUCTOR,
        "start_date": date(2027, 1, 11),
        "end_date": date(2027, 3, 12),
        "jp_technical": 240,
        "jp_methodology": 80,
        "seats": 16,
        "skkni_units": ["C.25LAS01.001.1", "C.25LAS01.002.1"],
    }
    return OpenTrainingPackage(**(fields | overrides))


def enrol(package_id: uuid.UUID, lapas_code: str, **overrides: Any) -> EnrolOfficer:
    fields: dict[str, Any] = {
        "package_id": package_id,
        "nip": nip(),
        "name": "Andi Saputra",
        "position": "Petugas Pengamanan",
        "lapas_code": lapas_code,
    }
    return EnrolOfficer(**(fields | overrides))


@dataclass
class Harness:
    """An in-memory store, queries and a clock that tests can move."""

    today: date = TODAY
    policy: EnrollmentPolicy = field(default_factory=EnrollmentPolicy)
    store: InMemoryEventStore = field(default_factory=InMemoryEventStore)
    audit: MemoryAudit = field(default_factory=MemoryAudit)

    def __post_init__(self) -> None:
        self.queries = MemoryQueries(self.store)

    def now(self) -> datetime:
        # 03:00 UTC is 10:00 WIB: the same calendar day in Jakarta.
        return datetime.combine(self.today, datetime.min.time(), UTC) + timedelta(
            hours=3
        )

    @property
    def ctx(self) -> Context:
        return Context(
            self.store, self.queries, self.policy, self.now, audit=self.audit
        )

    async def events(self) -> list[str]:
        """Types of every event stored, in order."""
        return [e.type for e in await self.store.read_by_type(EVENT_TYPES)]


@dataclass(frozen=True)
class Scene:
    """A Lapas and a BLK joined by an agreement, and one open package at the BLK."""

    lapas: UnitRef
    blk: UnitRef
    agreement_id: uuid.UUID
    package_id: uuid.UUID


async def scene(
    h: Harness, agreement: dict[str, Any] | None = None, **package: Any
) -> Scene:
    from enrollment.application.countersign_agreement import (
        CountersignAgreement,
    )
    from enrollment.application.countersign_agreement import (
        countersign_agreement as countersign_uc,
    )
    from enrollment.application.open_package import open_package as open_uc
    from enrollment.application.sign_agreement import sign_agreement as sign_uc

    lapas_ref, blk_ref = lapas(), blk()
    signed = await sign_uc(
        h.ctx, sign_agreement(lapas_ref, blk_ref, **(agreement or {})), metadata(), None
    )
    # The Lapas countersigns: the agreement is in force once both parties signed.
    await countersign_uc(
        h.ctx,
        CountersignAgreement(agreement_id=uuid.UUID(signed.response["agreement_id"])),
        metadata(lapas_ref.code, "DITJENPAS"),
        None,
    )
    opened = await open_uc(h.ctx, open_package(blk_ref, **package), metadata(), None)
    return Scene(
        lapas_ref,
        blk_ref,
        uuid.UUID(signed.response["agreement_id"]),
        uuid.UUID(opened.response["package_id"]),
    )

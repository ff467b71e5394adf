"""Builders for certification tests: fictitious officers, Padang units, enrollment events."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from certification.domain.enrollment import EnrollmentFacts
from lintas_shared.contracts import Kejuruan, Track, UnitRef
from lintas_shared.contracts.enrollment import OfficerEnrolled, OfficerRef

BLK_PADANG = UnitRef(code="BPVP-PADANG", name="BPVP Padang", province="Sumatera Barat")
LAPAS_PADANG = UnitRef(
    code="LAPAS-IIA-PADANG", name="Lapas Kelas IIA Padang", province="Sumatera Barat"
)
START = date(2026, 3, 2)
END = date(2026, 4, 30)
TODAY = date(2026, 6, 15)
NAMES = (
    "Rahmat Hidayat",
    "Siti Nurhaliza",
    "Andi Saputra",
    "Dewi Lestari",
    "Fajar Pratama",
)


def random_nip() -> str:
    """A valid-looking, fictitious NIP: birth date, appointment month, gender, sequence."""
    born = date(1975, 1, 1) + timedelta(days=random.randrange(0, 20 * 365))
    appointed = born.replace(day=1) + timedelta(
        days=random.randrange(19 * 366, 28 * 366)
    )
    return f"{born:%Y%m%d}{appointed:%Y%m}{random.choice('12')}{random.randrange(1, 1000):03d}"


def officer_enrolled(
    *,
    track: Track = Track.INSTRUCTOR,
    kejuruan: Kejuruan = Kejuruan.MEUBEL,
    nip: str | None = None,
    enrollment_id: UUID | None = None,
    package_id: UUID | None = None,
    start_date: date = START,
    end_date: date = END,
    jp_total: int = 320,
) -> OfficerEnrolled:
    return OfficerEnrolled(
        enrollment_id=enrollment_id or uuid4(),
        package_id=package_id or uuid4(),
        package_code=f"PDG-{kejuruan.value[:6]}-{random.randrange(100, 999)}",
        kejuruan=kejuruan,
        track=track,
        blk=BLK_PADANG,
        lapas=LAPAS_PADANG,
        agreement_id=uuid4(),
        officer=OfficerRef(
            nip=nip or random_nip(),
            name=random.choice(NAMES),
            position="Petugas Pengamanan",
        ),
        start_date=start_date,
        end_date=end_date,
        jp_total=jp_total,
        enrolled_at=datetime.combine(start_date, datetime.min.time(), UTC)
        - timedelta(days=14),
    )


def facts_of(
    enrolled: OfficerEnrolled, *, withdrawn: bool = False, cancelled: bool = False
) -> EnrollmentFacts:
    return EnrollmentFacts(
        enrollment_id=enrolled.enrollment_id,
        package_id=enrolled.package_id,
        nip=enrolled.officer.nip,
        officer_name=enrolled.officer.name,
        kejuruan=enrolled.kejuruan,
        track=enrolled.track,
        blk=enrolled.blk,
        lapas=enrolled.lapas,
        start_date=enrolled.start_date,
        end_date=enrolled.end_date,
        jp_total=enrolled.jp_total,
        withdrawn=withdrawn,
        package_cancelled=cancelled,
    )

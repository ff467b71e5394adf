"""The Padang pilot as data: BPVP Padang, two Lapas, their agreements, nine packages, officers.

Names of institutions are real; people are fictitious and their NIPs are generated from a
fixed seed (valid in form, not anybody's). Dates tell the 2026/27 programme year as seen
on 2026-11-28: four packages have finished, two are running, three start in 2027. Officers
of packages that started before Lintas went live were enrolled on paper; the loader
records those enrollments with the day they were made (``enrolled_on``, two weeks before
the start), which the service accepts inside its backdate window (366 days by default).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

UNIT = dict[str, str]

BLK: UNIT = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
LAPAS_PADANG: UNIT = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}
LAPAS_BUKITTINGGI: UNIT = {
    "code": "LAPAS-IIA-BUKITTINGGI",
    "name": "Lapas Kelas IIA Bukittinggi",
    "province": "Sumatera Barat",
}
LAPAS = {u["code"]: u for u in (LAPAS_PADANG, LAPAS_BUKITTINGGI)}

# Paper enrollments were made this long before the package started.
PAPER_LEAD = timedelta(days=14)


@dataclass(frozen=True)
class Agreement:
    number: str
    lapas: UNIT
    kejuruan: tuple[str, ...]
    valid_from: date
    valid_until: date
    signed_by: str  # the Lapas or BLK code that records it


@dataclass(frozen=True)
class Package:
    code: str
    title: str
    kejuruan: str
    track: str
    start_date: date
    end_date: date
    jp_technical: int
    jp_methodology: int
    skkni_units: tuple[str, ...]
    seats: int = 16


@dataclass(frozen=True)
class Officer:
    nip: str
    name: str
    position: str
    lapas_code: str


@dataclass(frozen=True)
class Enrollment:
    package_code: str
    officer: Officer
    withdrawn_because: str | None = None


AGREEMENTS = (
    Agreement(
        number="PAS.UM.01.01-118/BPVP-PDG/2026",
        lapas=LAPAS_PADANG,
        kejuruan=(
            "MEUBEL",
            "TEKNIK_LAS",
            "BARISTA",
            "PROCESSING",
            "TATA_KECANTIKAN",
            "FASHION_TECHNOLOGY",
            "TEKNIK_OTOMOTIF",
            "TEKNIK_LISTRIK",
            "TIK",
        ),
        valid_from=date(2026, 1, 2),
        valid_until=date(2028, 12, 31),
        signed_by="BPVP-PADANG",
    ),
    Agreement(
        number="W3.PAS.4-PK.01.05-77/2026",
        lapas=LAPAS_BUKITTINGGI,
        kejuruan=("MEUBEL", "TEKNIK_LAS", "BARISTA", "TEKNIK_OTOMOTIF"),
        valid_from=date(2026, 6, 1),
        valid_until=date(2027, 12, 31),
        signed_by="LAPAS-IIA-BUKITTINGGI",
    ),
)

# SKKNI codes follow the published forms; the exact unit numbers are illustrative.
PACKAGES = (
    Package(
        "PDG-2026-MBL-01",
        "Meubel kayu + metodologi pelatihan (jalur instruktur)",
        "MEUBEL",
        "INSTRUCTOR",
        date(2026, 7, 6),
        date(2026, 8, 28),
        240,
        80,
        ("C.16MBL00.001.1", "C.16MBL00.004.1", "C.16MBL00.009.1"),
    ),
    Package(
        "PDG-2026-LAS-01",
        "Pengelasan SMAW + metodologi pelatihan (jalur instruktur)",
        "TEKNIK_LAS",
        "INSTRUCTOR",
        date(2026, 9, 7),
        date(2026, 10, 30),
        240,
        80,
        ("C.25LAS01.001.1", "C.25LAS01.002.1", "C.25LAS02.011.1"),
    ),
    Package(
        "PDG-2026-BRS-01",
        "Barista + metodologi pelatihan (jalur instruktur)",
        "BARISTA",
        "INSTRUCTOR",
        date(2026, 10, 19),
        date(2026, 12, 11),
        240,
        80,
        ("I.563030.001.01", "I.563030.006.01", "I.563030.010.01"),
    ),
    Package(
        "PDG-2026-BKR-01",
        "Bakery (roti dan kue)",
        "PROCESSING",
        "RESKILLING",
        date(2026, 8, 3),
        date(2026, 9, 25),
        240,
        0,
        ("C.10PRC00.002.1",),
    ),
    Package(
        "PDG-2026-BRB-01",
        "Barbershop",
        "TATA_KECANTIKAN",
        "RESKILLING",
        date(2026, 9, 14),
        date(2026, 11, 6),
        240,
        0,
        ("S.96TKC00.021.1",),
    ),
    Package(
        "PDG-2026-GMT-01",
        "Menjahit pakaian (garmen)",
        "FASHION_TECHNOLOGY",
        "RESKILLING",
        date(2026, 11, 2),
        date(2026, 12, 24),
        240,
        0,
        ("C.14FSH00.003.1",),
    ),
    Package(
        "PDG-2027-OTO-01",
        "Servis sepeda motor injeksi",
        "TEKNIK_OTOMOTIF",
        "RESKILLING",
        date(2027, 1, 11),
        date(2027, 2, 19),
        160,
        0,
        ("G.45OTO01.005.1",),
    ),
    Package(
        "PDG-2027-LST-01",
        "Instalasi listrik bangunan sederhana",
        "TEKNIK_LISTRIK",
        "RESKILLING",
        date(2027, 2, 1),
        date(2027, 3, 26),
        240,
        0,
        ("F.43LST01.001.1",),
    ),
    Package(
        "PDG-2027-DKV-01",
        "Desain grafis",
        "TIK",
        "RESKILLING",
        date(2027, 3, 8),
        date(2027, 4, 16),
        160,
        0,
        ("M.74DGR00.002.1",),
    ),
)

_MEN = (
    "Andi Saputra",
    "Rizky Pratama",
    "Fajar Hidayat",
    "Dedi Kurniawan",
    "Rahmat Syahputra",
    "Yusuf Maulana",
    "Hendra Gunawan",
    "Arif Rahman",
    "Ilham Fauzi",
    "Bayu Nugroho",
    "Zulkifli Ahmad",
    "Irwan Setiawan",
    "Doni Firmansyah",
    "Eko Prasetyo",
    "Rudi Hartono",
    "Syaiful Bahri",
    "Teguh Wibowo",
    "Afdal Yendri",
    "Roni Chaniago",
    "Febri Koto",
    "Hafiz Piliang",
    "Randi Tanjung",
    "Alfi Syukri",
    "Gusri Jambak",
    "Yogi Sikumbang",
    "Reza Caniago",
    "Ikhsan Malik",
    "Wahyu Dirgantara",
    "Fikri Anwar",
    "Budi Santoso",
)
_WOMEN = (
    "Rina Marlina",
    "Siti Rahmawati",
    "Dewi Lestari",
    "Yuliana Putri",
    "Nurul Hasanah",
    "Fitri Handayani",
    "Mega Sari",
    "Rahmi Yanti",
    "Novi Andriani",
    "Wulan Septiani",
    "Desi Ratnasari",
    "Yessi Elvira",
    "Lusi Oktavia",
    "Vivi Zulfiani",
    "Ratna Dewita",
)
_POSITIONS = (
    "Pengelola Kegiatan Kerja",
    "Pembina Keamanan Pemasyarakatan",
    "Analis Pembinaan Narapidana",
    "Petugas Bimbingan Kerja",
    "Penjaga Tahanan",
    "Pengadministrasi Registrasi",
)

# (package code, officers from Lapas Padang, officers from Lapas Bukittinggi)
_PLAN = (
    ("PDG-2026-MBL-01", 7, 3),
    ("PDG-2026-LAS-01", 7, 3),
    ("PDG-2026-BRS-01", 6, 3),
    ("PDG-2026-BKR-01", 5, 0),
    ("PDG-2026-BRB-01", 4, 0),
    ("PDG-2026-GMT-01", 5, 0),
    ("PDG-2027-OTO-01", 3, 3),
    ("PDG-2027-LST-01", 4, 0),
    ("PDG-2027-DKV-01", 5, 0),
)


def _nip(rng: random.Random, gender: str) -> str:
    """A valid-looking fictitious NIP: born 1975-1998, appointed 21-30 years later."""
    birth = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 24 * 365))
    year = min(birth.year + rng.randint(21, 30), 2023)
    return f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{gender}{rng.randint(1, 999):03d}"


def _officers() -> list[Officer]:
    rng = random.Random(20261128)
    people = [(n, "1") for n in _MEN] + [(n, "2") for n in _WOMEN]
    rng.shuffle(people)
    officers: list[Officer] = []
    seen: set[str] = set()
    needed = sum(p + b for _, p, b in _PLAN)
    for index, (name, gender) in enumerate(people * 2):
        if len(officers) == needed:
            break
        nip = _nip(rng, gender)
        if nip in seen:
            continue
        seen.add(nip)
        # The second time round a name gets an initial, as colleagues would write it.
        full = name if index < len(people) else f"{name} {chr(65 + index % 26)}."
        lapas = LAPAS_PADANG["code"]
        officers.append(Officer(nip, full, rng.choice(_POSITIONS), lapas))
    return officers


def _enrollments() -> list[Enrollment]:
    pool = _officers()
    padang = iter(pool)
    enrollments: list[Enrollment] = []
    for code, from_padang, from_bukittinggi in _PLAN:
        for _ in range(from_padang):
            enrollments.append(Enrollment(code, next(padang)))
        for _ in range(from_bukittinggi):
            o = next(padang)
            moved = Officer(o.nip, o.name, o.position, LAPAS_BUKITTINGGI["code"])
            enrollments.append(Enrollment(code, moved))
    # Two Padang officers who finished furniture in August also join the motorcycle class
    # in January (no overlap); one garment trainee was transferred and withdrawn.
    furniture = [e.officer for e in enrollments if e.package_code == "PDG-2026-MBL-01"]
    enrollments += [Enrollment("PDG-2027-OTO-01", o) for o in furniture[:2]]
    first_garment = next(
        i for i, e in enumerate(enrollments) if e.package_code == "PDG-2026-GMT-01"
    )
    enrollments[first_garment] = replace(
        enrollments[first_garment],
        withdrawn_because="Dipindahtugaskan ke Rutan Kelas IIB Anak Air Padang",
    )
    return enrollments


ENROLLMENTS = tuple(_enrollments())

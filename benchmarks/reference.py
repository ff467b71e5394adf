"""Synthetic national reference data: provinces, Lapas, BLK, officers with valid NIPs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from lintas_shared.contracts import Kejuruan

# (province, capital, code) for the 38 provinces.
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("Aceh", "Banda Aceh", "ACEH"),
    ("Sumatera Utara", "Medan", "SUMUT"),
    ("Sumatera Barat", "Padang", "SUMBAR"),
    ("Riau", "Pekanbaru", "RIAU"),
    ("Kepulauan Riau", "Tanjungpinang", "KEPRI"),
    ("Jambi", "Jambi", "JAMBI"),
    ("Sumatera Selatan", "Palembang", "SUMSEL"),
    ("Kepulauan Bangka Belitung", "Pangkalpinang", "BABEL"),
    ("Bengkulu", "Bengkulu", "BENGKULU"),
    ("Lampung", "Bandar Lampung", "LAMPUNG"),
    ("DKI Jakarta", "Jakarta", "DKI"),
    ("Jawa Barat", "Bandung", "JABAR"),
    ("Banten", "Serang", "BANTEN"),
    ("Jawa Tengah", "Semarang", "JATENG"),
    ("DI Yogyakarta", "Yogyakarta", "DIY"),
    ("Jawa Timur", "Surabaya", "JATIM"),
    ("Bali", "Denpasar", "BALI"),
    ("Nusa Tenggara Barat", "Mataram", "NTB"),
    ("Nusa Tenggara Timur", "Kupang", "NTT"),
    ("Kalimantan Barat", "Pontianak", "KALBAR"),
    ("Kalimantan Tengah", "Palangka Raya", "KALTENG"),
    ("Kalimantan Selatan", "Banjarmasin", "KALSEL"),
    ("Kalimantan Timur", "Samarinda", "KALTIM"),
    ("Kalimantan Utara", "Tanjung Selor", "KALTARA"),
    ("Sulawesi Utara", "Manado", "SULUT"),
    ("Gorontalo", "Gorontalo", "GORONTALO"),
    ("Sulawesi Tengah", "Palu", "SULTENG"),
    ("Sulawesi Barat", "Mamuju", "SULBAR"),
    ("Sulawesi Selatan", "Makassar", "SULSEL"),
    ("Sulawesi Tenggara", "Kendari", "SULTRA"),
    ("Maluku", "Ambon", "MALUKU"),
    ("Maluku Utara", "Sofifi", "MALUT"),
    ("Papua", "Jayapura", "PAPUA"),
    ("Papua Barat", "Manokwari", "PABAR"),
    ("Papua Barat Daya", "Sorong", "PBD"),
    ("Papua Tengah", "Nabire", "PATENG"),
    ("Papua Pegunungan", "Wamena", "PAPEG"),
    ("Papua Selatan", "Merauke", "PASEL"),
)

_LAPAS_CLASSES = ("I", "IIA", "IIB", "III")
_FIRST = (
    "Agus", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hendra", "Indah", "Joko",
    "Kartika", "Lestari", "Muhammad", "Nur", "Oktaviani", "Putri", "Rahmat", "Sri",
    "Teguh", "Utami", "Wahyu", "Yusuf", "Zulkifli", "Andi", "Rina", "Siti", "Bayu",
)  # fmt: skip
_LAST = (
    "Saputra", "Wijaya", "Pratama", "Siregar", "Nasution", "Harahap", "Lubis", "Putra",
    "Hidayat", "Kurniawan", "Santoso", "Rahayu", "Setiawan", "Simanjuntak", "Sinaga",
    "Manurung", "Tanjung", "Syahputra", "Halim", "Nugroho", "Susanto", "Firmansyah",
)  # fmt: skip
POSITIONS = (
    "Pengelola Kegiatan Kerja",
    "Pembimbing Kemasyarakatan",
    "Penjaga Tahanan",
    "Pengelola Bimbingan Kerja",
    "Analis Pembinaan Narapidana",
)
KEJURUAN = tuple(Kejuruan)


@dataclass(frozen=True, slots=True)
class Unit:
    """A Lapas or a BLK as carried in events (UnitRef fields)."""

    code: str
    name: str
    province: str

    def ref(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "province": self.province}


@dataclass(frozen=True, slots=True)
class Nation:
    """Every Lapas and BLK, grouped by province."""

    lapas: dict[str, list[Unit]]
    blk: dict[str, list[Unit]]

    @property
    def provinces(self) -> list[str]:
        return list(self.blk)


def build_nation(
    rng: random.Random, lapas_total: int = 532, blk_total: int = 300
) -> Nation:
    """About `lapas_total` Lapas/Rutan and `blk_total` BLK spread over 38 provinces."""
    lapas: dict[str, list[Unit]] = {}
    blk: dict[str, list[Unit]] = {}
    weights = [rng.uniform(0.4, 2.5) for _ in PROVINCES]
    scale = sum(weights)
    for (province, capital, code), weight in zip(PROVINCES, weights, strict=True):
        n_lapas = max(2, round(lapas_total * weight / scale))
        n_blk = max(1, round(blk_total * weight / scale))
        lapas[province] = [
            Unit(
                f"LAPAS-{cls}-{code}-{i:02d}",
                f"Lapas Kelas {cls} {capital} {i}",
                province,
            )
            for i in range(1, n_lapas + 1)
            for cls in [rng.choice(_LAPAS_CLASSES)]
        ]
        blk[province] = [
            Unit(
                f"BPVP-{code}-{i:02d}" if i == 1 else f"UPTD-BLK-{code}-{i:02d}",
                f"BPVP {capital}" if i == 1 else f"UPTD BLK {capital} {i}",
                province,
            )
            for i in range(1, n_blk + 1)
        ]
    return Nation(lapas, blk)


def nip(rng: random.Random) -> str:
    """A valid-looking 18-digit NIP: birth date, appointment month, gender, sequence."""
    birth = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
    year = rng.randint(birth.year + 20, min(birth.year + 32, 2024))
    return (
        f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}"
        f"{rng.choice('12')}{rng.randint(1, 999):03d}"
    )


def officer(rng: random.Random) -> dict[str, str]:
    """An OfficerRef payload."""
    return {
        "nip": nip(rng),
        "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "position": rng.choice(POSITIONS),
    }

"""Certificate numbers: readable, one series per BLK, kejuruan and issue year."""

from __future__ import annotations

from lintas_shared.contracts import Kejuruan


def certificate_number(
    blk_code: str, kejuruan: Kejuruan, year: int, sequence: int
) -> str:
    """E.g. LNT/BPVP-PADANG/TEKNIK-LAS/2026/000007: unique while each n is handed out once."""
    if sequence < 1:
        raise ValueError("sequence numbers start at 1")
    return f"LNT/{blk_code}/{kejuruan.value.replace('_', '-')}/{year}/{sequence:06d}"

"""Certificate numbers: a gap-free series per BLK, kejuruan and year."""

from __future__ import annotations

from dataclasses import dataclass, field

from lintas_shared.contracts import Kejuruan


def certificate_number(
    blk_code: str, kejuruan: Kejuruan, year: int, sequence: int
) -> str:
    """Readable like a printed certificate; unique because each series hands out each n once."""
    return f"LNT/{blk_code}/{kejuruan.value.replace('_', '-')}/{year}/{sequence:06d}"


@dataclass(frozen=True, slots=True)
class NumberReserved:
    """A number of the series was taken (kept in the store, never published)."""

    certificate_number: str
    sequence: int


@dataclass(slots=True)
class CertificateSeries:
    """The numbers a BLK issued for one kejuruan in one year; its stream version counts them."""

    blk_code: str
    kejuruan: Kejuruan
    year: int
    issued: int = 0
    pending: list[NumberReserved] = field(default_factory=list)

    def apply(self, event: NumberReserved) -> None:
        self.issued = event.sequence

    def reserve(self) -> str:
        sequence = self.issued + 1
        event = NumberReserved(
            certificate_number(self.blk_code, self.kejuruan, self.year, sequence),
            sequence,
        )
        self.apply(event)
        self.pending.append(event)
        return event.certificate_number

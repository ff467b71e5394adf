"""The terms a BLK opens a training package with, checked as one value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from enrollment.domain.skkni import check_skkni_units
from lintas_shared.contracts.base import Kejuruan, Track
from lintas_shared.contracts.enrollment import TrainingPackageOpened
from lintas_shared.contracts.units import UnitRef
from lintas_shared.domain import InvalidCommand, Refusal, Violation

MAX_SEATS = 100


@dataclass(frozen=True, slots=True)
class PackageTerms:
    """Code, schedule, lesson hours, seats and SKKNI units of a package."""

    code: str
    title: str
    blk: UnitRef
    kejuruan: Kejuruan
    track: Track
    start_date: date
    end_date: date
    jp_technical: int
    jp_methodology: int
    seats: int
    skkni_units: tuple[str, ...]

    def __post_init__(self) -> None:
        problems = list(self._violations())
        try:
            units = check_skkni_units(self.skkni_units)
        except Refusal as exc:
            problems += exc.violations
        else:
            object.__setattr__(self, "skkni_units", units)
        if problems:
            raise InvalidCommand(*problems)

    def _violations(self) -> list[Violation]:
        found = []
        if self.end_date <= self.start_date:
            found.append(
                Violation(
                    "package-dates-ordered",
                    "end_date must be after start_date",
                    "end_date",
                )
            )
        if not 1 <= self.seats <= MAX_SEATS:
            found.append(
                Violation(
                    "package-seats-range", f"seats must be 1..{MAX_SEATS}", "seats"
                )
            )
        if min(self.jp_technical, self.jp_methodology) < 0:
            found.append(
                Violation("package-lessons", "JP cannot be negative", "jp_technical")
            )
        elif self.jp_technical + self.jp_methodology == 0:
            found.append(
                Violation(
                    "package-lessons", "a package has lesson hours", "jp_technical"
                )
            )
        if self.track is Track.INSTRUCTOR:
            # Instructor candidates end with a methodology test on SKKNI units.
            if self.jp_methodology <= 0:
                found.append(
                    Violation(
                        "instructor-track-has-methodology",
                        "an instructor-track package teaches training methodology",
                        "jp_methodology",
                    )
                )
            if not self.skkni_units:
                found.append(
                    Violation(
                        "instructor-track-has-skkni-units",
                        "an instructor-track package names the SKKNI units assessed",
                        "skkni_units",
                    )
                )
        return found

    def opened(self, package_id: UUID) -> TrainingPackageOpened:
        return TrainingPackageOpened(
            package_id=package_id,
            code=self.code.strip(),
            title=self.title.strip(),
            blk=self.blk,
            kejuruan=self.kejuruan,
            track=self.track,
            start_date=self.start_date,
            end_date=self.end_date,
            jp_technical=self.jp_technical,
            jp_methodology=self.jp_methodology,
            seats=self.seats,
            skkni_units=self.skkni_units,
        )

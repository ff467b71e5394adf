"""NIP (civil-servant number) validation: ``YYYYMMDD YYYYMM G NNN`` checked against today."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lintas_shared.domain import InvalidCommand, Violation

_DIGITS = re.compile(r"^\d{18}$")


class Gender(StrEnum):
    """The NIP's 15th digit: 1 male, 2 female."""

    MALE = "1"
    FEMALE = "2"


@dataclass(frozen=True, slots=True)
class Nip:
    """A validated NIP and what it encodes."""

    value: str
    birth_date: date
    appointed: tuple[
        int, int
    ]  # (year, month) of appointment as candidate civil servant
    gender: Gender
    sequence: int


def parse_nip(raw: str, today: date, field: str = "nip") -> Nip:
    """Validate an NIP, raising InvalidCommand that lists every rule it breaks."""
    value = raw.strip()
    if not _DIGITS.match(value):
        raise InvalidCommand(Violation("nip-format", "NIP must be 18 digits", field))
    problems: list[Violation] = []
    birth = _real_date(value[0:8])
    year, month = int(value[8:12]), int(value[12:14])
    if birth is None:
        problems.append(
            Violation("nip-birth-date", "digits 1-8 are not a real birth date", field)
        )
    if not 1 <= month <= 12:
        problems.append(
            Violation(
                "nip-appointment-month", "digits 9-14 are not a real month", field
            )
        )
    elif (year, month) > (today.year, today.month):
        problems.append(
            Violation(
                "nip-appointment-not-in-future",
                "the appointment month is in the future",
                field,
            )
        )
    elif birth is not None and (year, month) < (birth.year + 18, birth.month):
        # Only the month is known, so an appointment in the month of the 18th
        # birthday is accepted.
        problems.append(
            Violation(
                "nip-appointment-after-18th-birthday",
                "the appointment month is before the officer's 18th birthday",
                field,
            )
        )
    if value[14] not in ("1", "2"):
        problems.append(
            Violation("nip-gender", "digit 15 must be 1 (male) or 2 (female)", field)
        )
    if problems:
        raise InvalidCommand(*problems)
    assert birth is not None
    return Nip(value, birth, (year, month), Gender(value[14]), int(value[15:]))


def _real_date(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[0:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None

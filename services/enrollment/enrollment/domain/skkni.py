"""SKKNI competency unit codes in the two generations seen in practice."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lintas_shared.domain import InvalidCommand, Violation

# 2016 onward: KBLI section, division, 3-letter group and subgroup, unit, version
# (C.25LAS01.001.1 welding). 2012-15: section, 6-digit field, unit, 2-digit version
# (I.563030.006.01 barista).
_CURRENT = re.compile(r"^[A-U]\.\d{2}[A-Z]{3}\d{2}\.\d{3}\.\d$")
_PREVIOUS = re.compile(r"^[A-U]\.\d{6}\.\d{3}\.\d{2}$")
FORMS = "C.25LAS01.001.1 (2016 onward) or I.563030.006.01 (2012-15)"


def is_skkni_code(code: str) -> bool:
    """True if ``code`` has one of the known SKKNI unit-code forms."""
    return bool(_CURRENT.match(code) or _PREVIOUS.match(code))


def check_skkni_units(
    codes: Iterable[str], field: str = "skkni_units"
) -> tuple[str, ...]:
    """The codes, trimmed; raise InvalidCommand naming each malformed or repeated one."""
    cleaned = tuple(code.strip() for code in codes)
    problems: list[Violation] = []
    seen: set[str] = set()
    for index, code in enumerate(cleaned):
        where = f"{field}[{index}]"
        if not is_skkni_code(code):
            problems.append(
                Violation("skkni-unit-code", f"{code!r} is not like {FORMS}", where)
            )
        elif code in seen:
            problems.append(
                Violation("skkni-units-distinct", f"{code} is listed twice", where)
            )
        seen.add(code)
    if problems:
        raise InvalidCommand(*problems)
    return cleaned

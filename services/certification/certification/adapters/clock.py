"""Clocks: the real one, and a fixed one that tests move by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


class SystemClock:
    """Today in the given zone.

    The default, Asia/Jayapura (UTC+9), is Indonesia's easternmost zone: a date counts as
    "in the future" only once it has begun nowhere in the country, so no BLK is refused.
    """

    def __init__(self, timezone: str = "Asia/Jayapura") -> None:
        self._zone = ZoneInfo(timezone)

    def today(self) -> date:
        return datetime.now(self._zone).date()


class FixedClock:
    """A clock that says what it is told."""

    def __init__(self, day: date) -> None:
        self.day = day

    def today(self) -> date:
        return self.day

    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)

"""The effective enrollment date: today, or an earlier date recorded from the paper register."""

from __future__ import annotations

from datetime import date, timedelta

from lintas_shared.domain import InvalidCommand


def effective_enrolment_date(
    requested: date | None, today: date, backdate_days: int
) -> date:
    """Rules enrolled-on-not-in-future and enrolled-on-within-backdate-window.

    Enrollments agreed on paper before they reach Lintas are recorded with the day they
    were made, at most ``backdate_days`` ago; the event keeps both that day and the
    moment it was recorded, and who recorded it.
    """
    if requested is None:
        return today
    if requested > today:
        raise InvalidCommand.of(
            "enrolled-on-not-in-future", "enrolled_on is after today", "enrolled_on"
        )
    if requested < today - timedelta(days=backdate_days):
        raise InvalidCommand.of(
            "enrolled-on-within-backdate-window",
            f"enrolled_on may be at most {backdate_days} day(s) before today",
            "enrolled_on",
        )
    return requested

"""The certification policy: when a training record makes its officer a certified instructor."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from certification.domain.enrollment import EnrollmentFacts
from certification.domain.training_record import TrainingRecord
from lintas_shared.contracts import AssessmentKind, CompetencyResult


class Requirement(StrEnum):
    """A condition of certification; a record lists those it does not meet yet."""

    INSTRUCTOR_TRACK = "instructor-track"
    TRAINING_COMPLETED = "training-completed"
    ATTENDANCE = "attendance"
    TECHNICAL_K = "technical-k"
    METHODOLOGY_K = "methodology-k"


@dataclass(frozen=True, slots=True)
class CertificateTerms:
    issued_on: date
    expires_on: date


@dataclass(frozen=True, slots=True)
class CertificationPolicy:
    """Instructor track, attendance at or above a share of the JP, latest results both K."""

    min_attendance_ratio: Fraction = Fraction(9, 10)
    validity_years: int = 3

    @classmethod
    def of(
        cls, min_attendance_ratio: float | str | Decimal, validity_years: int = 3
    ) -> CertificationPolicy:
        # Through Decimal(str(...)) 0.9 becomes exactly 9/10, so 288 of 320 JP passes.
        ratio = Fraction(Decimal(str(min_attendance_ratio)))
        if not 0 < ratio <= 1:
            raise ValueError("min_attendance_ratio must be in (0, 1]")
        if validity_years < 1:
            raise ValueError("validity_years must be at least 1")
        return cls(ratio, validity_years)

    def required_jp(self, jp_total: int) -> int:
        return math.ceil(self.min_attendance_ratio * jp_total)

    def unmet(
        self, facts: EnrollmentFacts, record: TrainingRecord
    ) -> list[Requirement]:
        """The requirements this record does not meet yet; empty means it certifies."""
        missing: list[Requirement] = []
        if not facts.instructor_track:
            missing.append(Requirement.INSTRUCTOR_TRACK)
        completion = record.completion
        if completion is None:
            missing.append(Requirement.TRAINING_COMPLETED)
        elif completion.attended_jp < self.required_jp(completion.jp_total):
            missing.append(Requirement.ATTENDANCE)
        for kind, requirement in (
            (AssessmentKind.TECHNICAL, Requirement.TECHNICAL_K),
            (AssessmentKind.METHODOLOGY, Requirement.METHODOLOGY_K),
        ):
            latest = record.latest(kind)
            if latest is None or latest.result is not CompetencyResult.K:
                missing.append(requirement)
        return missing

    def terms(self, record: TrainingRecord) -> CertificateTerms:
        """Dated the day the last requirement was met; valid ``validity_years`` from then."""
        assert record.completion is not None
        met = [record.completion.completed_on]
        met += [
            a.assessed_on
            for a in (
                record.latest(AssessmentKind.TECHNICAL),
                record.latest(AssessmentKind.METHODOLOGY),
            )
            if a is not None
        ]
        issued_on = max(met)
        return CertificateTerms(issued_on, self.last_valid_day(issued_on))

    def last_valid_day(self, issued_on: date) -> date:
        year = issued_on.year + self.validity_years
        try:
            anniversary = issued_on.replace(year=year)
        except ValueError:  # 29 February: the anniversary falls on 1 March
            anniversary = date(year, 3, 1)
        return anniversary - timedelta(days=1)

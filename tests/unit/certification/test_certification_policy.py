"""The certification policy as a table: which training records certify their officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import uuid4

import pytest

from certification.domain.certification import InstructorCertification
from certification.domain.certify import certificate_due
from certification.domain.enrollment import EnrollmentFacts
from certification.domain.policy import CertificationPolicy, Requirement
from certification.domain.training_record import TrainingRecord
from lintas_shared.contracts import AssessmentKind, CompetencyResult, Track
from tests.unit.certification.certification_factories import (
    END,
    TODAY,
    facts_of,
    officer_enrolled,
)

pytestmark = pytest.mark.unit

T, M = AssessmentKind.TECHNICAL, AssessmentKind.METHODOLOGY
K, BK = CompetencyResult.K, CompetencyResult.BK
POLICY = CertificationPolicy.of(0.9)


@dataclass(frozen=True)
class Complete:
    attended_jp: int
    day: int = 0  # days after the package end


@dataclass(frozen=True)
class Assess:
    kind: AssessmentKind
    result: CompetencyResult
    day: int = 1


@dataclass(frozen=True)
class Case:
    name: str
    steps: tuple[Complete | Assess, ...]
    unmet: set[Requirement]
    track: Track = Track.INSTRUCTOR
    # Whether a certificate was issued along the way; by default when nothing is unmet.
    certified: bool | None = None

    @property
    def expect_certified(self) -> bool:
        return not self.unmet if self.certified is None else self.certified


CASES = [
    Case("completed, both K", (Complete(320), Assess(T, K), Assess(M, K)), set()),
    Case("attendance exactly 90%", (Complete(288), Assess(T, K), Assess(M, K)), set()),
    Case(
        "attendance just below 90%",
        (Complete(287), Assess(T, K), Assess(M, K)),
        {Requirement.ATTENDANCE},
    ),
    Case(
        "technical BK then K certifies",
        (Complete(300), Assess(T, BK, 1), Assess(M, K, 1), Assess(T, K, 20)),
        set(),
    ),
    Case(
        "methodology BK then K certifies",
        (Complete(300), Assess(T, K, 1), Assess(M, BK, 2), Assess(M, K, 30)),
        set(),
    ),
    Case(
        "a later BK outweighs an earlier K",
        (Complete(300), Assess(T, K, 1), Assess(M, K, 1), Assess(T, BK, 9)),
        {Requirement.TECHNICAL_K},
        # A BK after certification does not undo it: that takes a revocation.
        certified=True,
    ),
    Case(
        "a BK recorded late for an earlier day does not outweigh a later K",
        (Complete(300), Assess(T, K, 10), Assess(T, BK, 2), Assess(M, K, 1)),
        set(),
    ),
    Case(
        "same-day BK then K: the later recorded counts",
        (Complete(300), Assess(T, BK, 5), Assess(T, K, 5), Assess(M, K, 5)),
        set(),
    ),
    Case(
        "methodology BK only",
        (Complete(320), Assess(T, K), Assess(M, BK)),
        {Requirement.METHODOLOGY_K},
    ),
    Case(
        "no methodology yet",
        (Complete(320), Assess(T, K)),
        {Requirement.METHODOLOGY_K},
    ),
    Case(
        "assessed but not completed",
        (Assess(T, K), Assess(M, K)),
        {Requirement.TRAINING_COMPLETED},
    ),
    Case(
        "assessments first, completion last certifies",
        (Assess(T, K, 1), Assess(M, K, 2), Complete(310, 3)),
        set(),
    ),
    Case(
        "reskilling never certifies",
        (Complete(240), Assess(T, K)),
        {Requirement.INSTRUCTOR_TRACK, Requirement.METHODOLOGY_K},
        Track.RESKILLING,
    ),
]


def _run(
    case: Case,
) -> tuple[EnrollmentFacts, TrainingRecord, InstructorCertification, int]:
    enrolled = officer_enrolled(
        track=case.track, jp_total=320 if case.track is Track.INSTRUCTOR else 240
    )
    facts = facts_of(enrolled)
    record = TrainingRecord(facts.enrollment_id)
    certification = InstructorCertification(facts.nip, facts.kejuruan)
    issued = 0
    for step in case.steps:
        if isinstance(step, Complete):
            day = END + timedelta(days=step.day)
            record.complete(facts, day, step.attended_jp, TODAY)
        else:
            day = END + timedelta(days=step.day)
            record.assess(
                facts, uuid4(), step.kind, step.result, "LSP P1", day, (), TODAY
            )
        terms = certificate_due(POLICY, facts, record, certification, TODAY)
        if terms is not None:
            issued += 1
            certification.certify(
                facts, f"N-{issued}", terms.issued_on, terms.expires_on
            )
    return facts, record, certification, issued


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_policy_lists_exactly_the_unmet_requirements(case: Case) -> None:
    facts, record, _, _ = _run(case)

    assert set(POLICY.unmet(facts, record)) == case.unmet


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_officer_is_certified_once_exactly_when_every_requirement_was_met(
    case: Case,
) -> None:
    _, _, certification, issued = _run(case)

    assert issued == (1 if case.expect_certified else 0)
    assert len(certification.certificates) == issued


def test_certificate_is_dated_when_the_last_requirement_was_met() -> None:
    case = CASES[3]  # technical BK then K on day 20
    _, _, certification, _ = _run(case)

    issued = certification.certificates[0]
    assert issued.issued_on == END + timedelta(days=20)
    assert issued.expires_on == issued.issued_on.replace(
        year=issued.issued_on.year + 3
    ) - (timedelta(days=1))


@pytest.mark.parametrize(
    ("issued_on", "last_valid_day"),
    [
        (date(2026, 5, 10), date(2029, 5, 9)),
        (date(2028, 2, 29), date(2031, 2, 28)),
        (date(2026, 1, 1), date(2028, 12, 31)),
    ],
)
def test_certificate_is_valid_three_years(
    issued_on: date, last_valid_day: date
) -> None:
    assert POLICY.last_valid_day(issued_on) == last_valid_day


@pytest.mark.parametrize("ratio", [0, -0.1, 1.01])
def test_policy_refuses_a_meaningless_attendance_share(ratio: float) -> None:
    with pytest.raises(ValueError, match="min_attendance_ratio"):
        CertificationPolicy.of(ratio)


def test_attendance_share_is_configurable() -> None:
    strict = CertificationPolicy.of(1.0)
    lenient = CertificationPolicy.of("0.75")

    assert strict.required_jp(320) == 320
    assert lenient.required_jp(320) == 240
    assert lenient.required_jp(321) == 241

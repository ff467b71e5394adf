"""Refusals and repeats on a training record: nothing is recorded when a rule is broken."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from certification.domain import errors
from certification.domain.enrollment import require_known
from certification.domain.training_record import TrainingRecord
from lintas_shared.contracts import AssessmentKind, CompetencyResult, Track
from lintas_shared.domain import Refusal
from tests.unit.certification.certification_factories import (
    END,
    START,
    TODAY,
    facts_of,
    officer_enrolled,
)

pytestmark = pytest.mark.unit

T, M = AssessmentKind.TECHNICAL, AssessmentKind.METHODOLOGY
K, BK = CompetencyResult.K, CompetencyResult.BK
UNITS = ("C.25LAS01.001.1", "I.563030.006.01")


def test_unknown_enrollment_is_refused_as_retryable_with_a_hint() -> None:
    enrollment_id = uuid4()

    with pytest.raises(errors.EnrollmentNotKnownYet) as refused:
        require_known(None, enrollment_id)

    assert refused.value.retryable
    assert str(enrollment_id) in refused.value.message
    assert "retry" in refused.value.message


@pytest.mark.parametrize(
    ("withdrawn", "cancelled", "refusal"),
    [
        (True, False, errors.EnrollmentWithdrawn),
        (False, True, errors.PackageCancelled),
    ],
)
def test_withdrawn_or_cancelled_enrollment_records_nothing(
    withdrawn: bool, cancelled: bool, refusal: type[Refusal]
) -> None:
    facts = facts_of(officer_enrolled(), withdrawn=withdrawn, cancelled=cancelled)
    record = TrainingRecord(facts.enrollment_id)

    with pytest.raises(refusal):
        record.complete(facts, END, 320, TODAY)
    with pytest.raises(refusal):
        record.assess(facts, uuid4(), T, K, "LSP P1", END, UNITS, TODAY)
    assert record.pending == [] and record.version == 0


def test_completion_before_package_start_is_refused() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)

    with pytest.raises(errors.DateBeforePackageStart) as refused:
        record.complete(facts, START - timedelta(days=1), 320, TODAY)

    assert refused.value.field == "completed_on"
    assert record.pending == []


def test_completion_on_the_first_day_is_accepted() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)

    record.complete(facts, START, 10, TODAY)

    assert record.completion is not None and len(record.pending) == 1


@pytest.mark.parametrize("kind", [T, M])
def test_dates_in_the_future_are_refused(kind: AssessmentKind) -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)
    tomorrow = TODAY + timedelta(days=1)

    with pytest.raises(errors.DateInFuture):
        record.complete(facts, tomorrow, 320, TODAY)
    with pytest.raises(errors.DateInFuture):
        record.assess(facts, uuid4(), kind, K, "LSP P1", tomorrow, UNITS, TODAY)
    assert record.pending == []


def test_methodology_assessment_of_a_reskilling_package_is_refused() -> None:
    facts = facts_of(officer_enrolled(track=Track.RESKILLING, jp_total=240))
    record = TrainingRecord(facts.enrollment_id)

    with pytest.raises(errors.NoMethodologyForReskilling) as refused:
        record.assess(facts, uuid4(), M, K, "LSP P1", END, UNITS, TODAY)

    assert refused.value.field == "kind"
    assert record.pending == []


def test_technical_assessment_of_a_reskilling_package_is_recorded() -> None:
    facts = facts_of(officer_enrolled(track=Track.RESKILLING, jp_total=240))
    record = TrainingRecord(facts.enrollment_id)

    record.assess(facts, uuid4(), T, K, "LSP P1", END, UNITS, TODAY)

    assert len(record.pending) == 1


def test_attendance_above_the_package_jp_is_refused() -> None:
    facts = facts_of(officer_enrolled(jp_total=320))
    record = TrainingRecord(facts.enrollment_id)

    with pytest.raises(errors.AttendanceAboveTotal):
        record.complete(facts, END, 321, TODAY)


def test_repeating_the_same_completion_records_nothing_new() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)
    record.complete(facts, END, 300, TODAY)

    record.complete(facts, END, 300, TODAY)

    assert len(record.pending) == 1 and record.version == 0


def test_a_different_second_completion_is_refused() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)
    record.complete(facts, END, 300, TODAY)

    with pytest.raises(errors.AlreadyCompleted):
        record.complete(facts, END, 310, TODAY)


def test_repeating_an_assessment_id_with_the_same_content_records_nothing_new() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)
    assessment_id = uuid4()
    record.assess(facts, assessment_id, T, BK, "LSP P1", END, UNITS, TODAY)

    record.assess(facts, assessment_id, T, BK, "LSP P1", END, UNITS, TODAY)

    assert len(record.assessments) == 1


def test_reusing_an_assessment_id_for_another_result_is_refused() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)
    assessment_id = uuid4()
    record.assess(facts, assessment_id, T, BK, "LSP P1", END, UNITS, TODAY)

    with pytest.raises(errors.AssessmentIdReused):
        record.assess(facts, assessment_id, T, K, "LSP P1", END, UNITS, TODAY)


def test_record_rebuilt_from_its_events_equals_the_recorded_one() -> None:
    facts = facts_of(officer_enrolled())
    record = TrainingRecord(facts.enrollment_id)
    record.assess(facts, uuid4(), T, BK, "LSP P1", END, UNITS, TODAY)
    record.complete(facts, END, 300, TODAY)
    record.assess(facts, uuid4(), T, K, "LSP P1", END + timedelta(days=3), UNITS, TODAY)

    rebuilt = TrainingRecord.replay(record.pending, facts.enrollment_id)

    assert rebuilt.version == len(record.pending) == 3
    assert rebuilt.completion == record.completion
    assert rebuilt.assessments == record.assessments
    latest = rebuilt.latest(T)
    assert latest is not None and latest.result is K

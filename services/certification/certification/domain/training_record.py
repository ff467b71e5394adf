"""TrainingRecord aggregate: one enrollment's completion and competency assessments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from certification.domain.enrollment import EnrollmentFacts
from certification.domain.errors import (
    AlreadyCompleted,
    AssessmentIdReused,
    AttendanceAboveTotal,
    NoMethodologyForReskilling,
)
from certification.domain.record_entries import Assessment, Completion, assessment_of
from lintas_shared.contracts import AssessmentKind, CompetencyResult, IntegrationEvent
from lintas_shared.contracts.certification import CompetencyAssessed, TrainingCompleted
from lintas_shared.domain import Aggregate


class TrainingRecord(Aggregate[IntegrationEvent]):
    """Changes only by applying its events; decisions record new ones in ``pending``."""

    def __init__(self, enrollment_id: UUID) -> None:
        super().__init__()
        self.enrollment_id = enrollment_id
        self.completion: Completion | None = None
        self.assessments: list[Assessment] = []

    def _completed(self, event: TrainingCompleted) -> None:
        self.completion = Completion(
            event.completed_on, event.attended_jp, event.jp_total
        )

    def _assessed(self, event: CompetencyAssessed) -> None:
        self.assessments.append(assessment_of(event, order=len(self.assessments)))

    handlers = {TrainingCompleted: _completed, CompetencyAssessed: _assessed}  # noqa: RUF012

    def latest(self, kind: AssessmentKind) -> Assessment | None:
        """The result that counts: latest by assessment date, then by recording order."""
        of_kind = [a for a in self.assessments if a.kind is kind]
        return max(of_kind, key=lambda a: (a.assessed_on, a.order), default=None)

    def complete(
        self, facts: EnrollmentFacts, completed_on: date, attended_jp: int, today: date
    ) -> None:
        """Record completion; an identical repeat records nothing."""
        facts.ensure_recordable()
        facts.ensure_date_in_training(completed_on, today, "completed_on")
        if attended_jp > facts.jp_total:
            raise AttendanceAboveTotal.because(
                f"attended_jp {attended_jp} exceeds the package's {facts.jp_total} JP",
                field="attended_jp",
            )
        if self.completion is not None:
            if self.completion == Completion(completed_on, attended_jp, facts.jp_total):
                return
            raise AlreadyCompleted.because(
                f"completion was already recorded on {self.completion.completed_on}"
                f" with {self.completion.attended_jp} JP"
            )
        self.record(
            TrainingCompleted(
                enrollment_id=facts.enrollment_id,
                package_id=facts.package_id,
                nip=facts.nip,
                kejuruan=facts.kejuruan,
                track=facts.track,
                blk_code=facts.blk.code,
                lapas_code=facts.lapas.code,
                completed_on=completed_on,
                attended_jp=attended_jp,
                jp_total=facts.jp_total,
            )
        )

    def assess(
        self,
        facts: EnrollmentFacts,
        assessment_id: UUID,
        kind: AssessmentKind,
        result: CompetencyResult,
        lsp: str,
        assessed_on: date,
        skkni_units: Sequence[str],
        today: date,
    ) -> None:
        """Record an assessment; repeating one with the same id and content records nothing."""
        facts.ensure_recordable()
        if kind is AssessmentKind.METHODOLOGY and not facts.instructor_track:
            raise NoMethodologyForReskilling.because(
                "a reskilling package has no methodology test; only instructor-track"
                " packages do",
                field="kind",
            )
        facts.ensure_date_in_training(assessed_on, today, "assessed_on")
        event = CompetencyAssessed(
            assessment_id=assessment_id,
            enrollment_id=facts.enrollment_id,
            package_id=facts.package_id,
            nip=facts.nip,
            kejuruan=facts.kejuruan,
            kind=kind,
            result=result,
            lsp=lsp,
            assessed_on=assessed_on,
            skkni_units=tuple(skkni_units),
        )
        earlier = next(
            (a for a in self.assessments if a.assessment_id == assessment_id), None
        )
        if earlier is not None:
            if earlier.same_as(assessment_of(event, order=earlier.order)):
                return
            raise AssessmentIdReused.because(
                f"assessment {assessment_id} was already recorded with other content",
                field="assessment_id",
            )
        self.record(event)

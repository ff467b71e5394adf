"""TrainingRecord aggregate: one enrollment's completion and competency assessments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeAlias
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

RecordEvent: TypeAlias = TrainingCompleted | CompetencyAssessed


class TrainingRecord:
    """Changes only by applying its events; decisions record new ones in ``pending``."""

    def __init__(self, enrollment_id: UUID) -> None:
        self.enrollment_id = enrollment_id
        self.version = 0
        self.completion: Completion | None = None
        self.assessments: list[Assessment] = []
        self.pending: list[RecordEvent] = []

    @classmethod
    def from_history(
        cls, enrollment_id: UUID, events: Iterable[IntegrationEvent]
    ) -> TrainingRecord:
        record = cls(enrollment_id)
        for event in events:
            record.apply(event)
        return record

    def apply(self, event: IntegrationEvent) -> None:
        if isinstance(event, TrainingCompleted):
            self.completion = Completion(
                event.completed_on, event.attended_jp, event.jp_total
            )
        elif isinstance(event, CompetencyAssessed):
            self.assessments.append(assessment_of(event, order=len(self.assessments)))
        else:
            raise TypeError(f"a training record does not apply {type(event).__name__}")
        self.version += 1

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
            raise AttendanceAboveTotal(
                f"attended_jp {attended_jp} exceeds the package's {facts.jp_total} JP",
                field="attended_jp",
            )
        if self.completion is not None:
            if self.completion == Completion(completed_on, attended_jp, facts.jp_total):
                return
            raise AlreadyCompleted(
                f"completion was already recorded on {self.completion.completed_on}"
                f" with {self.completion.attended_jp} JP"
            )
        self._record(
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
            raise NoMethodologyForReskilling(
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
            raise AssessmentIdReused(
                f"assessment {assessment_id} was already recorded with other content",
                field="assessment_id",
            )
        self._record(event)

    def _record(self, event: RecordEvent) -> None:
        self.apply(event)
        self.pending.append(event)

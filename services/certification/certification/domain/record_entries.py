"""What a training record holds: the completion and each assessment, as recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lintas_shared.contracts import AssessmentKind, CompetencyResult
from lintas_shared.contracts.certification import CompetencyAssessed


@dataclass(frozen=True, slots=True)
class Completion:
    completed_on: date
    attended_jp: int
    jp_total: int


@dataclass(frozen=True, slots=True)
class Assessment:
    assessment_id: UUID
    kind: AssessmentKind
    result: CompetencyResult
    lsp: str
    assessed_on: date
    skkni_units: tuple[str, ...]
    order: int

    def same_as(self, other: Assessment) -> bool:
        return (
            self.kind,
            self.result,
            self.lsp,
            self.assessed_on,
            self.skkni_units,
        ) == (
            other.kind,
            other.result,
            other.lsp,
            other.assessed_on,
            other.skkni_units,
        )


def assessment_of(event: CompetencyAssessed, order: int) -> Assessment:
    return Assessment(
        assessment_id=event.assessment_id,
        kind=event.kind,
        result=event.result,
        lsp=event.lsp,
        assessed_on=event.assessed_on,
        skkni_units=event.skkni_units,
        order=order,
    )

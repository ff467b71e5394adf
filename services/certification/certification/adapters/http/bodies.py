"""Request bodies of the HTTP API that differ from the command models (ids in the path)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from certification.application.record_assessment import SKKNI_UNIT
from lintas_shared.contracts import AssessmentKind, CompetencyResult


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompletionBody(_Body):
    completed_on: date = Field(description="Day the officer finished the package.")
    attended_jp: int = Field(
        ge=0, le=10_000, description="Lesson hours (JP, 45 min) the officer attended."
    )


class AssessmentBody(_Body):
    assessment_id: UUID | None = Field(
        default=None,
        description="The BLK's id for this assessment; generated when omitted.",
    )
    kind: AssessmentKind = Field(description="TECHNICAL or METHODOLOGY.")
    result: CompetencyResult = Field(description="K (kompeten) or BK (belum kompeten).")
    lsp: str = Field(
        min_length=2, max_length=200, description="The LSP that assessed, by name."
    )
    assessed_on: date = Field(description="Day of the assessment.")
    skkni_units: list[Annotated[str, Field(pattern=SKKNI_UNIT)]] = Field(
        min_length=1,
        max_length=100,
        description="SKKNI unit codes assessed, e.g. C.25LAS01.001.1 or I.563030.006.01.",
    )

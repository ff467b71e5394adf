"""Request bodies of the HTTP API that differ from the command models (ids in the path)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from certification.application.record_assessment import AssessmentFacts


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompletionBody(_Body):
    completed_on: date = Field(description="Day the officer finished the package.")
    attended_jp: int = Field(
        ge=0, le=10_000, description="Lesson hours (JP, 45 min) the officer attended."
    )


class AssessmentBody(AssessmentFacts):
    """One test's result; the enrollment is named in the path."""

"""Request and response bodies of the HTTP API that differ from the command models."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TerminationBody(Body):
    reason: str = Field(min_length=3, max_length=500, description="Why it ends.")
    terminated_on: date | None = Field(
        default=None, description="First day it no longer applies (default today)."
    )


class CancellationBody(Body):
    reason: str = Field(
        min_length=3, max_length=500, description="Why it is cancelled."
    )


class EnrolmentBody(Body):
    nip: str = Field(
        description="Officer's 18-digit NIP.", examples=["198703152010121003"]
    )
    name: str = Field(min_length=2, max_length=200, description="Officer's full name.")
    position: str = Field(
        min_length=2, max_length=200, description="Position (jabatan)."
    )
    lapas_code: str = Field(description="Code of the officer's Lapas.")
    agreement_id: UUID | None = Field(
        default=None,
        description="Agreement to enrol under; default any that covers it.",
    )
    enrolled_on: date | None = Field(
        default=None,
        description="Day a paper enrollment was made, if recorded late; default today.",
    )


class WithdrawalBody(Body):
    reason: str = Field(
        min_length=3, max_length=500, description="Why it is withdrawn."
    )


class CommandResult(BaseModel):
    """What an accepted command created or changed, and the events it published."""

    agreement_id: UUID | None = None
    package_id: UUID | None = None
    enrollment_id: UUID | None = None
    withdrawn_enrollments: list[UUID] | None = None
    event_ids: list[UUID] = Field(description="Ids of the published events (ce_id).")

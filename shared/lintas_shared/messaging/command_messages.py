"""Messages of the Kafka command topics: the command envelope and its reply."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lintas_shared.envelope import EventMetadata

_CODE = r"^[A-Z0-9][A-Z0-9-]{1,63}$"


class CommandEnvelope(BaseModel):
    """One command sent by an agency system on a command topic (JSON body)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: UUID = Field(
        description="Unique per intended command; a resend with the same id is "
        "answered with the first outcome and writes nothing new."
    )
    command: str = Field(description="Command name, e.g. EnrolOfficer.")
    actor_agency: str = Field(
        pattern=_CODE, description="Acting agency, e.g. DITJENPAS."
    )
    actor_unit: str = Field(
        pattern=_CODE, description="Acting unit, e.g. LAPAS-IIA-PADANG."
    )
    correlation_id: str | None = Field(
        default=None, description="Carried into the events; default the message id."
    )
    payload: dict[str, Any] = Field(description="The command's fields.")

    def metadata(self) -> EventMetadata:
        return EventMetadata(
            actor_agency=self.actor_agency,
            actor_unit=self.actor_unit,
            correlation_id=self.correlation_id or str(self.message_id),
            causation_id=str(self.message_id),
        )


class ReplyStatus(StrEnum):
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"


class CommandReply(BaseModel):
    """The outcome of one command, published on the reply topic keyed by message id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: UUID = Field(description="The command answered.")
    command: str = Field(description="Its name.")
    status: ReplyStatus = Field(description="ACCEPTED or REFUSED.")
    result: dict[str, Any] | None = Field(
        default=None, description="When accepted: ids created and the event ids."
    )
    problem: dict[str, Any] | None = Field(
        default=None, description="When refused: an RFC 9457 problem naming the rule."
    )
    replayed: bool = Field(
        default=False, description="True if this answers a command already processed."
    )
    correlation_id: str = Field(description="Correlation id of the command.")
    replied_at: datetime = Field(description="When this reply was produced.")


def reply_to(
    envelope: CommandEnvelope, status: ReplyStatus, **fields: Any
) -> CommandReply:
    return CommandReply(
        message_id=envelope.message_id,
        command=envelope.command,
        status=status,
        correlation_id=envelope.correlation_id or str(envelope.message_id),
        replied_at=datetime.now(UTC),
        **fields,
    )


def parse_envelope(value: bytes | None) -> tuple[CommandEnvelope | None, str]:
    try:
        return CommandEnvelope.model_validate_json(value or b""), ""
    except ValidationError as exc:
        parts = [
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors()[:5]
        ]
        return None, "invalid command envelope: " + "; ".join(parts)

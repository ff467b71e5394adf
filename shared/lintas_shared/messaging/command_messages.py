"""Messages of the Kafka command topics: the command envelope and its reply."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError


def _token_required(schema: dict[str, Any]) -> None:
    # Absent, it is answered REFUSED 401 rather than dead-lettered, so the model lets
    # it be missing; the published schema says what every sender must do.
    token = schema["properties"]["access_token"]
    token.pop("anyOf", None)
    token.pop("default", None)
    token.update(type="string", minLength=1, maxLength=8192)
    required = schema.setdefault("required", [])
    if "access_token" not in required:
        required.append("access_token")


class CommandEnvelope(BaseModel):
    """One command sent by an agency system on a command topic (JSON body)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra=_token_required
    )

    message_id: UUID = Field(
        description="Unique per intended command; a resend with the same id is "
        "answered with the first outcome and writes nothing new."
    )
    command: str = Field(description="Command name, e.g. EnrolOfficer.")
    access_token: str | None = Field(
        default=None,
        max_length=8192,
        description="Required: the agency system's access token (client credentials) "
        "from its ministry's issuer; the actor is the principal it proves. Missing or "
        "invalid: REFUSED with a 401 problem.",
    )
    correlation_id: str | None = Field(
        default=None, description="Carried into the events; default the message id."
    )
    payload: dict[str, Any] = Field(description="The command's fields.")

    def correlation(self) -> str:
        """The correlation id carried into the events (default: the message id)."""
        return self.correlation_id or str(self.message_id)


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


REDACTED = "[redacted]"


def without_credentials(value: bytes | None) -> bytes:
    """The record body with its ``access_token`` redacted, for the dead-letter topic.

    Dead letters are kept and shown to operators: a bearer token in them would be a
    credential anyone who reads the topic could replay while it is valid. A body that
    is not a JSON object carries no token field and is kept as it is.
    """
    raw = value or b""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(body, dict) or "access_token" not in body:
        return raw
    body["access_token"] = REDACTED
    return json.dumps(body, separators=(",", ":")).encode()

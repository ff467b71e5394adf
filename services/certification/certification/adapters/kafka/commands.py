"""The certification command topic: each envelope runs the use case its name selects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import BaseModel, Field, ValidationError

from certification.adapters.bodies import AssessmentBody, CompletionBody, RevocationBody
from certification.adapters.http.problems import refusal_problem
from certification.application.context import CertificationContext
from certification.application.record_assessment import (
    RecordAssessment,
    record_assessment,
)
from certification.application.record_completion import (
    RecordCompletion,
    record_completion,
)
from certification.application.revoke_certification import (
    RevokeCertification,
    revoke_certification,
)
from certification.domain.errors import Refusal
from lintas_shared.commands import Outcome, request_hash
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import ConcurrencyConflict, IdempotencyKeyReused
from lintas_shared.http.problems import Problem
from lintas_shared.messaging.command_ingress import (
    CommandEnvelope,
    CommandHandler,
    CommandIngress,
)


class RecordTrainingCompletion(CompletionBody):
    enrollment_id: UUID = Field(description="Enrollment whose training was completed.")


class RecordCompetencyAssessment(AssessmentBody):
    enrollment_id: UUID = Field(description="Enrollment assessed.")


Run = Callable[
    [CertificationContext, BaseModel, EventMetadata, str], Awaitable[Outcome]
]


async def _completion(
    ctx: CertificationContext, body: BaseModel, metadata: EventMetadata, key: str
) -> Outcome:
    assert isinstance(body, RecordTrainingCompletion)
    command = RecordCompletion(body.enrollment_id, body.completed_on, body.attended_jp)
    return await record_completion(
        ctx, command, metadata, idempotency_key=key, body_hash=_hash(body)
    )


async def _assessment(
    ctx: CertificationContext, body: BaseModel, metadata: EventMetadata, key: str
) -> Outcome:
    assert isinstance(body, RecordCompetencyAssessment)
    command = RecordAssessment(
        enrollment_id=body.enrollment_id,
        # Derived from the message id: a resent command names the same assessment.
        assessment_id=body.assessment_id or uuid5(NAMESPACE_URL, key),
        kind=body.kind,
        result=body.result,
        lsp=body.lsp,
        assessed_on=body.assessed_on,
        skkni_units=tuple(body.skkni_units),
    )
    return await record_assessment(
        ctx, command, metadata, idempotency_key=key, body_hash=_hash(body)
    )


async def _revocation(
    ctx: CertificationContext, body: BaseModel, metadata: EventMetadata, key: str
) -> Outcome:
    assert isinstance(body, RevocationBody)
    command = RevokeCertification(body.certificate_number, body.reason, body.revoked_on)
    return await revoke_certification(
        ctx, command, metadata, idempotency_key=key, body_hash=_hash(body)
    )


@dataclass(frozen=True, slots=True)
class Entry:
    model: type[BaseModel]
    run: Run


COMMANDS: dict[str, Entry] = {
    "RecordTrainingCompletion": Entry(RecordTrainingCompletion, _completion),
    "RecordCompetencyAssessment": Entry(RecordCompetencyAssessment, _assessment),
    "RevokeCertification": Entry(RevocationBody, _revocation),
}


def _hash(body: BaseModel) -> str:
    return request_hash(
        {"command": type(body).__name__, **body.model_dump(mode="json")}
    )


def command_handler(ctx: CertificationContext) -> CommandHandler:
    async def handle(
        envelope: CommandEnvelope, metadata: EventMetadata, key: str
    ) -> Outcome:
        entry = COMMANDS.get(envelope.command)
        if entry is None:
            raise Problem(
                400,
                "unknown-command",
                f"unknown command {envelope.command!r}",
                errors=[{"field": "command", "message": f"one of {sorted(COMMANDS)}"}],
            )
        return await entry.run(
            ctx, entry.model.model_validate(envelope.payload), metadata, key
        )

    return handle


def command_problem(exc: Exception) -> Problem | None:
    """Refusals and bad payloads are answers; anything else is retried by the ingress."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, Refusal):
        return refusal_problem(exc)
    if isinstance(exc, ValidationError):
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors()
        ]
        where = ", ".join(e["field"] for e in errors)
        return Problem(
            422, "invalid-request", f"invalid value(s) at: {where}", errors=errors
        )
    if isinstance(exc, IdempotencyKeyReused):
        return Problem(422, "idempotency-key-reused", f"{exc}; use a new message_id")
    if isinstance(exc, ConcurrencyConflict):
        # Still contended after the executor's retries: the sender may resend.
        return Problem(409, "concurrent-update", str(exc), retryable=True)
    return None


def command_ingress(
    ctx: CertificationContext,
    *,
    bootstrap: str,
    topic: str,
    reply_topic: str,
    group_id: str,
) -> CommandIngress:
    return CommandIngress(
        service="certification",
        bootstrap=bootstrap,
        topic=topic,
        reply_topic=reply_topic,
        group_id=group_id,
        handle=command_handler(ctx),
        refusal=command_problem,
    )

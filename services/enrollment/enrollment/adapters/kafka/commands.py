"""The enrollment command topic: routes each envelope to its use case by name."""

from __future__ import annotations

from enrollment.adapters.problems import refusal_problem
from enrollment.application.catalogue import COMMANDS
from enrollment.application.context import Context
from enrollment.settings import Settings
from lintas_shared.commands import Outcome
from lintas_shared.envelope import EventMetadata
from lintas_shared.http.problems import Problem
from lintas_shared.messaging.command_ingress import (
    CommandEnvelope,
    CommandHandler,
    CommandIngress,
)


def command_handler(ctx: Context) -> CommandHandler:
    """Validate the payload as the named command and run it with the same executor."""

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
        command = entry.model.model_validate(envelope.payload)
        return await entry.handler(ctx, command, metadata, key)

    return handle


def command_ingress(ctx: Context, settings: Settings) -> CommandIngress:
    return CommandIngress(
        service="enrollment",
        bootstrap=settings.kafka_bootstrap,
        topic=settings.command_topic,
        reply_topic=settings.reply_topic,
        group_id=settings.command_group_id,
        handle=command_handler(ctx),
        refusal=refusal_problem,
    )

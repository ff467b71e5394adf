"""Runs a use case's ``decide`` through the kernel executor with this service's policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from enrollment.application.command import Command
from enrollment.application.context import Context
from lintas_shared.commands import Decision, Outcome, execute, request_hash
from lintas_shared.envelope import EventMetadata


async def run(
    ctx: Context,
    command: Command,
    decide: Callable[[], Awaitable[Decision]],
    metadata: EventMetadata,
    idempotency_key: str | None,
) -> Outcome:
    """The key's body hash covers the command's name and payload, so reusing a key for
    another command or another body is refused."""
    body = {
        "command": command.command_name(),
        "payload": command.model_dump(mode="json"),
    }
    return await execute(
        ctx.store,
        decide,
        metadata,
        idempotency_key=idempotency_key,
        body_hash=request_hash(body),
        attempts=ctx.policy.command_attempts,
    )

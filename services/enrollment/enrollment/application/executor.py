"""Runs a use case's ``decide`` through the kernel executor with this service's policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

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
    queue_on: str | None = None,
) -> Outcome:
    """The key's body hash covers the command's name and payload, so reusing a key for
    another command or another body is refused. ``queue_on`` names the contended stream
    (a package) on which commands in this process take turns."""
    body = {
        "command": command.command_name(),
        "payload": command.model_dump(mode="json"),
    }
    if queue_on is None:
        return await _execute(ctx, decide, metadata, idempotency_key, body)
    async with ctx.locks.hold(queue_on):
        return await _execute(ctx, decide, metadata, idempotency_key, body)


async def _execute(
    ctx: Context,
    decide: Callable[[], Awaitable[Decision]],
    metadata: EventMetadata,
    idempotency_key: str | None,
    body: dict[str, Any],
) -> Outcome:
    return await execute(
        ctx.store,
        decide,
        metadata,
        idempotency_key=idempotency_key,
        body_hash=request_hash(body),
        attempts=ctx.policy.command_attempts,
        max_backoff=ctx.policy.max_backoff,
        # One connection per attempt: the use cases read only through the store and
        # the directory, and both take the session's connection.
        pinned=True,
    )

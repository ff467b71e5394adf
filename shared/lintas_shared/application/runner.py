"""Runs a use case's ``decide`` through the kernel executor with a service's policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from lintas_shared.application.command import Command
from lintas_shared.application.stream_locks import StreamLocks
from lintas_shared.commands import Decision, Outcome, execute, request_hash
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore.ports import EventStore


def command_hash(command: Command) -> str:
    """The idempotency body hash: the command's name and payload, so a key reused for
    another command or another body is refused."""
    return request_hash(
        {"command": command.command_name(), "payload": command.model_dump(mode="json")}
    )


class CommandRunner:
    """Load-decide-append with retries, idempotency keys and per-stream queues.

    ``pinned`` runs each attempt on one store session (see ``execute``): only for a
    service whose use cases read through adapters that take the session's connection.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        attempts: int = 8,
        max_backoff: float | None = None,
        pinned: bool = False,
        locks: StreamLocks | None = None,
    ) -> None:
        self.store = store
        self.attempts = attempts
        self.max_backoff = max_backoff
        self.pinned = pinned
        self.locks = locks if locks is not None else StreamLocks()

    async def run(
        self,
        command: Command,
        decide: Callable[[], Awaitable[Decision]],
        metadata: EventMetadata,
        idempotency_key: str | None,
        *,
        queue_on: str | None = None,
    ) -> Outcome:
        """``queue_on`` names a contended stream (a package) on which the commands of
        this process take turns, so only other replicas' writes reach the retry."""
        if queue_on is None:
            return await self._execute(command, decide, metadata, idempotency_key)
        async with self.locks.hold(queue_on):
            return await self._execute(command, decide, metadata, idempotency_key)

    async def _execute(
        self,
        command: Command,
        decide: Callable[[], Awaitable[Decision]],
        metadata: EventMetadata,
        idempotency_key: str | None,
    ) -> Outcome:
        return await execute(
            self.store,
            decide,
            metadata,
            idempotency_key=idempotency_key,
            body_hash=command_hash(command) if idempotency_key else "",
            attempts=self.attempts,
            max_backoff=self.max_backoff,
            pinned=self.pinned,
        )

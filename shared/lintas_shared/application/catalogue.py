"""A service's commands by name: name -> pydantic model -> handler, for every edge.

HTTP routes and the Kafka command ingress both run a command through ``run``, so a
command behaves the same whichever way it arrives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

from lintas_shared.application.command import Command
from lintas_shared.commands import Outcome
from lintas_shared.envelope import EventMetadata

Ctx = TypeVar("Ctx")
Handler = Callable[[Ctx, Any, EventMetadata, str | None], Awaitable[Outcome]]


class CommandCatalogue(Generic[Ctx]):
    """Every command of one service, each with the use case that runs it."""

    def __init__(self, entries: Iterable[tuple[type[Command], Handler[Ctx]]]) -> None:
        self._models: dict[str, type[Command]] = {}
        self._handlers: dict[type[Command], Handler[Ctx]] = {}
        for model, handler in entries:
            self._models[model.command_name()] = model
            self._handlers[model] = handler

    def names(self) -> list[str]:
        return sorted(self._models)

    def models(self) -> dict[str, type[Command]]:
        """Name -> the command's model (its payload schema on the command topic)."""
        return dict(self._models)

    def model(self, name: str) -> type[Command] | None:
        """The model of the named command, None if this service has no such command."""
        return self._models.get(name)

    async def run(
        self,
        ctx: Ctx,
        command: Command,
        metadata: EventMetadata,
        idempotency_key: str | None,
    ) -> Outcome:
        handler = self._handlers.get(type(command))
        if handler is None:
            raise TypeError(f"{type(command).__name__} is not in this catalogue")
        return await handler(ctx, command, metadata, idempotency_key)

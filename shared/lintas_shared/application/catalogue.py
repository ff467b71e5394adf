"""A service's commands by name: model, handler, and who may run it, for every edge.

HTTP routes and the Kafka command ingress both run a command through ``run``, so a
command is authorized, audited and executed the same whichever way it arrives: each
entry declares its ``Action`` and a resolver that reads what the rules look at (the
package's BLK, the officer's Lapas); ``run`` resolves, authorizes (403 naming the rule),
writes the audit entry, builds the event metadata from the verified principal (never
from a header or a body) and only then runs the handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from lintas_shared.application.command import Command
from lintas_shared.audit import (
    AuditedContext,
    current_correlation_id,
    record,
    record_unresolved,
    scope_summary,
)
from lintas_shared.commands import Outcome
from lintas_shared.domain.refusals import Refusal, RefusalKind
from lintas_shared.envelope import EventMetadata
from lintas_shared.identity.fastapi import forbid
from lintas_shared.identity.policy import Denied, authorize
from lintas_shared.identity.principal import Principal
from lintas_shared.identity.rules import Action, Resource

Ctx = TypeVar("Ctx", bound=AuditedContext)
Handler = Callable[[Ctx, Any, EventMetadata, str | None], Awaitable[Outcome]]
Resolver = Callable[[Ctx, Any], Awaitable[Resource]]


@dataclass(frozen=True, slots=True)
class Entry(Generic[Ctx]):
    """One command: its model, its use case, the action it is, and its resource."""

    model: type[Command]
    handler: Handler[Ctx]
    action: Action
    resolve: Resolver[Ctx]


def metadata_for(
    principal: Principal,
    *,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> EventMetadata:
    """The event metadata of a command run by `principal`."""
    return EventMetadata(
        actor_agency=principal.agency.value,
        actor_unit=principal.unit,
        correlation_id=correlation_id or current_correlation_id(),
        causation_id=causation_id,
        actor_subject=principal.subject,
    )


def command_ids(command: Command) -> dict[str, UUID]:
    """The ids a command names (package, agreement, enrollment), for the audit scope."""
    return {name: value for name, value in command if isinstance(value, UUID)}


class CommandCatalogue(Generic[Ctx]):
    """Every command of one service, each with its use case and its authorization."""

    def __init__(self, entries: Iterable[Entry[Ctx]]) -> None:
        self._models: dict[str, type[Command]] = {}
        self._entries: dict[type[Command], Entry[Ctx]] = {}
        for entry in entries:
            self._models[entry.model.command_name()] = entry.model
            self._entries[entry.model] = entry

    def names(self) -> list[str]:
        return sorted(self._models)

    def models(self) -> dict[str, type[Command]]:
        """Name -> the command's model (its payload schema on the command topic)."""
        return dict(self._models)

    def model(self, name: str) -> type[Command] | None:
        """The model of the named command, None if this service has no such command."""
        return self._models.get(name)

    def action(self, model: type[Command]) -> Action | None:
        """The action the command is (None if it is not in this catalogue)."""
        entry = self._entries.get(model)
        return entry.action if entry is not None else None

    async def run(
        self,
        ctx: Ctx,
        command: Command,
        principal: Principal,
        idempotency_key: str | None,
        *,
        correlation_id: str | None = None,
        causation_id: str | None = None,
    ) -> Outcome:
        """Authorize `command` for `principal`, audit it, then run it.

        Raises the 403 problem naming the rule if the policy denies it (after the
        denial is audited). ``correlation_id`` defaults to the request's.
        """
        entry = self._entries.get(type(command))
        if entry is None:
            raise TypeError(f"{type(command).__name__} is not in this catalogue")
        if not isinstance(principal, Principal):
            raise TypeError("commands run as a verified Principal, never as metadata")
        metadata = metadata_for(
            principal, correlation_id=correlation_id, causation_id=causation_id
        )
        resource = await self._resolve(ctx, entry, command, principal, metadata)
        decision = authorize(principal, entry.action, resource)
        await record(
            ctx.audit,
            principal,
            entry.action,
            decision,
            scope=scope_summary(resource, command_ids(command)),
            correlation_id=metadata.correlation_id,
        )
        if isinstance(decision, Denied):
            raise forbid(decision)
        return await entry.handler(ctx, command, metadata, idempotency_key)

    async def _resolve(
        self,
        ctx: Ctx,
        entry: Entry[Ctx],
        command: Command,
        principal: Principal,
        metadata: EventMetadata,
    ) -> Resource:
        try:
            return await entry.resolve(ctx, command)
        except Refusal as refusal:
            if refusal.kind is RefusalKind.NOT_FOUND:
                await record_unresolved(
                    ctx.audit,
                    principal,
                    entry.action,
                    refusal.rule,
                    scope=scope_summary(None, command_ids(command)),
                    correlation_id=metadata.correlation_id,
                )
            raise

"""Runs a command against the event store: idempotency key, optimistic retry, one append."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore.ports import (
    ConcurrencyConflict,
    DuplicateIdempotencyKey,
    EventStore,
    IdempotencyKeyReused,
    IdempotencyRecord,
    StreamAppend,
)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a command decided: the appends to make and the response to give."""

    appends: Sequence[StreamAppend]
    response: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outcome:
    response: dict[str, Any]
    replayed: bool


def request_hash(payload: Any) -> str:
    """Stable hash of a command body, to refuse a reused key with a different body."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def execute(
    store: EventStore,
    decide: Callable[[], Awaitable[Decision]],
    metadata: EventMetadata,
    *,
    idempotency_key: str | None = None,
    body_hash: str = "",
    attempts: int = 8,
    max_backoff: float | None = None,
    pinned: bool = False,
) -> Outcome:
    """Load-decide-append, retrying on ConcurrencyConflict; ``decide`` reloads each time.

    A domain refusal raised by ``decide`` propagates and nothing is written. A retry with
    the same key and body returns the first response; with another body it is refused.
    The key is claimed by the append itself, so it is looked up only when ``decide``
    refuses: the refusal may just mean that the first run of this command committed
    meanwhile (the officer is enrolled already), and then its answer is the answer.
    ``pinned`` runs each attempt in one store session (one connection for the reads, the
    append and any key lookup; the backoff between attempts holds none). Only for use
    cases whose every adapter takes its connection from the session: one that acquired
    its own from the same pool meanwhile could wait forever for a pool full of sessions.
    """
    for attempt in range(attempts):
        async with store.session() if pinned else nullcontext():
            try:
                decision = await decide()
            except Exception:
                if idempotency_key:
                    earlier = await store.idempotent_response(idempotency_key)
                    if earlier is not None:
                        return _replay(earlier, body_hash)
                raise
            record = (
                IdempotencyRecord(idempotency_key, body_hash, decision.response)
                if idempotency_key
                else None
            )
            try:
                await store.append(decision.appends, metadata, record)
                return Outcome(decision.response, replayed=False)
            except DuplicateIdempotencyKey as dup:
                return _replay(dup.existing, body_hash)
            except ConcurrencyConflict:
                if attempt == attempts - 1:
                    raise
        # Jitter spreads contending writers so most succeed within a few rounds.
        # ``max_backoff`` caps the wait so many attempts cannot add up to minutes.
        ceiling = 0.005 * 2**attempt
        if max_backoff is not None:
            ceiling = min(ceiling, max_backoff)
        await asyncio.sleep(random.uniform(0, ceiling))
    raise AssertionError("unreachable")


def _replay(earlier: IdempotencyRecord, body_hash: str) -> Outcome:
    if earlier.request_hash != body_hash:
        raise IdempotencyKeyReused(earlier.key)
    return Outcome(earlier.response, replayed=True)

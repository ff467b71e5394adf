"""Command executor: idempotency keys and optimistic retry, against the in-memory store."""

import asyncio
from uuid import uuid4

import pytest

from lintas_shared.commands import Decision, execute, request_hash
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import (
    IdempotencyKeyReused,
    InMemoryEventStore,
    NewEvent,
    StreamAppend,
)

pytestmark = pytest.mark.unit

META = EventMetadata("KEMNAKER", "BPVP-PADANG")


def _counter_decider(store: InMemoryEventStore, stream: str, limit: int | None = None):
    async def decide() -> Decision:
        current = len(await store.read_stream(stream))
        if limit is not None and current >= limit:
            raise ValueError("full")
        event = NewEvent("lintas.Counted.v1", {"n": current + 1}, topic="t")
        return Decision([StreamAppend(stream, current, [event])], {"n": current + 1})

    return decide


async def test_a_retry_with_the_same_key_returns_the_first_result_and_writes_nothing() -> (
    None
):
    store = InMemoryEventStore()
    stream = f"s-{uuid4()}"
    body = request_hash({"x": 1})
    first = await execute(
        store,
        _counter_decider(store, stream),
        META,
        idempotency_key="k-1234567",
        body_hash=body,
    )
    again = await execute(
        store,
        _counter_decider(store, stream),
        META,
        idempotency_key="k-1234567",
        body_hash=body,
    )
    assert first.response == again.response == {"n": 1}
    assert (first.replayed, again.replayed) == (False, True)
    assert len(await store.read_stream(stream)) == 1
    assert len(store.outbox) == 1


async def test_the_same_key_with_another_body_is_refused() -> None:
    store = InMemoryEventStore()
    stream = f"s-{uuid4()}"
    await execute(
        store,
        _counter_decider(store, stream),
        META,
        idempotency_key="k-abcdefgh",
        body_hash="a",
    )
    with pytest.raises(IdempotencyKeyReused):
        await execute(
            store,
            _counter_decider(store, stream),
            META,
            idempotency_key="k-abcdefgh",
            body_hash="b",
        )


async def test_concurrent_commands_all_land_by_retrying_conflicts() -> None:
    store = InMemoryEventStore()
    stream = f"s-{uuid4()}"
    results = await asyncio.gather(
        *(execute(store, _counter_decider(store, stream), META) for _ in range(20))
    )
    assert sorted(r.response["n"] for r in results) == list(range(1, 21))
    assert [e.version for e in await store.read_stream(stream)] == list(range(1, 21))


async def test_a_refusal_writes_nothing() -> None:
    store = InMemoryEventStore()
    stream = f"s-{uuid4()}"
    await execute(store, _counter_decider(store, stream, limit=1), META)
    with pytest.raises(ValueError, match="full"):
        await execute(
            store,
            _counter_decider(store, stream, limit=1),
            META,
            idempotency_key="k-refused1",
        )
    assert len(await store.read_stream(stream)) == 1
    assert await store.idempotent_response("k-refused1") is None


async def test_a_refusal_after_the_first_run_committed_replays_its_answer() -> None:
    """The first run of a command may commit between a retry's start and its reads; the
    retry is then refused by the rules (already enrolled), yet must get the first answer."""
    store = InMemoryEventStore()
    stream = f"s-{uuid4()}"
    body = request_hash({"x": 1})
    first = await execute(
        store,
        _counter_decider(store, stream, limit=1),
        META,
        idempotency_key="k-committed",
        body_hash=body,
    )
    again = await execute(
        store,
        _counter_decider(store, stream, limit=1),  # now refuses: "full"
        META,
        idempotency_key="k-committed",
        body_hash=body,
    )
    assert (again.response, again.replayed) == (first.response, True)
    with pytest.raises(IdempotencyKeyReused):
        await execute(
            store,
            _counter_decider(store, stream, limit=1),
            META,
            idempotency_key="k-committed",
            body_hash="another body",
        )
    assert len(await store.read_stream(stream)) == 1

"""The same event-store contract, run against PostgreSQL and the in-memory twin."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import (
    ConcurrencyConflict,
    DuplicateIdempotencyKey,
    EventStore,
    IdempotencyRecord,
    InMemoryEventStore,
    NewEvent,
    PostgresEventStore,
    StreamAppend,
)

pytestmark = pytest.mark.integration

META = EventMetadata("DITJENPAS", "LAPAS-IIA-PADANG")


@pytest.fixture(params=["memory", "postgres"])
def store(request: pytest.FixtureRequest) -> EventStore:
    # Sync on purpose: requesting the async pool fixture dynamically from inside a
    # running event loop is not possible.
    if request.param == "memory":
        return InMemoryEventStore()
    pool: asyncpg.Pool = request.getfixturevalue("kernel_pool")
    return PostgresEventStore(pool)


def _events(n: int, topic: str | None = "t") -> list[NewEvent]:
    return [NewEvent("lintas.Thing.v1", {"i": i}, topic=topic) for i in range(n)]


async def test_appends_and_reads_a_stream_in_version_order(store: EventStore) -> None:
    stream = f"s-{uuid.uuid4()}"
    await store.append([StreamAppend(stream, 0, _events(2))], META)
    await store.append([StreamAppend(stream, 2, _events(1))], META)
    events = await store.read_stream(stream)
    assert [e.version for e in events] == [1, 2, 3]
    assert [e.data["i"] for e in events] == [0, 1, 0]
    assert events[0].metadata == META
    assert await store.read_stream(f"s-{uuid.uuid4()}") == []


async def test_refuses_a_stale_expected_version(store: EventStore) -> None:
    stream = f"s-{uuid.uuid4()}"
    await store.append([StreamAppend(stream, 0, _events(1))], META)
    with pytest.raises(ConcurrencyConflict) as info:
        await store.append([StreamAppend(stream, 0, _events(1))], META)
    assert info.value.stream_id == stream
    assert info.value.expected == 0
    assert len(await store.read_stream(stream)) == 1


async def test_a_conflict_on_one_stream_writes_nothing_to_the_other(
    store: EventStore,
) -> None:
    a, b = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    await store.append([StreamAppend(b, 0, _events(1))], META)
    with pytest.raises(ConcurrencyConflict):
        await store.append(
            [StreamAppend(a, 0, _events(1)), StreamAppend(b, 0, _events(1))], META
        )
    assert await store.read_stream(a) == []
    assert len(await store.read_stream(b)) == 1


async def test_twenty_concurrent_appends_at_one_version_exactly_one_wins(
    store: EventStore,
) -> None:
    stream = f"s-{uuid.uuid4()}"
    await store.append([StreamAppend(stream, 0, _events(1))], META)

    async def attempt() -> str:
        try:
            await store.append([StreamAppend(stream, 1, _events(1))], META)
            return "won"
        except ConcurrencyConflict:
            return "conflict"

    outcomes = await asyncio.gather(*(attempt() for _ in range(20)))
    assert outcomes.count("won") == 1
    assert outcomes.count("conflict") == 19
    assert [e.version for e in await store.read_stream(stream)] == [1, 2]


async def test_an_idempotency_key_is_claimed_once(store: EventStore) -> None:
    stream = f"s-{uuid.uuid4()}"
    record = IdempotencyRecord("key-12345678", "h1", {"enrollment_id": "x"})
    await store.append([StreamAppend(stream, 0, _events(1))], META, record)
    with pytest.raises(DuplicateIdempotencyKey) as info:
        await store.append(
            [StreamAppend(stream, 1, _events(1))],
            META,
            IdempotencyRecord("key-12345678", "h2", {}),
        )
    assert info.value.existing == record
    assert await store.idempotent_response("key-12345678") == record
    assert len(await store.read_stream(stream)) == 1


async def test_reads_events_by_type_in_commit_order(store: EventStore) -> None:
    a, b = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    await store.append([StreamAppend(a, 0, [NewEvent("lintas.X.v1", {"n": 1})])], META)
    await store.append([StreamAppend(b, 0, [NewEvent("lintas.Y.v1", {"n": 2})])], META)
    await store.append([StreamAppend(a, 1, [NewEvent("lintas.X.v1", {"n": 3})])], META)
    found = await store.read_by_type(["lintas.X.v1"])
    assert [e.data["n"] for e in found if e.stream_id == a] == [1, 3]
    assert all(e.type == "lintas.X.v1" for e in found)


async def test_outbox_rows_commit_with_their_events_only(
    kernel_pool: asyncpg.Pool,
) -> None:
    store = PostgresEventStore(kernel_pool)
    stream = f"s-{uuid.uuid4()}"
    await store.append(
        [StreamAppend(stream, 0, _events(2) + _events(1, topic=None))], META
    )
    with pytest.raises(ConcurrencyConflict):
        await store.append([StreamAppend(stream, 0, _events(1))], META)
    rows = await kernel_pool.fetch(
        "SELECT o.topic, e.version FROM outbox o JOIN events e USING (event_id) "
        "WHERE e.stream_id = $1 ORDER BY o.id",
        stream,
    )
    assert [(r["topic"], r["version"]) for r in rows] == [("t", 1), ("t", 2)]


async def test_a_large_append_queues_its_outbox_rows_in_version_order(
    kernel_pool: asyncpg.Pool,
) -> None:
    store = PostgresEventStore(kernel_pool)
    stream = f"s-{uuid.uuid4()}"
    events = [NewEvent("lintas.Thing.v1", {"i": i}, topic="t") for i in range(200)]
    await store.append([StreamAppend(stream, 0, events)], META)
    rows = await kernel_pool.fetch(
        "SELECT e.version, e.data FROM outbox o JOIN events e USING (event_id) "
        "WHERE e.stream_id = $1 ORDER BY o.id",
        stream,
    )
    assert [r["version"] for r in rows] == list(range(1, 201))
    assert [r["data"]["i"] for r in rows] == list(range(200))

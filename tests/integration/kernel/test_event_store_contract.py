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
from lintas_shared.eventstore.postgres import OUTBOX_CHANNEL, session_connection

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


async def test_reads_several_streams_at_once(store: EventStore) -> None:
    a, b, missing = (f"{p}-{uuid.uuid4()}" for p in "abm")
    await store.append([StreamAppend(a, 0, _events(3))], META)
    await store.append([StreamAppend(b, 0, _events(1))], META)
    await store.append([StreamAppend(b, 1, _events(1))], META)
    found = await store.read_streams([missing, b, a])
    assert list(found) == [missing, b, a]
    assert found[missing] == []
    assert [(e.stream_id, e.version) for e in found[a]] == [(a, 1), (a, 2), (a, 3)]
    assert [(e.stream_id, e.version) for e in found[b]] == [(b, 1), (b, 2)]
    assert found[a] == await store.read_stream(a)
    assert await store.read_streams([]) == {}


async def test_a_session_reads_and_appends_and_nests(store: EventStore) -> None:
    stream = f"s-{uuid.uuid4()}"
    async with store.session():
        assert await store.read_streams([stream]) == {stream: []}
        await store.append([StreamAppend(stream, 0, _events(1))], META)
        async with store.session():
            await store.append([StreamAppend(stream, 1, _events(1))], META)
        with pytest.raises(ConcurrencyConflict):
            await store.append([StreamAppend(stream, 1, _events(1))], META)
        assert len(await store.read_stream(stream)) == 2
    assert [e.version for e in await store.read_stream(stream)] == [1, 2]


async def test_one_append_to_two_streams_names_the_stale_one(
    store: EventStore,
) -> None:
    a, b = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    await store.append([StreamAppend(b, 0, _events(2))], META)
    recorded = await store.append(
        [StreamAppend(a, 0, _events(2)), StreamAppend(b, 2, _events(1))], META
    )
    assert [(e.stream_id, e.version) for e in recorded] == [(a, 1), (a, 2), (b, 3)]
    with pytest.raises(ConcurrencyConflict) as info:
        await store.append(
            [StreamAppend(a, 2, _events(1)), StreamAppend(b, 2, _events(1))], META
        )
    assert (info.value.stream_id, info.value.expected, info.value.actual) == (b, 2, 3)
    found = await store.read_streams([a, b])
    assert (len(found[a]), len(found[b])) == (2, 3)


async def test_a_conflict_leaves_the_idempotency_key_free(store: EventStore) -> None:
    stream = f"s-{uuid.uuid4()}"
    await store.append([StreamAppend(stream, 0, _events(1))], META)
    record = IdempotencyRecord("key-conflict1", "h", {"n": 1})
    with pytest.raises(ConcurrencyConflict):
        await store.append([StreamAppend(stream, 0, _events(1))], META, record)
    assert await store.idempotent_response("key-conflict1") is None
    await store.append([StreamAppend(stream, 1, _events(1))], META, record)
    assert await store.idempotent_response("key-conflict1") == record


async def test_a_key_alone_can_be_recorded(store: EventStore) -> None:
    record = IdempotencyRecord("key-nothing1", "h", {"changed": False})
    assert await store.append([], META, record) == []
    assert await store.idempotent_response("key-nothing1") == record
    with pytest.raises(DuplicateIdempotencyKey):
        await store.append([], META, record)


async def test_a_postgres_session_holds_one_connection(
    kernel_pool: asyncpg.Pool,
) -> None:
    store = PostgresEventStore(kernel_pool)
    async with (
        session_connection(kernel_pool) as a,
        session_connection(kernel_pool) as b,
    ):
        assert a is not b  # outside a session every block acquires its own
    async with store.session():
        async with session_connection(kernel_pool) as a:
            pid = await a.fetchval("SELECT pg_backend_pid()")
        async with session_connection(kernel_pool) as b:
            assert b is a
        await store.append([StreamAppend(f"s-{uuid.uuid4()}", 0, _events(1))], META)
        async with session_connection(kernel_pool) as c:
            assert await c.fetchval("SELECT pg_backend_pid()") == pid
    other = PostgresEventStore(kernel_pool)
    async with store.session(), other.session():
        pass  # a second store on the same pool joins the session


async def test_the_relay_is_woken_only_by_appends_with_outbox_rows(
    kernel_pool: asyncpg.Pool,
) -> None:
    store = PostgresEventStore(kernel_pool)
    woken: asyncio.Queue[str] = asyncio.Queue()

    def wake(*_: object) -> None:
        woken.put_nowait("!")

    async with kernel_pool.acquire() as listener:
        await listener.add_listener(OUTBOX_CHANNEL, wake)
        try:
            await store.append(
                [StreamAppend(f"s-{uuid.uuid4()}", 0, _events(1, topic=None))], META
            )
            await asyncio.sleep(0.2)
            assert woken.empty()
            await store.append(
                [
                    StreamAppend(f"a-{uuid.uuid4()}", 0, _events(2)),
                    StreamAppend(f"b-{uuid.uuid4()}", 0, _events(1)),
                ],
                META,
            )
            assert await asyncio.wait_for(woken.get(), 5) == "!"
        finally:
            await listener.remove_listener(OUTBOX_CHANNEL, wake)


async def test_outbox_rows_of_a_multi_stream_append_follow_the_given_order(
    kernel_pool: asyncpg.Pool,
) -> None:
    store = PostgresEventStore(kernel_pool)
    a, b = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    await store.append(
        [
            StreamAppend(a, 0, _events(3)),
            StreamAppend(b, 0, _events(1, topic=None) + _events(2)),
        ],
        META,
    )
    rows = await kernel_pool.fetch(
        "SELECT o.message_key, e.version FROM outbox o JOIN events e USING (event_id) "
        "WHERE e.stream_id = ANY($1::text[]) ORDER BY o.id",
        [a, b],
    )
    assert [(r["message_key"], r["version"]) for r in rows] == [
        (a, 1), (a, 2), (a, 3), (b, 2), (b, 3)
    ]  # fmt: skip


async def test_concurrent_appends_with_one_key_commit_once(store: EventStore) -> None:
    key = f"key-{uuid.uuid4()}"
    streams = [f"s-{uuid.uuid4()}" for _ in range(10)]

    async def attempt(i: int) -> str:
        record = IdempotencyRecord(key, "h", {"i": i})
        try:
            await store.append([StreamAppend(streams[i], 0, _events(1))], META, record)
            return "won"
        except DuplicateIdempotencyKey as dup:
            assert dup.existing.request_hash == "h"
            return "replayed"

    outcomes = await asyncio.gather(*(attempt(i) for i in range(10)))
    assert sorted(outcomes) == ["replayed"] * 9 + ["won"]
    written = await store.read_streams(streams)
    assert sum(len(events) for events in written.values()) == 1


async def test_reads_only_the_tail_after_known_versions(store: EventStore) -> None:
    a, b, missing = (f"{p}-{uuid.uuid4()}" for p in "abm")
    await store.append([StreamAppend(a, 0, _events(3))], META)
    await store.append([StreamAppend(b, 0, _events(2))], META)
    found = await store.read_streams([a, b, missing], after={a: 1, b: 2, missing: 4})
    assert [e.version for e in found[a]] == [2, 3]
    assert found[b] == found[missing] == []
    assert [e.version for e in (await store.read_streams([b], after={}))[b]] == [1, 2]


async def test_the_same_stream_twice_in_one_append_is_refused(
    store: EventStore,
) -> None:
    """Every expected version is checked against the stream as it was before the append."""
    stream = f"s-{uuid.uuid4()}"
    with pytest.raises(ConcurrencyConflict):
        await store.append(
            [StreamAppend(stream, 0, _events(1)), StreamAppend(stream, 1, _events(1))],
            META,
        )
    assert await store.read_stream(stream) == []


async def test_two_appends_to_one_new_stream_in_one_call_are_refused(
    store: EventStore,
) -> None:
    """Both expect version 0, so both claim version 1: PostgreSQL's key refuses it."""
    stream, other = f"s-{uuid.uuid4()}", f"o-{uuid.uuid4()}"
    with pytest.raises(ConcurrencyConflict) as info:
        await store.append(
            [
                StreamAppend(other, 0, _events(1)),
                StreamAppend(stream, 0, _events(1)),
                StreamAppend(stream, 0, _events(2)),
            ],
            META,
        )
    assert info.value.stream_id == stream
    assert await store.read_streams([stream, other]) == {stream: [], other: []}

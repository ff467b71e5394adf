"""The cache of decoded stream events: only tails are read, never a wrong history."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from uuid import uuid4

import pytest

from enrollment.application.context import Context
from enrollment.application.enrol_officer import enrol_officer
from enrollment.application.event_cache import EventCache
from enrollment.domain.events import NameClaimed, encode
from enrollment.domain.package import TrainingPackage
from lintas_shared.eventstore import InMemoryEventStore, NewEvent, StreamAppend
from lintas_shared.eventstore.ports import RecordedEvent
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.unit

LAPAS = f.metadata("LAPAS-IIA-PADANG", "DITJENPAS")


class SpyStore(InMemoryEventStore):
    """Records what each read asked for; can pause reads to interleave commands."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[dict[str, int]] = []
        self.pause: asyncio.Event | None = None

    async def read_streams(
        self, stream_ids: Sequence[str], after: Mapping[str, int] | None = None
    ) -> dict[str, list[RecordedEvent]]:
        self.asked.append(dict(after or {}))
        pause = self.pause
        found = await super().read_streams(stream_ids, after)
        if pause is not None:
            await pause.wait()
        return found


async def _claims(store: InMemoryEventStore, stream: str, at: int, n: int) -> None:
    events = [NewEvent(*encode(NameClaimed(owner_id=uuid4()))) for _ in range(n)]
    await store.append([StreamAppend(stream, at, events)], f.metadata())


async def test_a_second_read_asks_only_for_the_tail() -> None:
    store, cache = SpyStore(), EventCache()
    await _claims(store, "a", 0, 3)
    first = await cache.read(store, ["a"], ["b"])
    await _claims(store, "a", 3, 2)
    second = await cache.read(store, ["a"], ["b"])
    assert store.asked == [{"a": 0}, {"a": 3}]
    assert (len(first["a"]), len(second["a"]), second["b"]) == (3, 5, ())
    assert second["a"][:3] == first["a"]
    assert [e.version for e in await store.read_stream("a")] == [1, 2, 3, 4, 5]


async def test_uncached_and_unknown_streams_are_not_kept() -> None:
    store, cache = SpyStore(), EventCache()
    await _claims(store, "officer", 0, 1)
    await cache.read(store, ["missing"], ["officer"])
    await cache.read(store, ["missing"], ["officer"])
    assert store.asked == [{"missing": 0}, {"missing": 0}]
    assert len(cache) == 0


async def test_fresh_forgets_what_was_kept() -> None:
    store, cache = SpyStore(), EventCache()
    await _claims(store, "a", 0, 2)
    await cache.read(store, ["a"])
    again = await cache.read(store, ["a"], fresh=True)
    assert store.asked == [{"a": 0}, {"a": 0}]
    assert len(again["a"]) == 2


async def test_an_enrollment_on_a_wrong_kept_history_conflicts_then_reads_fresh() -> (
    None
):
    h = f.Harness()
    s = await f.scene(h)
    ctx = h.ctx
    for _ in range(2):
        await enrol_officer(ctx, f.enrol(s.package_id, s.lapas.code), LAPAS, None)
    # The same context over a store that has the agreement and the package but not its
    # enrollments (as a database restored under a running service would).
    restored = f.Harness()
    package = TrainingPackage.stream_id(s.package_id)
    for stream, keep in ((f"agreement-{s.agreement_id}", 1), (package, 1)):
        kept = (await h.store.read_stream(stream))[:keep]
        copies = [NewEvent(e.type, e.data) for e in kept]
        await restored.store.append([StreamAppend(stream, 0, copies)], f.metadata())
    again = Context(
        restored.store, h.queries, h.policy, h.now, events=ctx.events, audit=h.audit
    )
    outcome = await enrol_officer(
        again, f.enrol(s.package_id, s.lapas.code), LAPAS, None
    )
    assert not outcome.replayed
    assert [e.version for e in await restored.store.read_stream(package)] == [1, 2]


async def test_concurrent_reads_of_one_stream_never_double_events() -> None:
    store, cache = SpyStore(), EventCache()
    await _claims(store, "a", 0, 2)
    await cache.read(store, ["a"])
    await _claims(store, "a", 2, 1)
    gate = store.pause = asyncio.Event()
    slow = asyncio.create_task(cache.read(store, ["a"]))
    await asyncio.sleep(0)  # the slow reader has its tail (version 3) and waits
    store.pause = None
    await _claims(store, "a", 3, 1)
    fast = await cache.read(store, ["a"])
    gate.set()
    late = await slow
    assert store.asked == [{"a": 0}, {"a": 2}, {"a": 2}]
    assert (len(fast["a"]), len(late["a"])) == (4, 3)
    # The shorter, later answer did not replace the longer history kept.
    assert len((await cache.read(store, ["a"]))["a"]) == 4
    assert store.asked[-1] == {"a": 4}


async def test_the_least_recently_used_streams_go_first() -> None:
    store, cache = SpyStore(), EventCache(max_events=5)
    for name in "abc":
        await _claims(store, name, 0, 2)
    await cache.read(store, ["a"])
    await cache.read(store, ["b"])
    await cache.read(store, ["a"])  # a is used again, b is now the oldest
    await cache.read(store, ["c"])
    assert len(cache) == 2
    store.asked.clear()
    await cache.read(store, ["a", "b", "c"])
    assert store.asked == [{"a": 2, "b": 0, "c": 2}]

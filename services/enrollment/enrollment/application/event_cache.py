"""Decoded events of recently used streams, so a command reads and decodes only the tail."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from enrollment.domain.events import Event, decode
from lintas_shared.eventstore.ports import EventStore, RecordedEvent


class EventCache:
    """Stream id -> its decoded events of versions 1..n; least recently used go first.

    Stored events never change (the store is append-only), so what was read once stays
    true and a load asks the store only for the events after the cached version, in the
    same round trip as the other streams. Only events read back from the store are kept,
    never a command's own before it commits. A replica's cache is its own; a tail read
    sees every other replica's appends. Should the kept history be wrong all the same
    (a database restored under a running service), the append at the kept version
    conflicts and the retry reads ``fresh``; restart services after a restore anyway.
    """

    def __init__(self, max_events: int = 10_000) -> None:
        self._streams: OrderedDict[str, tuple[Event, ...]] = OrderedDict()
        self._events = 0
        self._max_events = max_events

    async def read(
        self,
        store: EventStore,
        cached: Sequence[str],
        others: Sequence[str] = (),
        *,
        fresh: bool = False,
    ) -> dict[str, tuple[Event, ...]]:
        """Every stream named, decoded; ``cached`` ones are kept for the next command.
        ``fresh`` forgets them first (after a conflict, trust nothing kept)."""
        if fresh:
            for stream_id in cached:
                self._forget(stream_id)
        # Taken before the read: a concurrent command may extend the cache meanwhile.
        bases = {sid: self._streams.get(sid, ()) for sid in cached}
        known = {sid: len(events) for sid, events in bases.items()}
        tails = await store.read_streams([*cached, *others], after=known)
        found = {sid: _decoded(tails[sid]) for sid in others}
        for sid, base in bases.items():
            found[sid] = base + _decoded(tails[sid])
            self._keep(sid, found[sid])
        return found

    def __len__(self) -> int:
        return len(self._streams)

    def _keep(self, stream_id: str, events: tuple[Event, ...]) -> None:
        current = self._streams.get(stream_id, ())
        if not events or len(events) < len(current):
            return  # unknown ids cost nothing to keep
        self._forget(stream_id)
        self._streams[stream_id] = events
        self._events += len(events)
        while self._events > self._max_events and len(self._streams) > 1:
            _, dropped = self._streams.popitem(last=False)
            self._events -= len(dropped)

    def _forget(self, stream_id: str) -> None:
        dropped = self._streams.pop(stream_id, ())
        self._events -= len(dropped)


def _decoded(recorded: Sequence[RecordedEvent]) -> tuple[Event, ...]:
    return tuple(decode(e.type, e.data) for e in recorded)

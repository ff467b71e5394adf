"""An in-process queue per stream: commands on one package wait their turn instead of
conflicting, so only other replicas' writes reach the optimistic retry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class StreamLocks:
    """One asyncio lock per stream id, dropped when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, stream_id: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(stream_id, asyncio.Lock())
        self._users[stream_id] = self._users.get(stream_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[stream_id] -= 1
            if not self._users[stream_id]:
                del self._users[stream_id], self._locks[stream_id]

    def __len__(self) -> int:
        return len(self._locks)

"""Base of the event-sourced aggregates: state changes only by applying events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self

from enrollment.domain.events import Event


class Aggregate:
    """Replays its stream; new events go through the same ``apply`` and wait in ``pending``."""

    handlers: ClassVar[dict[type, Callable[[Any, Any], None]]] = {}

    def __init__(self) -> None:
        self.version = 0
        self.pending: list[Event] = []

    @classmethod
    def replay(cls, events: Iterable[Event], *args: Any) -> Self:
        aggregate = cls(*args)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)

    def apply(self, event: Event) -> None:
        handler = self.handlers.get(type(event))
        if handler is None:
            raise TypeError(
                f"{type(self).__name__} cannot apply {type(event).__name__}"
            )
        handler(self, event)

    def record(self, event: Event) -> None:
        self.apply(event)
        self.pending.append(event)

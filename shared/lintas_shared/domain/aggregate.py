"""Base of the event-sourced aggregates: state changes only by applying events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, Self, TypeVar

E = TypeVar("E")


class Aggregate(Generic[E]):
    """Replays its stream; new events go through the same ``apply`` and wait in ``pending``.

    ``version`` is the stream's version as loaded (the expected version of the append
    that stores ``pending``); subclasses map each event type to a handler in ``handlers``.
    """

    handlers: ClassVar[dict[type, Callable[[Any, Any], None]]] = {}

    def __init__(self) -> None:
        self.version = 0
        self.pending: list[E] = []

    @classmethod
    def replay(cls, events: Iterable[E], *args: Any) -> Self:
        """The aggregate built by ``cls(*args)`` with every stored event applied."""
        aggregate = cls(*args)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)

    def apply(self, event: E) -> None:
        handler = self.handlers.get(type(event)) or _inherited(self.handlers, event)
        if handler is None:
            raise TypeError(
                f"{type(self).__name__} cannot apply {type(event).__name__}"
            )
        handler(self, event)

    def record(self, event: E) -> None:
        """A new event: applied now, appended when the command commits."""
        self.apply(event)
        self.pending.append(event)


def _inherited(
    handlers: dict[type, Callable[[Any, Any], None]], event: object
) -> Callable[[Any, Any], None] | None:
    """The handler of a base class: a newer version of an event may be defined on top of
    the model a handler names (and its payload upcast to it by the registry)."""
    return next((handlers[c] for c in type(event).__mro__[1:] if c in handlers), None)

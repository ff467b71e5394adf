"""Base of the command models: frozen, strict, every field described."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Command(BaseModel):
    """An intention sent by an agency, over HTTP or a Kafka command topic.

    Its class name is its name on the command topic (``command_name``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def command_name(cls) -> str:
        return cls.__name__

"""What the write services' use cases share: command models, the runner, the catalogue."""

from lintas_shared.application.catalogue import (
    CommandCatalogue,
    Entry,
    Resolver,
    metadata_for,
)
from lintas_shared.application.command import Command
from lintas_shared.application.runner import CommandRunner, command_hash
from lintas_shared.application.stream_locks import StreamLocks

__all__ = [
    "Command",
    "CommandCatalogue",
    "CommandRunner",
    "Entry",
    "Resolver",
    "StreamLocks",
    "command_hash",
    "metadata_for",
]

"""A unique name (package code at a BLK, agreement number) held by a stream of its own."""

from __future__ import annotations

from uuid import UUID

from enrollment.domain.events import Event, NameClaimed
from lintas_shared.domain import Aggregate, RuleViolation


class NameClaim(Aggregate[Event]):
    """Appending at version 0 makes two concurrent claims of one name conflict."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.owner_id: UUID | None = None

    @staticmethod
    def package_code(blk_code: str, code: str) -> str:
        return f"package-code-{blk_code}-{code.strip().upper()}"

    @staticmethod
    def agreement_number(lapas_code: str, blk_code: str, number: str) -> str:
        return f"agreement-number-{lapas_code}-{blk_code}-{number.strip().upper()}"

    def claim(self, owner_id: UUID, rule: str, field: str) -> None:
        """Rule ``rule``: the name is not held by another agreement or package."""
        if self.owner_id is not None:
            raise RuleViolation.of(rule, f"already used by {self.owner_id}", field)
        self.record(NameClaimed(owner_id=owner_id))

    def _claimed(self, event: NameClaimed) -> None:
        self.owner_id = event.owner_id

    handlers = {NameClaimed: _claimed}  # noqa: RUF012

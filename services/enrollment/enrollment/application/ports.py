"""What the use cases need from outside the event store: the agreement directory."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class AgreementDirectory(Protocol):
    """Finds the candidates for an enrollment: the agreements joining a Lapas and the BLK
    of a package (none if the package is unknown). The rules are checked on the streams."""

    async def agreements_for_package(
        self, lapas_code: str, package_id: UUID
    ) -> list[UUID]: ...

"""EnrollmentDirectory on the local view tables."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from certification.domain.enrollment import EnrollmentFacts
from lintas_shared.contracts import Kejuruan, Track, UnitRef

_GET = """
SELECT e.*, coalesce(p.cancelled, false) AS package_cancelled,
       coalesce(p.blk_assesses, false) AS blk_assesses
FROM enrollments e LEFT JOIN packages p USING (package_id)
WHERE e.enrollment_id = $1 AND e.enrolled
"""


class PostgresEnrollmentDirectory:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, enrollment_id: UUID) -> EnrollmentFacts | None:
        row = await self._pool.fetchrow(_GET, enrollment_id)
        if row is None:
            return None
        return EnrollmentFacts(
            enrollment_id=row["enrollment_id"],
            package_id=row["package_id"],
            nip=row["nip"],
            officer_name=row["officer_name"],
            kejuruan=Kejuruan(row["kejuruan"]),
            track=Track(row["track"]),
            blk=UnitRef.model_validate(row["blk"]),
            lapas=UnitRef.model_validate(row["lapas"]),
            start_date=row["start_date"],
            end_date=row["end_date"],
            jp_total=row["jp_total"],
            withdrawn=row["withdrawn"],
            package_cancelled=row["package_cancelled"],
            blk_assesses=row["blk_assesses"],
        )

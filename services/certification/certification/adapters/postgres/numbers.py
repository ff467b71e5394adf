"""CertificateNumbers on the certificate_series counter table."""

from __future__ import annotations

import asyncpg

from lintas_shared.contracts import Kejuruan

_NEXT = """
INSERT INTO certificate_series (blk_code, kejuruan, year, issued) VALUES ($1, $2, $3, 1)
ON CONFLICT (blk_code, kejuruan, year)
DO UPDATE SET issued = certificate_series.issued + 1
RETURNING issued
"""


class PostgresCertificateNumbers:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def next_sequence(self, blk_code: str, kejuruan: Kejuruan, year: int) -> int:
        # Autocommit: the row lock lasts one statement, never a whole command.
        return int(await self._pool.fetchval(_NEXT, blk_code, kejuruan.value, year))

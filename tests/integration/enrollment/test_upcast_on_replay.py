"""A v1 event stored in PostgreSQL is upcast when its stream is replayed (same case as unit)."""

from __future__ import annotations

import pytest

from tests.integration.enrollment.conftest import Pg
from tests.unit.enrollment.test_upcast_on_replay import (
    stored_v1_agreement_replays_as_v2,
    v2_current,
)

pytestmark = pytest.mark.integration

__all__ = ["v2_current"]


async def test_a_stored_v1_agreement_is_upcast_on_replay_on_postgresql(
    pg: Pg, v2_current: None
) -> None:
    await stored_v1_agreement_replays_as_v2(pg.store)
    assert await pg.count("agreement_view") == 1  # the projection read it as v2 too

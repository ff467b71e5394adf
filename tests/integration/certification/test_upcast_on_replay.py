"""A v1 event stored in PostgreSQL is upcast when its stream is replayed (same case as unit)."""

from __future__ import annotations

import pytest

from certification.application.context import CertificationContext
from tests.unit.certification.test_upcast_on_replay import (
    stored_v1_completion_replays_as_v2,
    v2_current,
)

pytestmark = pytest.mark.integration

__all__ = ["v2_current"]


async def test_a_stored_v1_completion_is_upcast_on_replay_on_postgresql(
    context: CertificationContext, v2_current: None
) -> None:
    await stored_v1_completion_replays_as_v2(context.store)

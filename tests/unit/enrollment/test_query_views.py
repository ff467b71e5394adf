"""The operator queries over the in-memory store (the same cases run on PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.unit.enrollment.api import memory_api
from tests.unit.enrollment.query_cases import CASES, Case

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
async def test_query_behaviour_in_memory(case: Case) -> None:
    async with memory_api() as api:
        await case(api)

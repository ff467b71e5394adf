"""The operator queries on the PostgreSQL query tables (the same cases as in memory)."""

from __future__ import annotations

import pytest

from tests.unit.enrollment.api import Api
from tests.unit.enrollment.query_cases import CASES, Case

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
async def test_query_behaviour_on_postgresql(pg_api: Api, case: Case) -> None:
    await case(pg_api)

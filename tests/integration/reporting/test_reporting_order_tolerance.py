"""Property: any order, duplication and batching of a history gives the same read models."""

from __future__ import annotations

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.reporting.support import (
    new_generation,
    project_in_batches,
    snapshot,
)
from tests.support.synthetic_history import as_deliveries, history

pytestmark = pytest.mark.integration


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**31),
    packages=st.integers(2, 6),
    rnd=st.randoms(use_true_random=False),
)
async def test_shuffled_duplicated_batched_history_gives_the_same_read_models(
    rm_pool: asyncpg.Pool, seed: int, packages: int, rnd: object
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    deliveries = as_deliveries(history(seed, packages, officers=6, units=2))
    ordered = sorted(deliveries, key=lambda d: (d.event.time, d.event.id))
    messy = list(deliveries)
    messy += rnd.choices(deliveries, k=len(deliveries) // 3)  # redeliveries
    rnd.shuffle(messy)
    batches = []
    while messy:
        size = rnd.randint(1, 25)
        batches.append(messy[:size])
        messy = messy[size:]

    reference, candidate = await new_generation(rm_pool), await new_generation(rm_pool)
    await project_in_batches(rm_pool, reference, [ordered])
    await project_in_batches(rm_pool, candidate, batches)

    expected = await snapshot(rm_pool, reference)
    assert expected["packages"], (
        "the history projected nothing: the test would be vacuous"
    )
    assert await snapshot(rm_pool, candidate) == expected

"""The public check's token bucket: a burst, then one request per refill, per address."""

from __future__ import annotations

import pytest

from certification.adapters.http.rate_limit import RateLimiter

pytestmark = pytest.mark.unit


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_the_next_request_waits_for_a_token() -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=30, burst=3, clock=ticks)

    assert [limiter.take("10.0.0.1") for _ in range(3)] == [0, 0, 0]
    assert limiter.take("10.0.0.1") == 2  # 30 a minute: a token every 2 s


def test_tokens_come_back_with_time_but_never_beyond_the_burst() -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=60, burst=2, clock=ticks)
    limiter.take("a")
    limiter.take("a")

    ticks.now += 1.0
    assert limiter.take("a") == 0
    assert limiter.take("a") == 1
    ticks.now += 3600
    assert [limiter.take("a") for _ in range(3)] == [0, 0, 1]


def test_each_address_has_its_own_bucket() -> None:
    limiter = RateLimiter(per_minute=1, burst=1, clock=Ticks())

    assert limiter.take("a") == 0
    assert limiter.take("a") == 60
    assert limiter.take("b") == 0


def test_refused_requests_do_not_earn_credit() -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=60, burst=1, clock=ticks)
    limiter.take("a")

    for _ in range(50):
        assert limiter.take("a") >= 1
    ticks.now += 1.0
    assert limiter.take("a") == 0
    assert limiter.take("a") == 1


def test_memory_is_bounded_by_dropping_the_least_recently_seen_address() -> None:
    limiter = RateLimiter(per_minute=1, burst=1, max_clients=2, clock=Ticks())
    limiter.take("a")
    limiter.take("b")
    limiter.take("a")  # a is now the most recent
    limiter.take("c")  # drops b

    assert limiter.take("a") > 0
    assert limiter.take("b") == 0  # forgotten: starts full again


def test_a_limit_that_lets_nothing_through_is_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0, burst=1)
    with pytest.raises(ValueError):
        RateLimiter(per_minute=10, burst=0)

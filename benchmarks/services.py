"""Parts 3a-3c (reporting rebuild, enrollment HTTP, end-to-end latency) if the services exist."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable

from benchmarks.config import Settings
from benchmarks.infra import Infra
from benchmarks.results import Report


class NotReady(Exception):
    """A service API this part needs is not importable yet; the message names it."""


def need(module: str, *names: str) -> object:
    """Import `module` and check it has `names`, or raise NotReady naming what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise NotReady(f"{module} is not importable ({exc})") from exc
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        raise NotReady(f"{module} has no {', '.join(missing)}")
    return mod


async def rebuild(infra: Infra, settings: Settings, report: Report) -> None:
    need("reporting.bootstrap")
    raise NotReady("rebuild benchmark not written yet")


async def http(infra: Infra, settings: Settings, report: Report) -> None:
    need("enrollment.bootstrap")
    raise NotReady("HTTP benchmark not written yet")


async def latency(infra: Infra, settings: Settings, report: Report) -> None:
    need("enrollment.bootstrap")
    need("reporting.bootstrap")
    raise NotReady("latency benchmark not written yet")


PARTS: dict[str, Callable[[Infra, Settings, Report], Awaitable[None]]] = {
    "rebuild": rebuild,
    "http": http,
    "latency": latency,
}

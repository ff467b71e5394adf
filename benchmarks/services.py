"""Parts 3a-3c (reporting rebuild, enrollment HTTP, end-to-end latency) if the services exist."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable

from benchmarks.config import Settings
from benchmarks.infra import Infra, create_topics
from benchmarks.results import Report
from benchmarks.stack import Stack
from lintas_shared.topics import ALL_TOPICS


class NotReady(Exception):
    """A service API this part needs is not importable yet; the message names it."""


def need(module: str, *names: str) -> None:
    """Import `module` and check it has `names`, or raise NotReady naming what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise NotReady(f"{module} is not importable ({exc})") from exc
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        raise NotReady(f"{module} has no {', '.join(missing)}")


async def rebuild(
    infra: Infra, settings: Settings, report: Report, stack: Stack
) -> None:
    need("reporting.bootstrap", "rebuild")
    need("reporting.__main__", "rebuild")
    from benchmarks import rebuild as part

    await part.run(infra, settings, report)


async def http(infra: Infra, settings: Settings, report: Report, stack: Stack) -> None:
    need("enrollment.bootstrap", "build_app")
    need("enrollment.__main__", "main")
    from benchmarks import enroll_http as part

    await create_topics(infra.bootstrap, list(ALL_TOPICS))
    await part.run(infra, settings, report, stack)


async def latency(
    infra: Infra, settings: Settings, report: Report, stack: Stack
) -> None:
    need("enrollment.bootstrap", "build_app")
    need("reporting.bootstrap", "build_app")
    need("reporting.__main__", "serve")
    from benchmarks import latency as part

    await create_topics(infra.bootstrap, [*ALL_TOPICS, part.RAW_TOPIC])
    await part.run(infra, settings, report, stack)


PARTS: dict[str, Callable[[Infra, Settings, Report, Stack], Awaitable[None]]] = {
    "rebuild": rebuild,
    "http": http,
    "latency": latency,
}

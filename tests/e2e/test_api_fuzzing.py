"""Schemathesis (--checks all, every phase) finds nothing on any running service.

The three services run as processes on real Kafka and PostgreSQL (``e2e_system``),
with a certified officer of the Padang pilot seeded over HTTP first.
LINTAS_FUZZ_MAX_EXAMPLES=200 gives a longer fuzz run; LINTAS_FUZZ_SEED=random (or a
number) changes the fixed seed; LINTAS_FUZZ_REPORT_DIR keeps the reports.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningSystem
from tests.e2e.fuzzing_support import (
    FuzzSettings,
    Pilot,
    known_values,
    run_schemathesis,
    seed_pilot,
)

# Test cases per operation and phase: the three services take about a minute in all
# on two shared cores.
MAX_EXAMPLES = 10
SEED = 20261201

pytestmark = [
    pytest.mark.e2e,
    # Only while issue 8's edge and contract fixes land: remove with them.
    pytest.mark.xfail(
        strict=False,
        reason="issue 8: schemathesis failures on every service until the fixes land",
    ),
]


@pytest.fixture(scope="module")
def pilot(e2e_system: RunningSystem) -> Pilot:
    """One agreement, package, enrollment and certificate, visible in reporting."""
    return seed_pilot(e2e_system)


@pytest.fixture(scope="module")
def report_root() -> Iterator[Path]:
    """Where the reports go: LINTAS_FUZZ_REPORT_DIR if set, else a temporary folder."""
    kept = os.environ.get("LINTAS_FUZZ_REPORT_DIR")
    if kept:
        yield Path(kept)
        return
    with tempfile.TemporaryDirectory(prefix="lintas-fuzz-") as folder:
        yield Path(folder)


@pytest.mark.parametrize("service", ["enrollment", "certification", "reporting"])
def test_schemathesis_reports_no_failure_on_the_running_service(
    service: str, e2e_system: RunningSystem, pilot: Pilot, report_root: Path
) -> None:
    settings = FuzzSettings.from_env(MAX_EXAMPLES, SEED)
    result = run_schemathesis(
        service,
        getattr(e2e_system, service),
        report_root / service,
        settings,
        known_values(service, pilot),
    )
    print(f"\n{result.summary()}")
    assert result.operations > 0, result.describe()
    assert result.clean, result.describe()

"""The dashboard in a real headless Chromium shows what the read-model API says, live."""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reporting.settings import ReportingSettings
from tests.support.synthetic_history import history
from tests.integration.reporting.kafka_support import private_settings, publish

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _env(settings: ReportingSettings) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        env[f"LINTAS_REPORTING_{name.upper()}"] = str(value)
    return env


def _start(settings: ReportingSettings) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reporting"],
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
async def reporting_process(
    kafka_bootstrap: str, fresh_database: str
) -> AsyncIterator[tuple[str, ReportingSettings]]:
    """``python -m reporting`` as its own process on private topics and database."""
    settings = await private_settings(kafka_bootstrap, fresh_database)
    proc = _start(settings)
    base = f"http://127.0.0.1:{settings.http_port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as http:
            for _ in range(300):
                if proc.poll() is not None:
                    raise AssertionError(
                        proc.stderr.read().decode() if proc.stderr else ""
                    )
                try:
                    if (await http.get("/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield base, settings
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _until(check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.25)


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text) or "-1")


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM} (install Debian's package: apt-get install -y chromium)",
)
async def test_dashboard_shows_the_read_models_and_follows_new_events(
    reporting_process: tuple[str, ReportingSettings], kafka_bootstrap: str
) -> None:
    from playwright.async_api import async_playwright

    base, settings = reporting_process
    seed = random.randrange(10**9)
    events = history(seed, packages=40, officers=16)
    first, later = events[:-300], events[-300:]
    await publish(kafka_bootstrap, settings, first)

    async with httpx.AsyncClient(base_url=base, timeout=10) as http:

        async def national() -> dict[str, Any]:
            return (await http.get("/api/v1/national")).json()

        async def settled() -> dict[str, Any] | None:
            a = await national()
            await asyncio.sleep(1.5)
            b = await national()
            return b if a["items"] == b["items"] and b["items"][0]["enrolled"] else None

        api = await _until(settled)
        totals = api["items"][0]

        ARTIFACTS.mkdir(exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = await browser.new_page(viewport={"width": 1280, "height": 1100})
            await page.goto(base + "/")
            await page.wait_for_selector("body[data-loaded=true]", timeout=20000)

            for key in ("lapas", "blk", "packages", "enrolled", "completed", "competent",
                        "certified", "instructors_active", "instructors_revoked"):  # fmt: skip
                shown = await page.text_content(f"[data-kpi={key}]")
                assert _digits(shown or "") == totals[key], key
            for step in ("enrolled", "completed", "competent", "certified"):
                text = await page.text_content(f"[data-funnel={step}]") or ""
                assert _digits(text.split("(")[0]) == totals[step], step
            as_of = await page.get_attribute("#data-as-of", "datetime")
            assert as_of == api["data_as_of"]
            assert await page.locator("#chart-trend polyline").count() == 3
            provinces = (
                await http.get("/api/v1/provinces?group_by=province&page_size=1000")
            ).json()
            bars = page.locator('#chart-provinces rect[data-series="enrolled"]')
            assert await bars.count() == provinces["total"]
            await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

            await page.click("button[data-view=lapas]")
            await page.wait_for_selector("body[data-loaded=true]")
            lapas = (
                await http.get(
                    "/api/v1/lapas?group_by=lapas_code,lapas_name,province&page_size=1000"
                )
            ).json()
            rows = page.locator("table[data-table=lapas] tr[data-row]")
            assert await rows.count() == lapas["total"] > 0
            first_row = lapas["items"][0]
            cell = page.locator(
                f'table[data-table=lapas] tr[data-row="{first_row["lapas_code"]}"] '
                "td[data-col=enrolled]"
            )
            assert _digits(await cell.text_content() or "") == first_row["enrolled"]
            await page.screenshot(
                path=str(ARTIFACTS / "dashboard-lapas.png"), full_page=True
            )

            await page.click("button[data-view=instructors]")
            await page.wait_for_selector("body[data-loaded=true]")
            registry = (await http.get("/api/v1/instructors?page_size=1000")).json()
            rows = page.locator("table[data-table=instructors] tr[data-row]")
            assert await rows.count() == registry["total"]
            await page.screenshot(
                path=str(ARTIFACTS / "dashboard-instructors.png"), full_page=True
            )

            # New events reach the open page without a reload.
            await page.click("button[data-view=national]")
            await page.wait_for_selector("body[data-loaded=true]")
            await publish(kafka_bootstrap, settings, later)
            after = (await _until(settled))["items"][0]
            assert after["enrolled"] != totals["enrolled"] or after != totals
            await page.wait_for_function(
                "n => Number(document.querySelector('[data-kpi=enrolled]')"
                ".textContent.replace(/\\D/g, '')) === n",
                arg=after["enrolled"],
                timeout=15000,
            )
            await browser.close()

"""The dashboard in a real headless Chromium shows what the read-model API says, live."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from reporting.settings import ReportingSettings
from tests.integration.reporting.kafka_support import private_settings, publish
from tests.support.identity import Identity
from tests.support.synthetic_history import history

if TYPE_CHECKING:
    from playwright.async_api import ViewportSize

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
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


def _env(settings: ReportingSettings, identity: Identity) -> dict[str, str]:
    env = {**os.environ, **identity.settings_env()}
    for name, value in settings.model_dump().items():
        env[f"LINTAS_REPORTING_{name.upper()}"] = str(value)
    # str() of the dumped model would hide the password: the settings JSON keeps it.
    env["LINTAS_REPORTING_KAFKA_SECURITY"] = settings.kafka_security.settings_json()
    return env


def _start(settings: ReportingSettings, identity: Identity) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reporting"],
        env=_env(settings, identity),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
async def reporting_process(
    kafka_bootstrap: str, fresh_database: str, identity: Identity
) -> AsyncIterator[tuple[str, ReportingSettings]]:
    """``python -m reporting`` as its own process on private topics and database."""
    settings = await private_settings(kafka_bootstrap, fresh_database)
    proc = _start(settings, identity)
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


needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM} (install Debian's package: apt-get install -y chromium)",
)
# The screen an analyst at a ministry has; the browser's own zone and locale are not
# Jakarta's, so WIB times and Indonesian formats must come from the page itself.
SCREEN: ViewportSize = {"width": 1366, "height": 768}
BROWSER_ZONE, BROWSER_LOCALE = "UTC", "en-US"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
KPIS = [
    *("enrolled", "withdrawn", "completed", "competent", "certified", "officers"),
    *("lapas", "blk", "packages", "seats"),
    *("instructors_active", "instructors_expired", "instructors_revoked"),
]
TREND_SUM = """s => [...document.querySelectorAll(`#chart-trend circle[data-series=${s}]`)]
    .reduce((a, c) => a + Number(c.dataset.value), 0)"""


async def _settled_national(http: httpx.AsyncClient) -> dict[str, Any]:
    """The national page once two reads 1.5 s apart agree (the projector caught up)."""

    async def check() -> dict[str, Any] | None:
        a = (await http.get("/api/v1/national")).json()
        await asyncio.sleep(1.5)
        b = (await http.get("/api/v1/national")).json()
        return b if a["items"] == b["items"] and b["items"][0]["enrolled"] else None

    page: dict[str, Any] = await _until(check)
    return page


async def _loaded(page: Any) -> None:
    await page.wait_for_selector("body[data-loaded=true]", timeout=20000)


def _wib_clock(iso: str, sep: str) -> str:
    """HH<sep>MM of an instant in WIB, as the page must show it."""
    t = datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Jakarta"))
    return f"{t.hour:02d}{sep}{t.minute:02d}"


def _outside(urls: list[str], base: str, identity: Identity) -> list[str]:
    """Requests that leave the service and its trusted issuers (data: URLs stay)."""
    allowed = (base + "/", "data:", *(u + "/" for u in identity.urls.values()))
    return [u for u in urls if not u.startswith(allowed)]


ANALYST = "ditjenpas-centre-analyst"  # national scope: sees what the API says in full
AGENCY = {
    ANALYST: "DITJENPAS",
    "lapas-padang-operator": "DITJENPAS",
    "bpvp-padang-operator": "KEMNAKER",
}


async def _sign_in(page: Any, base: str, persona: str) -> None:
    """Through the issuer's persona page: authorization code with PKCE (S256)."""
    await page.goto(base + "/")
    await page.wait_for_selector("body[data-auth=out]")
    await page.click(f'#sign-in-issuers button[data-agencies~="{AGENCY[persona]}"]')
    await page.wait_for_url(re.compile(r"/authorize\?.*code_challenge_method=S256"))
    await page.click(f'button[name=persona][value="{persona}"]')
    await page.wait_for_selector("body[data-auth=in]")
    assert page.url.startswith(base + "/"), page.url
    assert await page.evaluate("location.search") == "", "the code stays in the URL"


async def _kpis(page: Any, keys: list[str]) -> dict[str, int]:
    return {k: _digits(await page.text_content(f"[data-kpi={k}]") or "") for k in keys}


@needs_chromium
async def test_dashboard_speaks_indonesian_and_its_filters_change_every_figure(
    reporting_process: tuple[str, ReportingSettings],
    kafka_bootstrap: str,
    identity: Identity,
) -> None:
    from playwright.async_api import async_playwright

    base, settings = reporting_process
    await publish(
        kafka_bootstrap,
        settings,
        history(random.randrange(10**9), packages=40, officers=16),
    )
    reader = identity.persona_headers(ANALYST)
    async with httpx.AsyncClient(base_url=base, timeout=10, headers=reader) as http:
        national = await _settled_national(http)
        totals = national["items"][0]
        combos = (
            await http.get(
                "/api/v1/lapas",
                params={"group_by": "province,kejuruan", "page_size": 1000},
            )
        ).json()["items"]
        pick = max(
            combos,
            key=lambda r: (r["certified"] > 0, r["withdrawn"] > 0, r["enrolled"]),
        )
        chosen = {"province": pick["province"], "kejuruan": pick["kejuruan"]}

        ARTIFACTS.mkdir(exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = await browser.new_context(
                viewport=SCREEN, timezone_id=BROWSER_ZONE, locale=BROWSER_LOCALE
            )
            urls: list[str] = []
            context.on("request", lambda r: urls.append(r.url))
            page = await context.new_page()
            await _sign_in(page, base, ANALYST)
            await _loaded(page)

            # Indonesian by default: words, number and time formats, WIB.
            assert await page.get_attribute("html", "lang") == "id"
            assert (
                await page.text_content("button[data-view=national]") or ""
            ).strip() == "Nasional"
            assert "terdaftar" in (
                await page.text_content("#view-national .note") or ""
            )
            as_of = (await page.text_content("#data-as-of") or "").strip()
            assert as_of.endswith(" WIB"), as_of
            assert _wib_clock(national["data_as_of"], ".") in as_of, as_of
            assert await page.evaluate("I18n.number(1234567.5, 1)") == "1.234.567,5"
            header = await page.text_content("header") or ""
            assert not re.search(r"rm_g|generation|generasi", header, re.I), header
            assert await page.evaluate(OVERFLOW) <= 0
            await page.screenshot(
                path=str(ARTIFACTS / "dashboard-national.png"), full_page=True
            )

            assert urls and not _outside(urls, base, identity)

            # Province and kejuruan set: every figure of the national view follows.
            answer = await http.get("/api/v1/national", params=chosen)
            assert answer.status_code == 200, answer.text
            want = answer.json()["items"][0]
            assert 0 < want["enrolled"] < totals["enrolled"], (
                "the filter must narrow the figures"
            )
            trend = (
                await http.get("/api/v1/trend", params={**chosen, "page_size": 1000})
            ).json()
            all_trend = (
                await http.get("/api/v1/trend", params={"page_size": 1000})
            ).json()
            for name, value in chosen.items():
                select = f"#f-{name}"
                await page.wait_for_selector(
                    f'{select} option[value="{value}"]', state="attached"
                )
                await page.select_option(select, value)
            await _loaded(page)
            counts = [k for k in KPIS if isinstance(want.get(k), int)]
            assert {"enrolled", "completed", "certified", "withdrawn"} <= set(counts)
            assert await _kpis(page, counts) == {k: want[k] for k in counts}
            for step in ("enrolled", "completed", "competent", "certified"):
                text = await page.text_content(f"[data-funnel={step}]") or ""
                assert _digits(text.split("(")[0]) == want[step], step
            for series in ("enrolled", "completed", "certified", "withdrawn"):
                shown = await page.evaluate(TREND_SUM, series)
                assert shown == sum(r[series] for r in trend["items"]), series
            assert await page.evaluate(TREND_SUM, "enrolled") < sum(
                r["enrolled"] for r in all_trend["items"]
            )
            bars = page.locator('#chart-provinces rect[data-series="enrolled"]')
            assert await bars.count() == 1
            scope = page.locator("#scope")
            assert "warn" not in (await scope.get_attribute("class") or "")
            assert pick["province"] in (await scope.text_content() or "")
            assert (
                await page.locator("#view-national .unfiltered:not([hidden])").count()
                == 0
            )
            await page.screenshot(
                path=str(ARTIFACTS / "dashboard-filtered.png"), full_page=True
            )

            # Every view fits a 1366-pixel screen; tables have titles, not column names.
            for view in ("lapas", "blk", "instructors"):
                await page.click(f"button[data-view={view}]")
                await _loaded(page)
                assert await page.evaluate(OVERFLOW) <= 0, view
                titles = await page.locator(f"#view-{view} th").all_text_contents()
                assert titles and not [t for t in titles if "_" in t], titles
                await page.screenshot(
                    path=str(ARTIFACTS / f"dashboard-filtered-{view}.png"),
                    full_page=True,
                )
            rows = page.locator("table[data-table=instructors] tr[data-row]")
            registry = (await http.get("/api/v1/instructors", params=chosen)).json()
            assert await rows.count() == registry["total"]

            # English on the switch, remembered across a reload.
            await page.click("button[data-view=national]")
            await _loaded(page)
            await page.click("button[data-lang=en]")
            assert await page.get_attribute("html", "lang") == "en"
            assert (
                await page.text_content("button[data-view=national]") or ""
            ).strip() == "National"
            assert "enrolled" in (await page.text_content("#view-national .note") or "")
            as_of = (await page.text_content("#data-as-of") or "").strip()
            assert (
                as_of.endswith(" WIB")
                and _wib_clock(national["data_as_of"], ":") in as_of
            )
            assert await page.evaluate("I18n.number(1234567.5, 1)") == "1,234,567.5"
            assert await _kpis(page, counts) == {k: want[k] for k in counts}
            await page.reload()
            await _loaded(page)  # still signed in: the token is in sessionStorage
            assert await page.get_attribute("html", "lang") == "en"
            assert (
                await page.text_content("button[data-view=national]") or ""
            ).strip() == "National"
            await browser.close()

    assert not _outside(urls, base, identity), _outside(urls, base, identity)


@needs_chromium
async def test_dashboard_shows_the_read_models_and_follows_new_events(
    reporting_process: tuple[str, ReportingSettings],
    kafka_bootstrap: str,
    identity: Identity,
) -> None:
    from playwright.async_api import async_playwright

    base, settings = reporting_process
    # Four Lapas and BLKs (Padang among them): the Lapas operator has instructors to see.
    events = history(random.randrange(10**9), packages=40, officers=16, units=4)
    first, later = events[:-300], events[-300:]
    await publish(kafka_bootstrap, settings, first)

    reader = identity.persona_headers(ANALYST)
    async with httpx.AsyncClient(base_url=base, timeout=10, headers=reader) as http:
        api = await _settled_national(http)
        totals = api["items"][0]

        ARTIFACTS.mkdir(exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = await browser.new_page(viewport=SCREEN)
            await _sign_in(page, base, ANALYST)
            await _loaded(page)

            assert await _kpis(page, KPIS) == {k: totals[k] for k in KPIS}
            for step in ("enrolled", "completed", "competent", "certified"):
                text = await page.text_content(f"[data-funnel={step}]") or ""
                assert _digits(text.split("(")[0]) == totals[step], step
            as_of = await page.get_attribute("#data-as-of", "datetime")
            assert as_of == api["data_as_of"]
            assert await page.locator("#chart-trend polyline").count() == 4
            provinces = (
                await http.get("/api/v1/provinces?group_by=province&page_size=1000")
            ).json()
            bars = page.locator('#chart-provinces rect[data-series="enrolled"]')
            assert await bars.count() == provinces["total"]

            await page.click("button[data-view=lapas]")
            await _loaded(page)
            lapas = (
                await http.get(
                    "/api/v1/lapas?group_by=lapas_code,lapas_name,province&page_size=1000"
                )
            ).json()
            rows = page.locator("table[data-table=lapas] tr[data-row]")
            assert await rows.count() == lapas["total"] > 0
            for col in ("enrolled", "withdrawn"):
                row = max(lapas["items"], key=itemgetter(col))
                cell = page.locator(
                    f'table[data-table=lapas] tr[data-row="{row["lapas_code"]}"] '
                    f"td[data-col={col}]"
                )
                assert _digits(await cell.text_content() or "") == row[col], col

            await page.click("button[data-view=instructors]")
            await _loaded(page)
            registry = (await http.get("/api/v1/instructors?page_size=1000")).json()
            rows = page.locator("table[data-table=instructors] tr[data-row]")
            assert await rows.count() == registry["total"]

            # New events reach the open page without a reload.
            await page.click("button[data-view=national]")
            await _loaded(page)
            await publish(kafka_bootstrap, settings, later)
            after = (await _settled_national(http))["items"][0]
            assert after["enrolled"] != totals["enrolled"] or after != totals
            await page.wait_for_function(
                "n => Number(document.querySelector('[data-kpi=enrolled]')"
                ".textContent.replace(/\\D/g, '')) === n",
                arg=after["enrolled"],
                timeout=15000,
            )
            await _lapas_operator_sees_only_its_officers(page, http, base, identity)
            await browser.close()


async def _lapas_operator_sees_only_its_officers(
    page: Any, http: httpx.AsyncClient, base: str, identity: Identity
) -> None:
    """Sign out, sign in as Lapas Padang's operator: its officers only, CSV too."""
    await page.click("#sign-out")
    await page.wait_for_selector("body[data-auth=out]")
    await _sign_in(page, base, "lapas-padang-operator")
    who = (await page.text_content("#who-text") or "").strip()
    assert who == "Masuk sebagai LAPAS-IIA-PADANG · Operator", who
    await page.click("button[data-view=instructors]")
    await _loaded(page)
    lapas = identity.persona_headers("lapas-padang-operator")
    own = (await http.get("/api/v1/instructors?page_size=1000", headers=lapas)).json()
    everyone = (await http.get("/api/v1/instructors?page_size=1000")).json()
    assert 0 < own["total"] < everyone["total"], "the scope must narrow the registry"
    rows = page.locator("table[data-table=instructors] tr[data-row]")
    shown = {await r.get_attribute("data-row") for r in await rows.all()}
    assert shown == {i["certificate_number"] for i in own["items"]}
    lapas_names = page.locator("table[data-table=instructors] td[data-col=lapas_name]")
    assert set(await lapas_names.all_text_contents()) == {"Lapas Kelas IIA Padang"}
    assert "LAPAS-IIA-PADANG" in (await page.text_content("#officer-scope") or "")
    await page.screenshot(
        path=str(ARTIFACTS / "dashboard-lapas-operator.png"), full_page=True
    )

    # The CSV link sends the token (fetch + blob): the same rows as the table.
    async with page.expect_download() as info:
        await page.click("#view-instructors a[data-export=instructors]")
    download = await info.value
    text = (await download.path()).read_bytes().decode("utf-8-sig")
    exported = {r["certificate_number"] for r in csv.DictReader(io.StringIO(text))}
    assert exported == shown

    # An expired token sends the reader back to sign in, saying why: at the page's
    # next poll (every few seconds), with no click needed.
    await page.evaluate(EXPIRE_SESSION)
    await page.wait_for_selector("body[data-auth=out]", timeout=20000)
    note = await page.text_content("#sign-in-note") or ""
    assert "berakhir" in note, note
    assert await page.is_hidden("#who"), "signed out, yet a unit is still shown"
    await page.screenshot(path=str(ARTIFACTS / "dashboard-sign-in.png"))


EXPIRE_SESSION = """() => {
  const key = "lintas.dashboard.session";
  const s = JSON.parse(sessionStorage.getItem(key));
  s.expires_at = Date.now() - 1000;
  sessionStorage.setItem(key, JSON.stringify(s));
}"""

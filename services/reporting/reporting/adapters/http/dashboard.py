"""The dashboard page: static HTML, CSS and JS served by the reporting service (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from reporting.settings import ReportingSettings

# The page lives at the package root (reporting/static), owned by the dashboard.
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def dashboard_router(settings: ReportingSettings) -> APIRouter:
    router = APIRouter()
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    # The poll interval is a setting; the page reads it from a data attribute.
    page = page.replace(
        "__REFRESH_MS__", str(int(settings.dashboard_refresh_seconds * 1000))
    )

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def dashboard() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    return router

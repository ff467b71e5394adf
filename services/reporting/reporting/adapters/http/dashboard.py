"""The dashboard page: static HTML, CSS and JS served by the reporting service (no CDN)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse

from lintas_shared.identity import IdentitySettings
from reporting.settings import ReportingSettings

# The page lives at the package root (reporting/static), owned by the dashboard.
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def sign_in_config(
    settings: ReportingSettings, identity: IdentitySettings
) -> dict[str, Any]:
    """What the page needs to sign in: the trusted issuers and its public client id."""
    return {
        "client_id": settings.dashboard_client_id,
        "issuers": [
            {
                "issuer": trusted.issuer,
                "discovery": trusted.discovery,
                "agencies": sorted(a.value for a in trusted.agencies),
            }
            for trusted in identity.trusted_issuers
        ],
        "refresh_ms": int(settings.dashboard_refresh_seconds * 1000),
    }


def dashboard_router(
    settings: ReportingSettings, identity: IdentitySettings
) -> APIRouter:
    router = APIRouter()
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    # The poll interval is a setting; the page reads it from a data attribute.
    page = page.replace(
        "__REFRESH_MS__", str(int(settings.dashboard_refresh_seconds * 1000))
    )
    config = sign_in_config(settings, identity)

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def dashboard() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    @router.get(
        "/dashboard/config.json",
        tags=["dashboard"],
        summary="Sign-in settings of the dashboard",
        description="Public: the trusted issuers (discovery URLs) and the dashboard's "
        "OAuth client id, for the authorization-code flow with PKCE.",
    )
    async def dashboard_config() -> JSONResponse:
        return JSONResponse(config, headers={"Cache-Control": "no-store"})

    return router

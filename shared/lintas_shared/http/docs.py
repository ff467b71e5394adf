"""API docs pages served from the service itself: Swagger UI and ReDoc, no CDN.

The assets come from the ``fastapi-offline`` wheel. A Content-Security-Policy on the pages
makes the browser refuse anything from another origin, so an offline network sees the
same page as a connected one.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
STATIC_PATH = "/docs/static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'self'"
)


def install_docs(app: FastAPI) -> None:
    """Replace FastAPI's CDN-backed ``/docs`` and ``/redoc`` with self-hosted ones."""
    docs_url, redoc_url = app.docs_url, app.redoc_url
    redirect_url = app.swagger_ui_oauth2_redirect_url
    own = {docs_url, redoc_url, redirect_url} - {None}
    app.router.routes[:] = [
        r for r in app.router.routes if getattr(r, "path", None) not in own
    ]
    if app.openapi_url is None or not own:
        return
    openapi_url = app.openapi_url
    app.mount(STATIC_PATH, StaticFiles(directory=ASSETS), name="docs-static")

    if docs_url is not None:

        @app.get(docs_url, include_in_schema=False)
        async def swagger_ui(request: Request) -> HTMLResponse:
            root = request.scope.get("root_path", "")
            page = get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=redirect_url,
                swagger_js_url=f"{root}{STATIC_PATH}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{STATIC_PATH}/swagger-ui.css",
                swagger_favicon_url=f"{root}{STATIC_PATH}/favicon.png",
                # No badge from the public online validator.
                swagger_ui_parameters={"validatorUrl": None}
                | (app.swagger_ui_parameters or {}),
            )
            return _protected(page)

        if redirect_url is not None:

            @app.get(redirect_url, include_in_schema=False)
            async def swagger_ui_redirect() -> HTMLResponse:
                return _protected(get_swagger_ui_oauth2_redirect_html())

    if redoc_url is not None:

        @app.get(redoc_url, include_in_schema=False)
        async def redoc(request: Request) -> HTMLResponse:
            root = request.scope.get("root_path", "")
            page = get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{STATIC_PATH}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{STATIC_PATH}/favicon.png",
                with_google_fonts=False,
            )
            return _protected(page)


def _protected(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page

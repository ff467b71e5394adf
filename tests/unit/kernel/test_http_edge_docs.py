"""The API docs pages load nothing from outside the service."""

import re
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from lintas_shared.http.problems import install_problem_handlers

pytestmark = pytest.mark.unit

BASE = "http://service.internal"
_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'""")


def _app() -> FastAPI:
    app = FastAPI(title="Lintas test")
    install_problem_handlers(app)

    @app.get("/things")
    async def things() -> list[str]:
        return []

    return app


def _references(html: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(html)]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_every_asset_of_a_docs_page_is_same_origin_and_served(page: str) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        response = await client.get(page)
        assert response.status_code == 200
        html = response.text
        references = _references(html)
        assert len(references) >= 2, html  # the script and its stylesheet or icon
        assert "https://" not in html and "http://" not in html
        for reference in references:
            url = urljoin(BASE + page, reference)
            assert urlsplit(url).netloc == urlsplit(BASE).netloc, reference
            asset = await client.get(url)
            assert asset.status_code == 200, reference
            assert asset.content, reference


async def test_swagger_ui_loads_the_bundle_and_spec_from_the_service() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        html = (await client.get("/docs")).text
        bundle = await client.get("/docs/static/swagger-ui-bundle.js")
        spec = await client.get("/openapi.json")
    assert "/docs/static/swagger-ui-bundle.js" in html
    assert "/openapi.json" in _references(html)
    assert "SwaggerUIBundle" in bundle.text
    assert spec.json()["info"]["title"] == "Lintas test"
    assert '"validatorUrl": null' in html  # no badge from the public online validator


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_browser_is_told_to_load_nothing_from_elsewhere(page: str) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        policy = (await client.get(page)).headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy


def test_the_docs_routes_are_not_operations_of_the_api() -> None:
    paths = set(_app().openapi()["paths"])
    assert paths == {"/things"}

"""Value types refuse what their schema refuses: a date is YYYY-MM-DD, not Unix time."""

from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Query

from lintas_shared.http.problems import install_problem_handlers
from lintas_shared.http.values import IsoDate

pytestmark = pytest.mark.unit


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/trend")
    async def trend(
        to: Annotated[IsoDate | None, Query(description="Until.")] = None,
    ) -> dict[str, str | None]:
        return {"to": to.isoformat() if to else None}

    return app


async def _get(url: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(url)


@pytest.mark.parametrize("sent", ["0", "1700000000", "20260101", "2026-1-1"])
async def test_a_date_not_written_yyyy_mm_dd_is_a_422_naming_the_parameter(
    sent: str,
) -> None:
    response = await _get(f"/trend?to={sent}")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "query.to"


async def test_an_iso_date_is_read() -> None:
    response = await _get("/trend?to=2026-12-01")
    assert response.json() == {"to": "2026-12-01"}


def test_the_schema_still_says_format_date() -> None:
    parameter = _app().openapi()["paths"]["/trend"]["get"]["parameters"][0]
    assert {"type": "string", "format": "date"} in parameter["schema"]["anyOf"]

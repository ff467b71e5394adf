"""The old officer-by-NIP route answers 410 only for a NIP-shaped path segment."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from reporting.adapters.http.api import query_router


def _client() -> TestClient:
    app = FastAPI()
    # No request here reaches the pool or the audit trail.
    app.include_router(query_router(lambda: None, 10, lambda: None))  # type: ignore[arg-type, return-value]
    return TestClient(app)


def test_get_on_the_lookup_route_is_405_allowing_post_not_the_old_410() -> None:
    answer = _client().get("/api/v1/officers/lookup")
    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == "POST"


def test_a_nip_in_the_url_is_410_without_echoing_it() -> None:
    answer = _client().get("/api/v1/officers/198703152010121003")
    assert answer.status_code == 410
    assert answer.json()["type"].endswith("/moved-to-lookup")
    assert "198703152010121003" not in answer.text

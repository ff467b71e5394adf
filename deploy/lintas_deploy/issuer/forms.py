"""Form bodies and OAuth 2.0 error answers (RFC 6749 §5.2 members plus RFC 9457 ones)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import JSONResponse

from lintas_shared.http.problems import PROBLEM_BASE


async def form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (first value of each field)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        return {}
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def oauth_error(
    status: int,
    error: str,
    description: str,
    field: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An OAuth error that is also a problem document naming the field."""
    body = {
        "error": error,
        "error_description": description,
        "type": PROBLEM_BASE + error.replace("_", "-"),
        "title": error.replace("_", " ").capitalize(),
        "status": status,
        "detail": description,
        "errors": [{"field": field, "message": description}],
    }
    return JSONResponse(
        body,
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )

"""The RFC 9457 problem document: the exception that carries one and its JSON body."""

from __future__ import annotations

import json
from typing import Any

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://lintas.example.go.id/problems/"


class Problem(Exception):
    """Raise from an endpoint or handler to answer with a problem document.

    ``code`` is a short slug (``seats-exhausted``); it becomes the ``type`` URI. ``errors``
    lists ``{"field" or "rule": ..., "message": ...}`` entries for precise feedback. A
    ``retryable`` problem is sent with ``Retry-After: retry_after`` (seconds).
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        retryable: bool = False,
        retry_after: int = 1,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title or code.replace("-", " ").capitalize()
        self.detail = detail
        self.errors = errors or []
        self.retryable = retryable
        self.retry_after = retry_after

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        if self.retryable:
            body["retryable"] = True
        return body

    def headers(self) -> dict[str, str]:
        """Response headers the problem implies (``Retry-After`` when retryable)."""
        return {"Retry-After": str(self.retry_after)} if self.retryable else {}

    def encode(self, instance: str | None = None) -> bytes:
        return json.dumps(self.to_dict(instance), ensure_ascii=False).encode()
